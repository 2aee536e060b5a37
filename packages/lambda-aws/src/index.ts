export {
  AwsServiceError,
  COGNITO_IDENTITY_PROVIDER,
  createJsonClient,
  DYNAMODB,
  endpointOf,
  type JsonClient,
  type JsonClientOptions,
  type JsonService,
  SSM,
} from './json-client.js';
