/**
 * Errors of the usage-plans module. A {@link ApiGatewayServiceError} is what the API Gateway
 * management API answers (status, `x-amzn-ErrorType` = `type`, body `{"message"}`); the others are
 * thrown by the CloudFormation providers when a template asks for something they cannot honour.
 */
export class ApiGatewayServiceError extends Error {
  constructor(
    /** The AWS exception name, e.g. `NotFoundException`. */
    readonly type:
      | 'BadRequestException'
      | 'NotFoundException'
      | 'ConflictException'
      | 'TooManyRequestsException'
      | 'LimitExceededException',
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiGatewayServiceError';
  }
}

export const badRequest = (message: string): ApiGatewayServiceError =>
  new ApiGatewayServiceError('BadRequestException', 400, message);
export const notFound = (message: string): ApiGatewayServiceError =>
  new ApiGatewayServiceError('NotFoundException', 404, message);
export const conflict = (message: string): ApiGatewayServiceError =>
  new ApiGatewayServiceError('ConflictException', 409, message);
export const tooManyRequests = (): ApiGatewayServiceError =>
  new ApiGatewayServiceError('TooManyRequestsException', 429, 'Too Many Requests');

/** A WAF statement, action or option AWS accepts but the local cloud does not evaluate. */
export class UnsupportedWafFeatureError extends Error {
  override name = 'UnsupportedWafFeatureError';
}
