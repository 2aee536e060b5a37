/** Parameter mapping expressions (`'literal'`, `method.request.header.X`, `context.x.y`, ...) parsed once and resolved per request. */
import type { IncomingHttpHeaders } from 'node:http';
import { InvalidPropertyError } from '../errors.js';
import type { ValueSource } from './model.js';

/** The parts of a request that mapping expressions can read. */
export interface RequestView {
  /** Node's lower-cased headers. */
  headers: IncomingHttpHeaders;
  query: Record<string, string> | null;
  pathParameters: Record<string, string> | null;
  stageVariables: Record<string, string> | null;
  context: Record<string, unknown>;
}

const PREFIXES: Array<[string, (rest: string) => ValueSource]> = [
  ['method.request.header.', (name) => ({ kind: 'header', name: name.toLowerCase() })],
  ['method.request.querystring.', (name) => ({ kind: 'query', name })],
  ['method.request.path.', (name) => ({ kind: 'path', name })],
  ['stageVariables.', (name) => ({ kind: 'stageVariable', name })],
  ['context.', (path) => ({ kind: 'context', path: path.split('.') })],
];

/** Parses a mapping expression; `what` names the property in error messages. */
export function parseValueSource(expression: string, what: string): ValueSource {
  const trimmed = expression.trim();
  if (trimmed.length >= 2 && trimmed.startsWith("'") && trimmed.endsWith("'")) {
    return { kind: 'literal', value: trimmed.slice(1, -1) };
  }
  for (const [prefix, build] of PREFIXES) {
    if (trimmed.startsWith(prefix) && trimmed.length > prefix.length)
      return build(trimmed.slice(prefix.length));
  }
  throw new InvalidPropertyError(
    `${what}: unsupported mapping expression ${JSON.stringify(expression)} (use a quoted literal like "'*'", method.request.header.X, method.request.querystring.X, method.request.path.X, stageVariables.X or context.X)`,
  );
}

/** Resolves a mapping expression against a request; undefined when the value is absent. */
export function resolveValueSource(source: ValueSource, view: RequestView): string | undefined {
  switch (source.kind) {
    case 'literal':
      return source.value;
    case 'header': {
      const value = view.headers[source.name];
      return Array.isArray(value) ? value.join(',') : value;
    }
    case 'query':
      return view.query?.[source.name];
    case 'path':
      return view.pathParameters?.[source.name];
    case 'stageVariable':
      return view.stageVariables?.[source.name];
    case 'context': {
      let value: unknown = view.context;
      for (const key of source.path) {
        if (value === null || typeof value !== 'object') return undefined;
        value = (value as Record<string, unknown>)[key];
      }
      return value === undefined || value === null ? undefined : String(value);
    }
  }
}
