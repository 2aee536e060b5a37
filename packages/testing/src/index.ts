export {
  type ApiGatewayEventInput,
  type AuthorizerContextInput,
  apiGatewayEvent,
  lambdaContext,
} from './api-gateway-event.js';
export {
  acceptInvitation,
  type ControlPlaneStack,
  callApi,
  type InvokeResult,
  invokeFunction,
  type JsonAnswer,
  logIn,
  logInSystemAdmin,
  type OutboxMessage,
  pollUntil,
  readOutbox,
} from './control-plane.js';
export {
  cognitoIdTokenClaims,
  createTestSigningKey,
  type JwksServer,
  signJwt,
  startJwksServer,
  type TestSigningKey,
} from './jwt.js';
export { createLocalUser, type LocalUser, type LocalUserInput } from './local-users.js';
export { createTestTenant, type TestStack, type TestTenant } from './test-tenants.js';
