/** The emulator's in-memory view of deployed REST APIs, shared by the providers, the router and the request pipeline. */

export type GatewayResponseType =
  | 'ACCESS_DENIED'
  | 'API_CONFIGURATION_ERROR'
  | 'AUTHORIZER_CONFIGURATION_ERROR'
  | 'AUTHORIZER_FAILURE'
  | 'BAD_REQUEST_PARAMETERS'
  | 'BAD_REQUEST_BODY'
  | 'DEFAULT_4XX'
  | 'DEFAULT_5XX'
  | 'EXPIRED_TOKEN'
  | 'INTEGRATION_FAILURE'
  | 'INTEGRATION_TIMEOUT'
  | 'INVALID_API_KEY'
  | 'INVALID_SIGNATURE'
  | 'MISSING_AUTHENTICATION_TOKEN'
  | 'QUOTA_EXCEEDED'
  | 'REQUEST_TOO_LARGE'
  | 'RESOURCE_NOT_FOUND'
  | 'THROTTLED'
  | 'UNAUTHORIZED'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'WAF_FILTERED';

/** Where a mapped value comes from: a quoted literal or a request parameter (`method.request.header.Origin`, ...). */
export type ValueSource =
  | { kind: 'literal'; value: string }
  | { kind: 'header'; name: string }
  | { kind: 'query'; name: string }
  | { kind: 'path'; name: string }
  | { kind: 'stageVariable'; name: string }
  | { kind: 'context'; path: string[] };

export interface AuthorizerConfig {
  id: string;
  name: string;
  type: 'TOKEN' | 'REQUEST';
  functionArn: string;
  identitySources: ValueSource[];
  /** TOKEN only: the token must match the whole expression. */
  validation?: RegExp;
  ttlSeconds: number;
}

export interface LambdaProxyIntegration {
  type: 'AWS_PROXY';
  functionArn: string;
  timeoutMs: number;
}

export interface MockIntegrationResponse {
  statusCode: number;
  /** Matched against the status code; undefined for the default response. */
  selectionPattern?: RegExp;
  headers: Array<[string, ValueSource]>;
  body: string;
  contentType: string;
}

export interface MockIntegration {
  type: 'MOCK';
  statusCode: number;
  responses: MockIntegrationResponse[];
}

export type Integration = LambdaProxyIntegration | MockIntegration;

export interface MethodConfig {
  restApiId: string;
  resourceId: string;
  httpMethod: string;
  authorizationType: 'NONE' | 'CUSTOM';
  authorizerId?: string;
  apiKeyRequired: boolean;
  integration: Integration;
}

export interface ApiResource {
  id: string;
  /** Undefined for the root resource. */
  parentId?: string;
  pathPart: string;
  methods: Map<string, MethodConfig>;
}

export interface GatewayResponseConfig {
  type: GatewayResponseType;
  statusCode?: number;
  headers: Array<[string, ValueSource]>;
  templates: Record<string, string>;
}

export interface StageState {
  name: string;
  /** Deployments and Stage resources serving this stage, each with the stage variables it sets. */
  owners: Map<string, StageOwner>;
  /** Effective stage variables (merged over owners), null when none. */
  variables: Record<string, string> | null;
  /** The latest deployment serving the stage (`requestContext.deploymentId`). */
  deploymentId: string;
}

export interface StageOwner {
  variables: Record<string, string> | null;
  deploymentId?: string;
}

export interface RestApiState {
  id: string;
  name: string;
  rootResourceId: string;
  apiKeySourceType: 'HEADER' | 'AUTHORIZER';
  minimumCompressionSize?: number;
  binaryMediaTypes: string[];
  resources: Map<string, ApiResource>;
  authorizers: Map<string, AuthorizerConfig>;
  gatewayResponses: Map<GatewayResponseType, GatewayResponseConfig>;
  stages: Map<string, StageState>;
  /** Bumped on every change to resources or methods; the router is rebuilt when it moves. */
  version: number;
}

/** What a later module (usage plans, API keys) sees after authorization and before the integration runs. */
export interface BeforeIntegrationContext {
  restApiId: string;
  stage: string;
  requestId: string;
  resourcePath: string;
  httpMethod: string;
  sourceIp: string;
  apiKeyRequired: boolean;
  apiKeySourceType: 'HEADER' | 'AUTHORIZER';
  /** The `x-api-key` header value (meaningful when the API key source is HEADER). */
  apiKeyHeader?: string;
  /** The `usageIdentifierKey` the custom authorizer returned (meaningful when the source is AUTHORIZER). */
  usageIdentifierKey?: string;
}

/**
 * What the hook decides: `undefined` lets the request through; `{ responseType }` rejects it with a gateway
 * response (customisable by GatewayResponse resources, e.g. THROTTLED → 429 "Too Many Requests");
 * `{ statusCode, body }` rejects it with that response as is; `{ apiKey, apiKeyId }` lets it through and shows
 * the key in `requestContext.identity`.
 */
export type BeforeIntegrationResult =
  | undefined
  | { responseType: GatewayResponseType; message?: string; statusCode?: number }
  | { statusCode: number; body: string; headers?: Record<string, string> }
  | { apiKey?: string; apiKeyId?: string };

export type BeforeIntegrationHook = (ctx: BeforeIntegrationContext) => Promise<BeforeIntegrationResult>;
