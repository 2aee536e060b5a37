import { apiGatewayEvent, lambdaContext } from '@tenantry/testing';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConflictError, HttpError, NotFoundError } from './errors.js';
import { httpHandler, json } from './http-handler.js';
import type { TenantLambdaContext } from './middlewares.js';
import type { Observability } from './observability.js';
import { integer, optional, strictObject, string } from './validation.js';

const tenantAdmin = { tenantId: 'tenant-a', userId: 'user-1', role: 'TenantAdmin' };
const invoke = (handler: unknown, event: APIGatewayProxyEvent) =>
  (
    handler as unknown as (
      e: APIGatewayProxyEvent,
      c: Context,
    ) => Promise<{
      statusCode: number;
      headers?: Record<string, string>;
      body: string;
    }>
  )(event, lambdaContext());

afterEach(() => vi.restoreAllMocks());

describe('httpHandler', () => {
  it('hands the tenant context from the authorizer to the route', async () => {
    const handler = httpHandler().handler(async (_event, context: TenantLambdaContext) =>
      json(200, context.tenant),
    );
    const response = await invoke(
      handler,
      apiGatewayEvent({ authorizer: { ...tenantAdmin, tier: 'basic' } }),
    );
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ ...tenantAdmin, tier: 'basic' });
  });

  it('ignores tenant ids in the path, query, headers and body', async () => {
    const handler = httpHandler({ body: strictObject({ tenantId: optional(string()) }) }).handler(
      async (_event, context) => json(200, context.tenant.tenantId),
    );
    const event = apiGatewayEvent({
      method: 'POST',
      pathParameters: { tenantId: 'tenant-b' },
      queryStringParameters: { tenantId: 'tenant-b' },
      headers: { 'x-tenant-id': 'tenant-b', tenantId: 'tenant-b' },
      body: { tenantId: 'tenant-b' },
      authorizer: tenantAdmin,
    });
    expect(JSON.parse((await invoke(handler, event)).body)).toBe('tenant-a');
  });

  it('answers 401 when a protected route gets no authorizer context', async () => {
    const route = vi.fn(async () => json(200, {}));
    const response = await invoke(httpHandler().handler(route), apiGatewayEvent({ authorizer: null }));
    expect(response.statusCode).toBe(401);
    expect(JSON.parse(response.body)).toEqual({ message: 'Unauthorized' });
    expect(route).not.toHaveBeenCalled();
  });

  it('answers 401 when the authorizer context carries an unknown role', async () => {
    const handler = httpHandler().handler(async () => json(200, {}));
    const response = await invoke(handler, apiGatewayEvent({ authorizer: { ...tenantAdmin, role: 'Root' } }));
    expect(response.statusCode).toBe(401);
  });

  it('answers 403 when the role is not among the route roles', async () => {
    const route = vi.fn(async () => json(200, {}));
    const handler = httpHandler({ roles: ['SystemAdmin'] }).handler(route);
    const response = await invoke(handler, apiGatewayEvent({ authorizer: tenantAdmin }));
    expect(response.statusCode).toBe(403);
    expect(route).not.toHaveBeenCalled();
  });

  it('lets a public route run without an authorizer context', async () => {
    const handler = httpHandler({ auth: 'none' }).handler(async () => json(200, { ok: true }));
    const response = await invoke(handler, apiGatewayEvent({ authorizer: null }));
    expect(response.statusCode).toBe(200);
  });

  it('adds JSON and CORS headers to every response', async () => {
    const ok = await invoke(
      httpHandler({ auth: 'none' }).handler(async () => json(200, {})),
      apiGatewayEvent(),
    );
    const failed = await invoke(
      httpHandler({ auth: 'none' }).handler(async () => {
        throw new NotFoundError('product not found');
      }),
      apiGatewayEvent(),
    );
    for (const response of [ok, failed]) {
      expect(response.headers).toMatchObject({
        'Content-Type': 'application/json',
        'Access-Control-Allow-Origin': '*',
      });
    }
  });

  describe('body', () => {
    const body = strictObject({ name: string({ maxLength: 20 }), price: integer({ min: 0 }) });
    const handler = httpHandler({ body }).handler(async (event) => json(201, event.body));
    const post = (payload: unknown) =>
      invoke(handler, apiGatewayEvent({ method: 'POST', body: payload, authorizer: tenantAdmin }));

    it('hands the validated body to the route', async () => {
      const response = await post({ name: 'pen', price: 150 });
      expect(response.statusCode).toBe(201);
      expect(JSON.parse(response.body)).toEqual({ name: 'pen', price: 150 });
    });

    it('answers 400 for malformed JSON', async () => {
      const response = await post('{"name": "pen",');
      expect(response.statusCode).toBe(400);
      expect(JSON.parse(response.body)).toEqual({ message: 'request body is not valid JSON' });
    });

    it('answers 400 naming an unknown field', async () => {
      const response = await post({ name: 'pen', price: 1, colour: 'red' });
      expect(response.statusCode).toBe(400);
      expect(JSON.parse(response.body).message).toContain('colour');
    });

    it('answers 400 naming a field with a bad value', async () => {
      const response = await post({ name: 'pen', price: -1 });
      expect(response.statusCode).toBe(400);
      expect(JSON.parse(response.body).message).toMatch(/^price /);
    });

    it('answers 400 naming the body when it is over 16 KiB', async () => {
      const response = await post({ name: 'pen', price: 1, pad: 'x'.repeat(16 * 1024) });
      expect(response.statusCode).toBe(400);
      expect(JSON.parse(response.body).message).toBe('request body must be at most 16384 bytes');
    });

    it('answers 400 when the body is missing', async () => {
      const response = await invoke(handler, apiGatewayEvent({ method: 'POST', authorizer: tenantAdmin }));
      expect(response.statusCode).toBe(400);
    });
  });

  describe('errors', () => {
    const logged: unknown[] = [];
    const observability = {
      logger: {
        addContext: () => undefined,
        appendKeys: () => undefined,
        resetKeys: () => undefined,
        error: (message: string, extra: unknown) => logged.push({ message, extra }),
        warn: () => undefined,
        info: () => undefined,
        debug: () => undefined,
      },
      metrics: {
        clearDimensions: () => undefined,
        clearMetadata: () => undefined,
        clearMetrics: () => undefined,
        hasStoredMetrics: () => false,
      },
    } as unknown as Observability;
    const failWith = (error: unknown) =>
      invoke(
        httpHandler({ auth: 'none', observability }).handler(async () => {
          throw error;
        }),
        apiGatewayEvent(),
      );

    it('maps an HTTP error to its status, message and code', async () => {
      const response = await failWith(new ConflictError('tenant name taken', { code: 'TenantNameTaken' }));
      expect(response.statusCode).toBe(409);
      expect(JSON.parse(response.body)).toEqual({ message: 'tenant name taken', code: 'TenantNameTaken' });
    });

    it('answers a generic 500 for an unknown error without leaking it', async () => {
      logged.length = 0;
      const response = await failWith(new Error('ResourceNotFoundException: table tenantry-dev-secret'));
      expect(response.statusCode).toBe(500);
      expect(response.body).toBe('{"message":"Internal server error"}');
      expect(logged).toEqual([
        {
          message: 'request failed',
          extra: expect.objectContaining({ errorMessage: expect.stringContaining('tenantry-dev-secret') }),
        },
      ]);
    });

    it('hides the message of an unexposed HTTP error', async () => {
      const response = await failWith(new HttpError(503, 'downstream cognito-idp throttled'));
      expect(response.statusCode).toBe(503);
      expect(JSON.parse(response.body)).toEqual({ message: 'Internal server error' });
    });
  });
});
