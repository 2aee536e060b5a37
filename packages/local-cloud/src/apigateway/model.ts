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

/** A stage's method setting with throttling (`MethodSettings` of a Stage, or a Deployment's StageDescription). */
export interface MethodThrottleSetting {
  /** `/*` for every resource, else the resource path (`/products/{productId}`). */
  resourcePath: string;
  /** `*` for every method. */
  httpMethod: string;
  rateLimit: number;
  burstLimit: number;
}

export interface StageState {
  name: string;
  /** Throttling from the stage's method settings (merged over owners, later entries win). */
  methodThrottles: MethodThrottleSetting[];
  /** Deployments and Stage resources serving this stage, each with the stage variables it sets. */
  owners: Map<string, StageOwner>;
  /** Effective stage variables (merged over owners), null when none. */
  variables: Record<string, string> | null;
  /** The latest deployment serving the stage (`requestContext.deploymentId`). */
  deploymentId: string;
}

export interface StageOwner {
  variables: Record<string, string> | null;
  methodThrottles?: MethodThrottleSetting[];
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
  /** The stage's throttling for this method (stage MethodSettings), when it sets any. */
  methodThrottle?: { rateLimit: number; burstLimit: number };
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

/** Synchronous: it runs on every request, and usage plans decide from memory. */
export type BeforeIntegrationHook = (ctx: BeforeIntegrationContext) => BeforeIntegrationResult;

/**
 * What a pre-authorization module (a WAF web ACL) sees once the API stage is known, before routing and
 * authorization: AWS WAF evaluates every request to an associated stage first.
 */
export interface BeforeAuthorizationContext {
  restApiId: string;
  stage: string;
  requestId: string;
  httpMethod: string;
  sourceIp: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The query string without `?` ('' when none). */
  query: string;
  /**
   * The URI path as WAF would see it: `/{stage}/{path}` (the execute-api form) first, then, through a base path
   * mapping (the local stand-in for a custom domain), `{basePath}/{path}`.
   */
  uriPaths: string[];
}

/** `undefined` lets the request through; the other forms reject it as {@link BeforeIntegrationResult} does. */
export type BeforeAuthorizationResult =
  | undefined
  | { responseType: GatewayResponseType; message?: string; statusCode?: number }
  | { statusCode: number; body: string; headers?: Record<string, string> };

/** Synchronous: it runs on every request, and web ACLs decide from memory. */
export type BeforeAuthorizationHook = (ctx: BeforeAuthorizationContext) => BeforeAuthorizationResult;
