/** An error STS answers (awsQuery `ErrorResponse`), with its HTTP status. */
export class StsServiceError extends Error {
  override name = 'StsServiceError';
  constructor(
    /** The AWS error code, e.g. `AccessDenied`. */
    readonly code: string,
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
  }
}
