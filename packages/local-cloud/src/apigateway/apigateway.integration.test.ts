import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClock } from '../clock.js';
import { FUNCTIONS, functionExternals, productsTemplate, proxyMethod } from './fixtures.js';
import { type ApiGatewayEmulator, type BeforeIntegrationContext, createApiGateway } from './index.js';
import {
  ACCOUNT_ID,
  createFakeLambda,
  type DeployedStack,
  deployTemplate,
  type FakeLambda,
  functionArn,
  REGION,
  startServer,
  type TestServer,
} from './testing.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: () => Record<string, unknown>;
}

function send(
  url: string,
  options: { method?: string; headers?: OutgoingHttpHeaders; body?: string | Buffer } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
      });
    });
    req.on('error', reject);
    for (const [name, value] of Object.entries(options.headers ?? {})) {
      if (value !== undefined) req.setHeader(name, value as string | string[]);
    }
    req.end(options.body);
  });
}

function bearer(token: string): OutgoingHttpHeaders {
  return { Authorization: `Bearer ${token}` };
}

const stageArn = (methodArn: string) => methodArn.split('/').slice(0, 2).join('/');

function policy(
  principalId: string,
  statements: Array<Record<string, unknown>>,
  extra: Record<string, unknown> = {},
) {
  return { principalId, policyDocument: { Version: '2012-10-17', Statement: statements }, ...extra };
}

/** Decides by token: what each test's caller presents. */
function tokenAuthorizer(event: Record<string, unknown>): unknown {
  const token = String(event.authorizationToken ?? '').replace(/^Bearer /, '');
  const methodArn = String(event.methodArn);
  switch (token) {
    case 'allow':
      return policy(
        'user-1',
        [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: `${stageArn(methodArn)}/*` }],
        {
          context: { tenantId: 'tenant-1', quota: 5, admin: true },
          usageIdentifierKey: 'tenant-1-api-key',
        },
      );
    case 'deny':
      return policy('user-2', [
        { Action: 'execute-api:*', Effect: 'Allow', Resource: '*' },
        { Action: 'execute-api:Invoke', Effect: 'Deny', Resource: methodArn },
      ]);
    case 'elsewhere':
      return policy('user-3', [
        {
          Action: 'execute-api:Invoke',
          Effect: 'Allow',
          Resource: 'arn:aws:execute-api:us-east-1:000000000000:other/*',
        },
      ]);
    case 'list-only':
      return policy('user-4', [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: methodArn }]);
    case 'expired':
      throw new Error('Unauthorized');
    case 'crash':
      throw new TypeError('Cannot read properties of undefined');
    case 'no-policy':
      return { principalId: 'user-5' };
    default:
      throw new Error('Unauthorized');
  }
}

function echo(event: Record<string, unknown>): unknown {
  return { statusCode: 200, body: JSON.stringify(event) };
}

