export {
  type AuthorizerDecision,
  type AuthorizerDeps,
  type AuthorizerRequest,
  createAuthorizer,
  IDENTITY_CACHE_TTL_MS,
  logDecision,
  type ProtectedApi,
  type TenantDirectory,
  type TenantState,
  type UserDirectory,
  type UserState,
} from './authorizer.js';
export { COGNITO_ENDPOINT_ENV, cognitoEndpoint, cognitoIssuer, cognitoJwksUri } from './cognito.js';
export { buildTenantDirectory, buildUserDirectory } from './directories.js';
export { JwksUnavailableError, UnauthorizedError } from './errors.js';
export { toLambdaAuthorizer } from './lambda.js';
export {
  type AuthorizerContext,
  bearerToken,
  buildDenyPolicy,
  buildRolePolicy,
  type MethodArn,
  parseMethodArn,
} from './policy.js';
export { type ApiKind, ROUTE_PERMISSIONS, type Route, routeResource, routesFor } from './routes.js';
export { createTtlCache, type TtlCache, type TtlCacheOptions } from './ttl-cache.js';
export {
  type AcceptedPool,
  createIdTokenVerifier,
  fetchJwksFetcher,
  type IdTokenVerifier,
  type IdTokenVerifierOptions,
  type VerifiedIdToken,
} from './verifier.js';
