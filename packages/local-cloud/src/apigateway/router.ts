/**
 * Resource-path matching, compiled once per API version into a segment tree. At every level a static
 * segment wins over `{param}`, which wins over a greedy `{proxy+}`; a branch that yields no method for the
 * request falls back to the next candidate.
 */
import type { MethodConfig, RestApiState } from './model.js';

export interface CompiledResource {
  id: string;
  /** The resource path template, e.g. `/products/{productId}`. */
  path: string;
  methods: Map<string, MethodConfig>;
}

export interface RouteMatch {
  resource: CompiledResource;
  method: MethodConfig;
  /** URL-decoded path parameters, null when the resource has none. */
  pathParameters: Record<string, string> | null;
}

export interface Router {
  /** `path` is the raw (still percent-encoded) path relative to the stage, starting with `/`. */
  match(httpMethod: string, path: string): RouteMatch | undefined;
}

interface Node {
  resource?: CompiledResource;
  statics?: Map<string, Node>;
  param?: { name: string; node: Node };
  greedy?: { name: string; resource: CompiledResource };
}

const PARAM = /^\{([A-Za-z0-9._-]+)\}$/;
const GREEDY = /^\{([A-Za-z0-9._-]+)\+\}$/;

export function compileRouter(api: RestApiState): Router {
  const children = new Map<string, string[]>();
  for (const resource of api.resources.values()) {
    if (resource.parentId === undefined) continue;
    const list = children.get(resource.parentId);
    if (list) list.push(resource.id);
    else children.set(resource.parentId, [resource.id]);
  }
  const root: Node = {};
  const rootResource = api.resources.get(api.rootResourceId);
  if (rootResource) {
    root.resource = { id: rootResource.id, path: '/', methods: rootResource.methods };
    attachChildren(root, rootResource.id, '');
  }

  function attachChildren(node: Node, parentId: string, parentPath: string): void {
    for (const childId of children.get(parentId) ?? []) {
      const child = api.resources.get(childId);
      if (!child) continue;
      const path = `${parentPath}/${child.pathPart}`;
      const compiled: CompiledResource = { id: child.id, path, methods: child.methods };
      const greedy = GREEDY.exec(child.pathPart);
      if (greedy?.[1]) {
        // AWS allows no children below a greedy resource.
        node.greedy = { name: greedy[1], resource: compiled };
        continue;
      }
      const param = PARAM.exec(child.pathPart);
      let next: Node;
      if (param?.[1]) {
        next = { resource: compiled };
        node.param = { name: param[1], node: next };
      } else {
        next = { resource: compiled };
        node.statics ??= new Map();
        node.statics.set(child.pathPart, next);
      }
      attachChildren(next, child.id, path);
    }
  }

  return {
    match(httpMethod, path) {
      const segments = splitPath(path);
      const params: string[] = [];
      const found = walk(root, segments, 0, httpMethod, params);
      if (!found) return undefined;
      return { resource: found.resource, method: found.method, pathParameters: toParameters(params) };
    },
  };
}

function pickMethod(resource: CompiledResource | undefined, httpMethod: string): MethodConfig | undefined {
  if (!resource) return undefined;
  return resource.methods.get(httpMethod) ?? resource.methods.get('ANY');
}

function walk(
  node: Node,
  segments: string[],
  index: number,
  httpMethod: string,
  params: string[],
): { resource: CompiledResource; method: MethodConfig } | undefined {
  if (index === segments.length) {
    const method = pickMethod(node.resource, httpMethod);
    return method && node.resource ? { resource: node.resource, method } : undefined;
  }
  const segment = segments[index] as string;
  const staticChild = node.statics?.get(segment);
  if (staticChild) {
    const found = walk(staticChild, segments, index + 1, httpMethod, params);
    if (found) return found;
  }
  if (node.param && segment !== '') {
    params.push(node.param.name, segment);
    const found = walk(node.param.node, segments, index + 1, httpMethod, params);
    if (found) return found;
    params.length -= 2;
  }
  if (node.greedy && segment !== '') {
    const method = pickMethod(node.greedy.resource, httpMethod);
    if (method) {
      params.push(
        node.greedy.name,
        index === segments.length - 1 ? segment : segments.slice(index).join('/'),
      );
      return { resource: node.greedy.resource, method };
    }
  }
  return undefined;
}

function splitPath(path: string): string[] {
  if (path === '' || path === '/') return [];
  const segments = path.slice(1).split('/');
  // AWS treats `/products/` as `/products`.
  if (segments.length > 0 && segments[segments.length - 1] === '') segments.pop();
  return segments;
}

function toParameters(params: string[]): Record<string, string> | null {
  if (params.length === 0) return null;
  const out: Record<string, string> = {};
  for (let i = 0; i < params.length; i += 2) out[params[i] as string] = safeDecode(params[i + 1] as string);
  return out;
}

export function safeDecode(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