describe('API Gateway emulator', () => {
  let lambda: FakeLambda;
  let clock: ReturnType<typeof createClock>;
  let gateway: ApiGatewayEmulator;
  let server: TestServer;
  let stack: DeployedStack;
  let apiId: string;
  let url: string;
  let hookCalls: BeforeIntegrationContext[];

  beforeAll(async () => {
    clock = createClock();
    lambda = createFakeLambda();
    let baseUrl = '';
    gateway = createApiGateway({
      region: REGION,
      accountId: ACCOUNT_ID,
      clock,
      lambda: lambda.invoker,
      baseUrl: () => baseUrl,
    });
    server = await startServer(gateway.handle);
    baseUrl = server.baseUrl;
    stack = await deployTemplate(gateway.providers, productsTemplate(), functionExternals(functionArn));
    apiId = stack.ref('ApiGatewayRestApi');
    url = gateway.urlOf(apiId, 'dev');
  });

  afterAll(async () => {
    await stack.destroy();
    await server.close();
  });

  beforeEach(() => {
    lambda.calls.length = 0;
    hookCalls = [];
    gateway.flushAuthorizerCache(apiId);
    gateway.setBeforeIntegration((ctx) => {
      hookCalls.push(ctx);
      return undefined;
    });
    for (const name of Object.values(FUNCTIONS)) lambda.define(name, echo);
    lambda.define(FUNCTIONS.AuthorizerLambdaFunction, tokenAuthorizer);
    lambda.define(FUNCTIONS.NoCacheAuthorizerLambdaFunction, tokenAuthorizer);
    lambda.define(FUNCTIONS.TenantAuthorizerLambdaFunction, (event) =>
      policy(
        'tenant-user',
        [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: String(event.methodArn) }],
        {
          context: { tenant: (event.queryStringParameters as Record<string, string>).tenant },
        },
      ),
    );
  });

  describe('routing', () => {
    it('serves the stage at urlOf in the /restapis/{id}/{stage}/_user_request_ form', () => {
      expect(url).toBe(`${server.baseUrl}/restapis/${apiId}/dev/_user_request_`);
      expect(apiId).toMatch(/^[a-z0-9]{10}$/);
    });

    it('prefers a static segment over a path parameter', async () => {
      const reply = await send(`${url}/products/featured`);
      expect(reply.status).toBe(200);
      expect(lambda.callsTo(FUNCTIONS.FeaturedProductsLambdaFunction)).toHaveLength(1);
      expect(lambda.callsTo(FUNCTIONS.GetProductLambdaFunction)).toHaveLength(0);
    });

    it('matches a path parameter and URL-decodes its value while event.path stays encoded', async () => {
      const reply = await send(`${url}/products/a%20b%2Fc`, { headers: bearer('allow') });
      expect(reply.status).toBe(200);
      const event = reply.json();
      expect(event.resource).toBe('/products/{productId}');
      expect(event.pathParameters).toEqual({ productId: 'a b/c' });
      expect(event.path).toBe('/products/a%20b%2Fc');
    });

    it('matches a greedy {proxy+} with any method over several segments', async () => {
      const reply = await send(`${url}/files/a/b/c.txt`, { method: 'DELETE' });
      expect(reply.status).toBe(200);
      const event = reply.json();
      expect(event.resource).toBe('/files/{proxy+}');
      expect(event.httpMethod).toBe('DELETE');
      expect(event.pathParameters).toEqual({ proxy: 'a/b/c.txt' });
    });

    it('serves a method on the root resource', async () => {
      const reply = await send(`${url}/`);
      expect(reply.status).toBe(200);
      expect(reply.json().resource).toBe('/');
    });

    it('answers 403 Missing Authentication Token for an unknown path or a missing method', async () => {
      for (const [path, method] of [
        ['/nothing-here', 'GET'],
        ['/files', 'GET'],
        ['/products/featured', 'DELETE'],
      ] as const) {
        const reply = await send(`${url}${path}`, { method });
        expect(reply.status).toBe(403);
        expect(reply.json()).toEqual({ message: 'Missing Authentication Token' });
        expect(reply.headers['x-amzn-errortype']).toBe('MissingAuthenticationTokenException');
      }
      expect(lambda.calls).toHaveLength(0);
    });

    it('answers 404 for an unknown API or stage', async () => {
      for (const path of [
        `/restapis/nosuchapi1/dev/_user_request_/products`,
        `/restapis/${apiId}/prod/_user_request_/`,
      ]) {
        const reply = await send(`${server.baseUrl}${path}`);
        expect(reply.status).toBe(404);
        expect(reply.json()).toEqual({ message: 'Not Found' });
      }
    });
  });

  describe('Lambda proxy integration', () => {
    it('sends the payload format 1.0 event exactly as AWS does', async () => {
      const reply = await send(`${url}/products?limit=10&tag=a&tag=b%20c`, {
        method: 'POST',
        headers: {
          ...bearer('allow'),
          'Content-Type': 'application/json',
          'User-Agent': 'tests/1.0',
          'X-Multi': ['one', 'two'],
        },
        body: '{"name":"Pen"}',
      });
      expect(reply.status).toBe(200);
      const event = reply.json();
      const requestContext = event.requestContext as Record<string, unknown>;
      expect(Object.keys(event)).toEqual([
        'resource',
        'path',
        'httpMethod',
        'headers',
        'multiValueHeaders',
        'queryStringParameters',
        'multiValueQueryStringParameters',
        'pathParameters',
        'stageVariables',
        'requestContext',
        'body',
        'isBase64Encoded',
      ]);
      expect(event).toMatchObject({
        resource: '/products',
        path: '/products',
        httpMethod: 'POST',
        queryStringParameters: { limit: '10', tag: 'b c' },
        multiValueQueryStringParameters: { limit: ['10'], tag: ['a', 'b c'] },
        pathParameters: null,
        stageVariables: null,
        body: '{"name":"Pen"}',
        isBase64Encoded: false,
      });
      const headers = event.headers as Record<string, string>;
      expect(headers).toMatchObject({
        Authorization: 'Bearer allow',
        'Content-Type': 'application/json',
        'User-Agent': 'tests/1.0',
        'X-Multi': 'two',
        'X-Forwarded-For': '127.0.0.1',
        'X-Forwarded-Proto': 'http',
      });
      expect(headers['X-Amzn-Trace-Id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
      expect((event.multiValueHeaders as Record<string, string[]>)['X-Multi']).toEqual(['one', 'two']);
      expect(requestContext).toEqual({
        resourceId: stack.ref('ApiGatewayResourceProducts'),
        resourcePath: '/products',
        httpMethod: 'POST',
        extendedRequestId: expect.stringMatching(/^[A-Za-z0-9+/]{15}=$/),
        requestTime: expect.stringMatching(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/),
        path: '/dev/products',
        accountId: ACCOUNT_ID,
        protocol: 'HTTP/1.1',
        stage: 'dev',
        domainPrefix: '127',
        requestTimeEpoch: expect.any(Number),
        requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        identity: {
          cognitoIdentityPoolId: null,
          accountId: null,
          cognitoIdentityId: null,
          caller: null,
          sourceIp: '127.0.0.1',
          principalOrgId: null,
          accessKey: null,
          cognitoAuthenticationType: null,
          cognitoAuthenticationProvider: null,
          userArn: null,
          userAgent: 'tests/1.0',
          user: null,
        },
        domainName: new URL(server.baseUrl).host,
        deploymentId: stack.ref('ApiGatewayDeployment1700000000000'),
        apiId,
        authorizer: {
          tenantId: 'tenant-1',
          quota: '5',
          admin: 'true',
          principalId: 'user-1',
          integrationLatency: expect.any(Number),
        },
      });
      expect(reply.headers['x-amzn-requestid']).toBe(requestContext.requestId);
      expect(reply.headers['x-amz-apigw-id']).toBe(requestContext.extendedRequestId);
    });

    it('sends null query parameters and body, and no authorizer, when there are none', async () => {
      const event = (await send(`${url}/products/featured`)).json();
      expect(event.queryStringParameters).toBeNull();
      expect(event.multiValueQueryStringParameters).toBeNull();
      expect(event.body).toBeNull();
      expect(event.requestContext).not.toHaveProperty('authorizer');
    });

    it('base64-encodes a body whose content type is a binary media type', async () => {
      const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff]);
      const event = (
        await send(`${url}/files/logo.png`, {
          method: 'PUT',
          headers: { 'Content-Type': 'image/png' },
          body: bytes,
        })
      ).json();
      expect(event.isBase64Encoded).toBe(true);
      expect(Buffer.from(String(event.body), 'base64')).toEqual(bytes);
    });

    it('maps statusCode, headers, multiValueHeaders and a base64 body to the response', async () => {
      lambda.define(FUNCTIONS.FilesLambdaFunction, () => ({
        statusCode: 201,
        headers: { 'Content-Type': 'text/plain', 'X-One': 'single', 'Set-Cookie': 'ignored=1' },
        multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'] },
        body: Buffer.from('hello').toString('base64'),
        isBase64Encoded: true,
      }));
      const reply = await send(`${url}/files/x`);
      expect(reply.status).toBe(201);
      expect(reply.text).toBe('hello');
      expect(reply.headers['content-type']).toBe('text/plain');
      expect(reply.headers['x-one']).toBe('single');
      expect(reply.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    });

    it('defaults the response Content-Type to application/json', async () => {
      lambda.define(FUNCTIONS.FilesLambdaFunction, () => ({ statusCode: 204 }));
      const reply = await send(`${url}/files/x`);
      expect(reply.status).toBe(204);
      expect(reply.headers['content-type']).toBe('application/json');
    });

    it('answers 502 Internal server error for a malformed Lambda response', async () => {
      for (const result of [
        { statusCode: 200, body: { not: 'a string' } },
        { body: 'no status' },
        'plain string',
        {
          statusCode: 200,
          body: '',
          extra: true,
        },
      ]) {
        lambda.define(FUNCTIONS.FilesLambdaFunction, () => result);
        const reply = await send(`${url}/files/x`);
        expect(reply.status).toBe(502);
        expect(reply.json()).toEqual({ message: 'Internal server error' });
      }
    });

    it('answers 502 when the function fails', async () => {
      lambda.define(FUNCTIONS.FilesLambdaFunction, () => {
        throw new Error('database down');
      });
      const reply = await send(`${url}/files/x`);
      expect(reply.status).toBe(502);
      expect(reply.json()).toEqual({ message: 'Internal server error' });
    });

    it('answers 504 Endpoint request timed out past the integration timeout', async () => {
      lambda.define(
        FUNCTIONS.SlowLambdaFunction,
        () => new Promise((resolve) => setTimeout(() => resolve(echo({})), 400)),
      );
      const reply = await send(`${url}/slow`);
      expect(reply.status).toBe(504);
      expect(reply.json()).toEqual({ message: 'Endpoint request timed out' });
    });
  });

  describe('Lambda authorizers', () => {
    it('invokes a TOKEN authorizer with the token and the method ARN', async () => {
      await send(`${url}/products`, { headers: bearer('allow') });
      expect(lambda.callsTo(FUNCTIONS.AuthorizerLambdaFunction)).toEqual([
        {
          type: 'TOKEN',
          authorizationToken: 'Bearer allow',
          methodArn: `arn:aws:execute-api:${REGION}:${ACCOUNT_ID}:${apiId}/dev/GET/products`,
        },
      ]);
    });

    it('passes usageIdentifierKey and the route to the before-integration hook', async () => {
      await send(`${url}/products`, { headers: bearer('allow') });
      expect(hookCalls).toEqual([
        expect.objectContaining({
          restApiId: apiId,
          stage: 'dev',
          resourcePath: '/products',
          httpMethod: 'GET',
          sourceIp: '127.0.0.1',
          apiKeySourceType: 'AUTHORIZER',
          usageIdentifierKey: 'tenant-1-api-key',
        }),
      ]);
    });

    it('answers 403 with an explicit deny message when a statement denies the method', async () => {
      const reply = await send(`${url}/products`, { headers: bearer('deny') });
      expect(reply.status).toBe(403);
      expect(reply.json()).toEqual({
        message: 'User is not authorized to access this resource with an explicit deny',
      });
      expect(lambda.callsTo(FUNCTIONS.ListProductsLambdaFunction)).toHaveLength(0);
    });

    it('answers 403 when no statement allows the method', async () => {
      const reply = await send(`${url}/products`, { headers: bearer('elsewhere') });
      expect(reply.status).toBe(403);
      expect(reply.json()).toEqual({ message: 'User is not authorized to access this resource' });
      expect(reply.headers['access-control-allow-origin']).toBe('*');
    });

    it('answers 401 when the authorizer fails with Unauthorized', async () => {
      const reply = await send(`${url}/products`, {
        headers: { ...bearer('expired'), Origin: 'http://console.local' },
      });
      expect(reply.status).toBe(401);
      expect(reply.json()).toEqual({ message: 'Unauthorized', requestId: reply.headers['x-amzn-requestid'] });
      expect(reply.headers['access-control-allow-origin']).toBe('http://console.local');
      expect(reply.headers['www-authenticate']).toBe('Bearer');
    });

    it('answers 401 without invoking the authorizer when the identity source is missing or empty', async () => {
      for (const headers of [{}, { Authorization: '' }]) {
        const reply = await send(`${url}/products`, { headers });
        expect(reply.status).toBe(401);
        expect(reply.json()).toMatchObject({ message: 'Unauthorized' });
      }
      expect(lambda.calls).toHaveLength(0);
    });

    it('answers 401 without invoking the authorizer when the token fails IdentityValidationExpression', async () => {
      const reply = await send(`${url}/nocache`, { headers: { Authorization: 'Basic dXNlcjpwYXNz' } });
      expect(reply.status).toBe(401);
      expect(lambda.calls).toHaveLength(0);
    });

    it('answers 500 with a null message when the authorizer crashes or returns no policy', async () => {
      for (const token of ['crash', 'no-policy']) {
        const reply = await send(`${url}/products`, { headers: bearer(token) });
        expect(reply.status).toBe(500);
        expect(reply.json()).toEqual({ message: null });
        expect(reply.headers['x-amzn-errortype']).toBe('AuthorizerConfigurationException');
      }
    });

    it('caches a result for the TTL and invokes the authorizer again once the clock passes it', async () => {
      for (let i = 0; i < 3; i++)
        expect((await send(`${url}/products`, { headers: bearer('allow') })).status).toBe(200);
      expect(lambda.callsTo(FUNCTIONS.AuthorizerLambdaFunction)).toHaveLength(1);
      clock.advance(299_000);
      await send(`${url}/products`, { headers: bearer('allow') });
      expect(lambda.callsTo(FUNCTIONS.AuthorizerLambdaFunction)).toHaveLength(1);
      clock.advance(1_000);
      await send(`${url}/products`, { headers: bearer('allow') });
      expect(lambda.callsTo(FUNCTIONS.AuthorizerLambdaFunction)).toHaveLength(2);
    });

    it('shares one authorizer call among concurrent requests with the same identity', async () => {
      const answers = await Promise.all(
        Array.from({ length: 8 }, () => send(`${url}/products`, { headers: bearer('allow') })),
      );
      expect(answers.map((answer) => answer.status)).toEqual(Array(8).fill(200));
      expect(lambda.callsTo(FUNCTIONS.AuthorizerLambdaFunction)).toHaveLength(1);
    });

    it('reports integrationLatency 0 for a cached result', async () => {
      await send(`${url}/products`, { headers: bearer('allow') });
      const event = (await send(`${url}/products`, { headers: bearer('allow') })).json();
      expect(
        (event.requestContext as { authorizer: Record<string, unknown> }).authorizer.integrationLatency,
      ).toBe(0);
    });

    it('invokes the authorizer for every request when the TTL is 0', async () => {
      await send(`${url}/nocache`, { headers: bearer('allow') });
      await send(`${url}/nocache`, { headers: bearer('allow') });
      expect(lambda.callsTo(FUNCTIONS.NoCacheAuthorizerLambdaFunction)).toHaveLength(2);
    });

    it('evaluates a cached policy again for another method and denies what it does not cover', async () => {
      expect((await send(`${url}/products`, { headers: bearer('list-only') })).status).toBe(200);
      const reply = await send(`${url}/products`, {
        method: 'POST',
        headers: bearer('list-only'),
        body: '{}',
      });
      expect(reply.status).toBe(403);
      expect(reply.json()).toEqual({ message: 'User is not authorized to access this resource' });
      expect(lambda.callsTo(FUNCTIONS.AuthorizerLambdaFunction)).toHaveLength(1);
    });

    it('keys the REQUEST authorizer cache on every identity source', async () => {
      const a1 = await send(`${url}/orders?tenant=a`, { headers: bearer('x') });
      const a2 = await send(`${url}/orders?tenant=a`, { headers: bearer('x') });
      const b = await send(`${url}/orders?tenant=b`, { headers: bearer('x') });
      expect([a1.status, a2.status, b.status]).toEqual([200, 200, 200]);
      expect(lambda.callsTo(FUNCTIONS.TenantAuthorizerLambdaFunction)).toHaveLength(2);
      expect((b.json().requestContext as { authorizer: Record<string, unknown> }).authorizer.tenant).toBe(
        'b',
      );
    });

    it('sends the REQUEST authorizer the request and answers 401 when one identity source is missing', async () => {
      await send(`${url}/orders?tenant=a`, { headers: bearer('x') });
      const [event] = lambda.callsTo(FUNCTIONS.TenantAuthorizerLambdaFunction);
      expect(event).toMatchObject({
        type: 'REQUEST',
        methodArn: `arn:aws:execute-api:${REGION}:${ACCOUNT_ID}:${apiId}/dev/GET/orders`,
        resource: '/orders',
        path: '/orders',
        httpMethod: 'GET',
        headers: expect.objectContaining({ Authorization: 'Bearer x' }),
        queryStringParameters: { tenant: 'a' },
        multiValueQueryStringParameters: { tenant: ['a'] },
        pathParameters: null,
        stageVariables: null,
        requestContext: expect.objectContaining({ resourcePath: '/orders', stage: 'dev', apiId }),
      });
      expect(event?.requestContext).not.toHaveProperty('authorizer');
      lambda.calls.length = 0;
      expect((await send(`${url}/orders`, { headers: bearer('x') })).status).toBe(401);
      expect(lambda.calls).toHaveLength(0);
    });

    it('invokes the authorizer again after flushAuthorizerCache', async () => {
      await send(`${url}/products`, { headers: bearer('allow') });
      gateway.flushAuthorizerCache(apiId, 'dev');
      await send(`${url}/products`, { headers: bearer('allow') });
      expect(lambda.callsTo(FUNCTIONS.AuthorizerLambdaFunction)).toHaveLength(2);
    });
  });

  describe('before-integration hook', () => {
    afterEach(() => gateway.setBeforeIntegration(undefined));

    it('rejects with a gateway response type, customised by DEFAULT_4XX', async () => {
      gateway.setBeforeIntegration(() => ({ responseType: 'THROTTLED' }));
      const reply = await send(`${url}/products`, { headers: bearer('allow') });
      expect(reply.status).toBe(429);
      expect(reply.json()).toEqual({ message: 'Too Many Requests' });
      expect(reply.headers['access-control-allow-origin']).toBe('*');
      expect(lambda.callsTo(FUNCTIONS.ListProductsLambdaFunction)).toHaveLength(0);
    });

    it('shows the API key it accepted in requestContext.identity', async () => {
      gateway.setBeforeIntegration(() => ({ apiKey: 'tenant-1-api-key', apiKeyId: 'k1' }));
      const event = (await send(`${url}/products`, { headers: bearer('allow') })).json();
      expect((event.requestContext as { identity: Record<string, unknown> }).identity).toMatchObject({
        apiKey: 'tenant-1-api-key',
        apiKeyId: 'k1',
      });
    });
  });

  describe('CORS and gateway responses', () => {
    it('answers a preflight from the MOCK OPTIONS method without authorization', async () => {
      const reply = await send(`${url}/products`, {
        method: 'OPTIONS',
        headers: { Origin: 'http://console.local', 'Access-Control-Request-Method': 'POST' },
      });
      expect(reply.status).toBe(200);
      expect(reply.text).toBe('');
      expect(reply.headers).toMatchObject({
        'access-control-allow-origin': '*',
        'access-control-allow-methods': 'OPTIONS,GET,POST',
        'access-control-allow-headers':
          'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token,X-Amz-User-Agent,X-Amzn-Trace-Id',
        'content-type': 'application/json',
      });
      expect(lambda.calls).toHaveLength(0);
    });

    it('adds the DEFAULT_4XX headers to a Missing Authentication Token response', async () => {
      const reply = await send(`${url}/nowhere`);
      expect(reply.status).toBe(403);
      expect(reply.headers['access-control-allow-origin']).toBe('*');
      expect(reply.headers['access-control-allow-headers']).toBe('*');
    });

    it('leaves 5XX gateway responses without the DEFAULT_4XX headers', async () => {
      lambda.define(FUNCTIONS.FilesLambdaFunction, () => 'bad');
      const reply = await send(`${url}/files/x`);
      expect(reply.status).toBe(502);
      expect(reply.headers['access-control-allow-origin']).toBeUndefined();
    });
  });

  describe('base path mappings', () => {
    afterEach(() => {
      gateway.removeBasePath('/app');
      gateway.removeBasePath('/app/v2');
    });

    it('serves a stage under a base path with the base path in event.path, as custom domains do', async () => {
      gateway.setBasePath('/app', apiId, 'dev');
      const reply = await send(`${server.baseUrl}/app/products/featured?x=1`);
      expect(reply.status).toBe(200);
      const event = reply.json();
      expect(event.resource).toBe('/products/featured');
      expect(event.path).toBe('/app/products/featured');
      expect((event.requestContext as Record<string, unknown>).path).toBe('/app/products/featured');
    });

    it('matches the longest base path first', async () => {
      lambda.define(FUNCTIONS.RootLambdaFunction, () => ({ statusCode: 200, body: 'root' }));
      gateway.setBasePath('/app', 'nosuchapi1', 'dev');
      gateway.setBasePath('/app/v2', apiId, 'dev');
      expect((await send(`${server.baseUrl}/app/v2`)).text).toBe('root');
      expect((await send(`${server.baseUrl}/app/v2/products/featured`)).status).toBe(200);
      expect((await send(`${server.baseUrl}/app/products/featured`)).status).toBe(404);
      expect((await send(`${server.baseUrl}/application/products`)).status).toBe(404);
    });
  });

  describe('shared APIs and deletion', () => {
    it('serves the methods of every stack that deploys the same API and removes a stack’s routes with it', async () => {
      const restApi = apiId;
      const rootId = stack.results.ApiGatewayRestApi?.attributes?.RootResourceId;
      const attached = await deployTemplate(
        gateway.providers,
        {
          ApiGatewayResourceReports: {
            Type: 'AWS::ApiGateway::Resource',
            Properties: { ParentId: rootId, PathPart: 'reports', RestApiId: restApi },
          },
          ApiGatewayMethodReportsGet: proxyMethod(
            'GET',
            'ApiGatewayResourceReports',
            'ReportsLambdaFunction',
            undefined,
            {
              restApi,
            },
          ),
          ApiGatewayDeployment1700000000001: {
            Type: 'AWS::ApiGateway::Deployment',
            Properties: { RestApiId: restApi, StageName: 'dev' },
            DependsOn: ['ApiGatewayMethodReportsGet'],
          },
        },
        { ReportsLambdaFunction: { Arn: functionArn('reports-dev-list') } },
        'reports-dev',
      );
      lambda.define('reports-dev-list', echo);
      expect((await send(`${url}/reports`)).status).toBe(200);
      expect((await send(`${url}/products/featured`)).status).toBe(200);
      await attached.destroy();
      expect((await send(`${url}/reports`)).status).toBe(403);
      expect((await send(`${url}/products/featured`)).status).toBe(200);
    });

    it('serves nothing once the stack is deleted', async () => {
      const other = await deployTemplate(
        gateway.providers,
        productsTemplate(),
        functionExternals(functionArn),
        'second',
      );
      const otherUrl = gateway.urlOf(other.ref('ApiGatewayRestApi'), 'dev');
      expect((await send(`${otherUrl}/products/featured`)).status).toBe(200);
      await other.destroy();
      const reply = await send(`${otherUrl}/products/featured`);
      expect(reply.status).toBe(404);
    });

    it('serves a stage only once a deployment exists for it', async () => {
      const template = productsTemplate();
      delete template.ApiGatewayDeployment1700000000000;
      const undeployed = await deployTemplate(
        gateway.providers,
        template,
        functionExternals(functionArn),
        'third',
      );
      const undeployedUrl = gateway.urlOf(undeployed.ref('ApiGatewayRestApi'), 'dev');
      expect((await send(`${undeployedUrl}/products/featured`)).status).toBe(404);
      await undeployed.destroy();
    });
  });
});
