/** Errors the API Gateway emulator's providers throw when a template asks for something it cannot honour. */

export class ApiGatewayError extends Error {
  override name = 'ApiGatewayError';
}

/** A property or resource type AWS accepts but this emulator does not implement. */
export class UnsupportedFeatureError extends ApiGatewayError {
  override name = 'UnsupportedFeatureError';
}

/** A referenced API, resource, authorizer or stage does not exist (NotFoundException on AWS). */
export class NotFoundError extends ApiGatewayError {
  override name = 'NotFoundError';
}

/** The resource exists already (ConflictException on AWS). */
export class ConflictError extends ApiGatewayError {
  override name = 'ConflictError';
}

/** The integration (or authorizer) did not answer in time. */
export class IntegrationTimeoutError extends ApiGatewayError {
  override name = 'IntegrationTimeoutError';
}
