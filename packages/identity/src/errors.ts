/**
 * Thrown for a missing, malformed or rejected token. Its message is exactly `Unauthorized`, the
 * message API Gateway turns into a 401 when a Lambda authorizer throws it.
 */
export class UnauthorizedError extends Error {
  constructor(options?: { cause?: unknown }) {
    super('Unauthorized', options);
    this.name = 'UnauthorizedError';
  }
}

/** The JWKS of a user pool could not be fetched: our fault, not the caller's. */
export class JwksUnavailableError extends Error {
  constructor(options?: { cause?: unknown }) {
    super('JWKS unavailable', options);
    this.name = 'JwksUnavailableError';
  }
}
