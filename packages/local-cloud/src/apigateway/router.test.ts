import { describe, expect, it } from 'vitest';
import type { MethodConfig, RestApiState } from './model.js';
import { compileRouter } from './router.js';

function api(paths: Record<string, string[]>): RestApiState {
  const state: RestApiState = {
    id: 'api0000000',
    name: 'test',
    rootResourceId: 'root',
    apiKeySourceType: 'HEADER',
    binaryMediaTypes: [],
    resources: new Map([['root', { id: 'root', pathPart: '', methods: new Map() }]]),
    authorizers: new Map(),
    gatewayResponses: new Map(),
    stages: new Map(),
    version: 0,
  };
  const ids = new Map<string, string>([['/', 'root']]);
  for (const [path, methods] of Object.entries(paths)) {
    let parentPath = '';
    for (const part of path.split('/').filter(Boolean)) {
      const current = `${parentPath}/${part}`;
      if (!ids.has(current)) {
        ids.set(current, current);
        state.resources.set(current, {
          id: current,
          parentId: ids.get(parentPath || '/'),
          pathPart: part,
          methods: new Map(),
        });
      }
      parentPath = current;
    }
    const resource = state.resources.get(ids.get(path) as string);
    for (const httpMethod of methods) {
      const method: MethodConfig = {
        restApiId: state.id,
        resourceId: resource?.id ?? '',
        httpMethod,
        authorizationType: 'NONE',
        apiKeyRequired: false,
        integration: { type: 'MOCK', statusCode: 200, responses: [] },
      };
      resource?.methods.set(httpMethod, method);
    }
  }
  return state;
}

const router = compileRouter(
  api({
    '/': ['GET'],
    '/products': ['GET', 'POST'],
    '/products/featured': ['GET'],
    '/products/{productId}': ['GET', 'PUT'],
    '/products/{productId}/reviews': ['GET'],
    '/files/{proxy+}': ['ANY'],
    '/files/readme': ['GET'],
    '/a/b/c': ['GET'],
    '/a/{x}/d': ['GET'],
  }),
);

function route(method: string, path: string) {
  const match = router.match(method, path);
  return (
    match && { resource: match.resource.path, method: match.method.httpMethod, params: match.pathParameters }
  );
}

describe('router', () => {
  it('matches the root and static paths, ignoring one trailing slash', () => {
    expect(route('GET', '/')).toEqual({ resource: '/', method: 'GET', params: null });
    expect(route('POST', '/products/')).toEqual({ resource: '/products', method: 'POST', params: null });
  });

  it('prefers a static segment over a parameter at the same level', () => {
    expect(route('GET', '/products/featured')?.resource).toBe('/products/featured');
    expect(route('GET', '/products/other')).toEqual({
      resource: '/products/{productId}',
      method: 'GET',
      params: { productId: 'other' },
    });
  });

  it('falls back to a parameter when the static branch has no method for the request', () => {
    expect(route('PUT', '/products/featured')).toEqual({
      resource: '/products/{productId}',
      method: 'PUT',
      params: { productId: 'featured' },
    });
    expect(route('GET', '/a/b/d')).toEqual({ resource: '/a/{x}/d', method: 'GET', params: { x: 'b' } });
  });

  it('matches nested parameters and decodes their values', () => {
    expect(route('GET', '/products/p%2F1/reviews')?.params).toEqual({ productId: 'p/1' });
  });

  it('matches a greedy parameter over one or more segments, after static siblings', () => {
    expect(route('GET', '/files/readme')?.resource).toBe('/files/readme');
    expect(route('POST', '/files/readme')).toEqual({
      resource: '/files/{proxy+}',
      method: 'ANY',
      params: { proxy: 'readme' },
    });
    expect(route('GET', '/files/a/b%20c')?.params).toEqual({ proxy: 'a/b c' });
    expect(route('GET', '/files')).toBeUndefined();
  });

  it('finds nothing for unknown paths, missing methods or empty segments', () => {
    expect(route('GET', '/unknown')).toBeUndefined();
    expect(route('DELETE', '/products')).toBeUndefined();
    expect(route('GET', '/products//reviews')).toBeUndefined();
    expect(route('GET', '/a/b')).toBeUndefined();
  });
});
