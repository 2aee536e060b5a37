export {
  type ApiGatewayEventInput,
  type AuthorizerContextInput,
  apiGatewayEvent,
  lambdaContext,
} from './api-gateway-event.js';
export {
  cognitoIdTokenClaims,
  createTestSigningKey,
  type JwksServer,
  signJwt,
  startJwksServer,
  type TestSigningKey,
} from './jwt.js';
