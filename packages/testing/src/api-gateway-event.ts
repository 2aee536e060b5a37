import type { APIGatewayProxyEvent, Context } from 'aws-lambda';

/** The authorizer context the platform authorizer hands to every protected route. */
export interface AuthorizerContextInput {
  tenantId?: string;
  userId?: string;
  role?: string;
  tier?: string;
  [key: string]: string | number | boolean | undefined;
}

/** What a test says about the request; everything else gets a realistic default. */
export interface ApiGatewayEventInput {
  method?: string;
  /** Resource template, e.g. `/products/{productId}`. */
  resource?: string;
  /** Concrete path; defaults to the resource with path parameters filled in. */
  path?: string;
  pathParameters?: Record<string, string>;
  queryStringParameters?: Record<string, string>;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else is JSON-encoded. */
  body?: unknown;
  /** `null` sends no authorizer context at all (a public route). */
  authorizer?: AuthorizerContextInput | null;
}

/**
 * Builds a REST API (v1) proxy event as API Gateway sends it to a Lambda integration.
 *
 * @example
 * ```ts
 * const event = apiGatewayEvent({
 *   method: 'GET',
 *   resource: '/products/{productId}',
 *   pathParameters: { productId: 'p1' },
 *   authorizer: { tenantId: 't1', userId: 'u1', role: 'TenantUser' },
 * });
 * ```
 */
export function apiGatewayEvent(input: ApiGatewayEventInput = {}): APIGatewayProxyEvent {
  const method = input.method ?? 'GET';
  const resource = input.resource ?? '/';
  const pathParameters = input.pathParameters ?? null;
  const path =
    input.path ??
    resource.replace(/\{(\w+)\+?\}/g, (_match, name: string) =>
      encodeURIComponent(pathParameters?.[name] ?? ''),
    );
  const headers = { 'Content-Type': 'application/json', ...input.headers };
  const body =
    input.body === undefined
      ? null
      : typeof input.body === 'string'
        ? input.body
        : JSON.stringify(input.body);
  const authorizer = input.authorizer === null ? null : { principalId: 'user-1', ...input.authorizer };
  return {
    resource,
    path,
    httpMethod: method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: input.queryStringParameters ?? null,
    multiValueQueryStringParameters: input.queryStringParameters
      ? Object.fromEntries(Object.entries(input.queryStringParameters).map(([k, v]) => [k, [v]]))
      : null,
    pathParameters,
    stageVariables: null,
    body,
    isBase64Encoded: false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'api1234567',
      authorizer,
      protocol: 'HTTP/1.1',
      httpMethod: method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: '127.0.0.1',
        user: null,
        userAgent: 'vitest',
        userArn: null,
      },
      path: `/dev${path}`,
      stage: 'dev',
      requestId: 'request-1',
      requestTimeEpoch: Date.UTC(2026, 0, 1),
      resourceId: 'resource1',
      resourcePath: resource,
    },
  };
}

/** A Lambda context good enough for handlers under test. */
export function lambdaContext(overrides: Partial<Context> = {}): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'test-function',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:test-function',
    memoryLimitInMB: '1024',
    awsRequestId: 'aws-request-1',
    logGroupName: '/aws/lambda/test-function',
    logStreamName: 'stream',
    getRemainingTimeInMillis: () => 10_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
    ...overrides,
  };
}
