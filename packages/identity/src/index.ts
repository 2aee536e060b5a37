export { COGNITO_ENDPOINT_ENV, cognitoEndpoint, cognitoIssuer, cognitoJwksUri } from './cognito.js';
export { JwksUnavailableError, UnauthorizedError } from './errors.js';
export {
  type AuthorizerContext,
  bearerToken,
  buildAllowPolicy,
  type MethodArn,
  parseMethodArn,
} from './policy.js';
export {
  type AcceptedPool,
  createIdTokenVerifier,
  fetchJwksFetcher,
  type IdTokenVerifier,
  type IdTokenVerifierOptions,
  type VerifiedIdToken,
} from './verifier.js';
