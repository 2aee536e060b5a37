/**
 * ASL Reference Paths (`$.a.b[0]`, `$['x']`, `$$.Execution.Input`): the subset of JSONPath a Wait
 * state's `SecondsPath` and `TimestampPath` may use, which the emulator evaluates itself.
 */
import { StatesTaskError } from './errors.js';

function segments(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  const pattern = /\.([^.[\]]+)|\['([^']*)'\]|\["([^"]*)"\]|\[(\d+)\]/gy;
  let match: RegExpExecArray | null = pattern.exec(path);
  let consumed = 0;
  while (match) {
    if (match[1] !== undefined) out.push(match[1]);
    else if (match[2] !== undefined) out.push(match[2]);
    else if (match[3] !== undefined) out.push(match[3]);
    else out.push(Number(match[4]));
    consumed = pattern.lastIndex;
    match = pattern.exec(path);
  }
  if (consumed !== path.length)
    throw new StatesTaskError('States.Runtime', `Invalid reference path: '${path}'`, { terminal: true });
  return out;
}

/** The value at `path`; a path that selects nothing is a `States.Runtime` error, as in AWS. */
export function readReferencePath(path: string, input: unknown, context: unknown): unknown {
  const fromContext = path.startsWith('$$');
  const rest = fromContext ? path.slice(2) : path.startsWith('$') ? path.slice(1) : undefined;
  if (rest === undefined)
    throw new StatesTaskError('States.Runtime', `Invalid reference path: '${path}'`, { terminal: true });
  let value: unknown = fromContext ? context : input;
  for (const segment of segments(rest)) {
    if (value === null || typeof value !== 'object' || !(segment in (value as object))) {
      throw new StatesTaskError(
        'States.Runtime',
        `An error occurred while executing the state. The JSONPath '${path}' could not be found in the input '${JSON.stringify(input)}'`,
        { terminal: true },
      );
    }
    value = (value as Record<string | number, unknown>)[segment];
  }
  return value;
}
