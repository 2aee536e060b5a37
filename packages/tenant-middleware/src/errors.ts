/** Options every HTTP error accepts. */
export interface HttpErrorOptions {
  /** Machine-readable code sent as `code` in the body (only when the error is exposed). */
  code?: string;
  /** Whether `message` may be shown to the caller; defaults to `statusCode < 500`. */
  expose?: boolean;
  cause?: unknown;
}

/**
 * An error that maps to an HTTP status. Its `message` reaches the caller only when `expose` is true
 * (the default for 4xx), so it must be safe to show a user: no SDK text, no other tenant's data.
 *
 * @example
 * ```ts
 * throw new HttpError(429, 'Too Many Requests');
 * ```
 */
export class HttpError extends Error {
  // Names are spelled out, not taken from the class: bundles are minified without keeping names.
  override name = 'HttpError';
  readonly statusCode: number;
  readonly expose: boolean;
  readonly code: string | undefined;

  constructor(statusCode: number, message: string, options: HttpErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.statusCode = statusCode;
    this.expose = options.expose ?? statusCode < 500;
    this.code = options.code;
  }
}

/** 400: the request is malformed; the message names the offending field. */
export class BadRequestError extends HttpError {
  override name = 'BadRequestError';
  /** The field the message is about, when there is one (e.g. `tenantName`, `lines[0].quantity`). */
  readonly field: string | undefined;

  constructor(message: string, options: HttpErrorOptions & { field?: string } = {}) {
    super(400, message, options);
    this.field = options.field;
  }
}

/** 401: missing or invalid identity. */
export class UnauthorizedError extends HttpError {
  override name = 'UnauthorizedError';
  constructor(message = 'Unauthorized', options: HttpErrorOptions = {}) {
    super(401, message, options);
  }
}

/** 403: a valid identity that may not do this. */
export class ForbiddenError extends HttpError {
  override name = 'ForbiddenError';
  constructor(message = 'Forbidden', options: HttpErrorOptions = {}) {
    super(403, message, options);
  }
}

/** 404: unknown, or belonging to another tenant (the same answer either way). */
export class NotFoundError extends HttpError {
  override name = 'NotFoundError';
  constructor(message = 'Not found', options: HttpErrorOptions = {}) {
    super(404, message, options);
  }
}

/** 409: the request conflicts with the current state. */
export class ConflictError extends HttpError {
  override name = 'ConflictError';
  constructor(message = 'Conflict', options: HttpErrorOptions = {}) {
    super(409, message, options);
  }
}

/** Why the data layer refused a call as a tenant isolation breach. */
export type TenantIsolationReason = 'foreign-key' | 'foreign-item' | 'access-denied' | 'forbidden-operation';

/**
 * A call that would have reached another tenant's data, refused by the data layer (a key outside
 * the caller's partitions, an item of another tenant in a response, or DynamoDB's own
 * `AccessDeniedException` under the tenant's session policy). The caller gets the same 404 as for
 * a missing object; the observability middleware logs it as a security event (level warn,
 * `securityEvent: true`, without the key values) and counts it.
 *
 * @example
 * ```ts
 * throw new TenantIsolationError('product not found', { reason: 'foreign-key', operation: 'GetCommand' });
 * ```
 */
export class TenantIsolationError extends NotFoundError {
  override name = 'TenantIsolationError';
  readonly securityEvent = true as const;
  readonly reason: TenantIsolationReason;
  readonly operation: string | undefined;

  constructor(
    message: string,
    options: HttpErrorOptions & { reason: TenantIsolationReason; operation?: string },
  ) {
    super(message, options);
    this.reason = options.reason;
    this.operation = options.operation;
  }
}
