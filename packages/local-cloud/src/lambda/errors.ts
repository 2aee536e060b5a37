/** An error the Lambda service itself returns (not a function error): carries the AWS error code and HTTP status. */
export class LambdaServiceError extends Error {
  readonly expose = true;
  /** Lambda's `Reason` field (throttling). */
  readonly reason: string | undefined;
  constructor(
    /** The AWS error code, e.g. `ResourceNotFoundException`. */
    readonly code: string,
    readonly statusCode: number,
    message: string,
    options?: { cause?: unknown; reason?: string },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LambdaServiceError';
    this.reason = options?.reason;
  }
}

export class ResourceNotFoundError extends LambdaServiceError {
  constructor(message: string) {
    super('ResourceNotFoundException', 404, message);
    this.name = 'ResourceNotFoundError';
  }
}

export class ResourceConflictError extends LambdaServiceError {
  constructor(message: string) {
    super('ResourceConflictException', 409, message);
    this.name = 'ResourceConflictError';
  }
}

/** A synchronous invocation beyond the function's concurrency, as Lambda throttles it. */
export class TooManyRequestsError extends LambdaServiceError {
  constructor(reason: string) {
    super('TooManyRequestsException', 429, 'Rate Exceeded.', { reason });
    this.name = 'TooManyRequestsError';
  }
}

export class InvalidRequestContentError extends LambdaServiceError {
  constructor(message: string, cause?: unknown) {
    super('InvalidRequestContentException', 400, message, { cause });
    this.name = 'InvalidRequestContentError';
  }
}

export class RequestTooLargeError extends LambdaServiceError {
  constructor(message: string) {
    super('RequestTooLargeException', 413, message);
    this.name = 'RequestTooLargeError';
  }
}

/** A template property the local Lambda cannot honour. */
export class LambdaConfigError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LambdaConfigError';
  }
}
