import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { BadRequestError, ForbiddenError, HttpError } from './errors.js';
import { type Role, readTenantContext, type TenantContext } from './tenant-context.js';

/** Validates a parsed JSON body and returns it typed (see `strictObject`). */
export type BodyValidator<T> = (body: unknown) => T;

/** The Lambda context of a protected route, widened with the caller's identity. */
export type TenantLambdaContext = Context & { tenant: TenantContext };

/** Key under `request.internal` where the tenant context middleware keeps its result. */
export const TENANT_INTERNAL_KEY = 'tenantry:tenant';

const GENERIC_500 = 'Internal server error';

/** The largest JSON body a route accepts by default (16 KiB). */
export const MAX_BODY_BYTES = 16 * 1024;

/**
 * Answers every request with JSON and CORS headers, and maps errors: an exposed {@link HttpError}
 * becomes its status and `{message, code?}`; anything else becomes `500 {"message":"Internal
 * server error"}` and is logged, never serialised.
 */
export function httpResponse(
  options: { allowOrigin?: string; log?: (entry: Record<string, unknown>) => void } = {},
): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  const headers = {
    'Content-Type': 'application/json',
    'Access-Control-Allow-Origin': options.allowOrigin ?? '*',
  };
  const log = options.log ?? ((entry) => console.error(JSON.stringify({ level: 'error', ...entry })));
  return {
    after: (request) => {
      if (request.response) request.response.headers = { ...headers, ...request.response.headers };
    },
    onError: (request) => {
      const error = request.error;
      if (error instanceof HttpError && error.expose) {
        const body = error.code ? { message: error.message, code: error.code } : { message: error.message };
        request.response = { statusCode: error.statusCode, headers, body: JSON.stringify(body) };
        return;
      }
      log({
        message: 'request failed',
        errorName: error instanceof Error ? error.name : typeof error,
        errorMessage: error instanceof Error ? error.message : undefined,
        stack: error instanceof Error ? error.stack : undefined,
        awsRequestId: request.context.awsRequestId,
      });
      const statusCode = error instanceof HttpError ? error.statusCode : 500;
      request.response = { statusCode, headers, body: JSON.stringify({ message: GENERIC_500 }) };
    },
  };
}

/**
 * Puts the caller's {@link TenantContext} on `context.tenant` (read only from the authorizer
 * context) and enforces the route's role guard: a role outside `roles` gets 403. `onTenant` hears
 * of the caller as soon as it is known (the stack uses it to annotate logs and metrics).
 */
export function tenantContext(
  options: { roles?: readonly Role[]; onTenant?: (tenant: TenantContext) => void } = {},
): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult, Error, TenantLambdaContext> {
  const { roles, onTenant } = options;
  if (roles && roles.length === 0) throw new TypeError('tenantContext: roles must not be empty');
  return {
    before: (request) => {
      const tenant = readTenantContext(request.event);
      onTenant?.(tenant);
      if (roles && !roles.includes(tenant.role)) {
        throw new ForbiddenError('You are not allowed to perform this action');
      }
      (request.internal as Record<string, unknown>)[TENANT_INTERNAL_KEY] = tenant;
      request.context.tenant = tenant;
    },
  };
}

/**
 * Parses the JSON body and hands it to `validate`. Malformed JSON, a missing body, a body over
 * `maxBytes` (default {@link MAX_BODY_BYTES}) or a body the validator rejects is a 400. Without a validator the body is dropped, so a route only ever sees
 * input it declared.
 */
export function jsonBody<T>(
  validate?: BodyValidator<T>,
  options: { maxBytes?: number } = {},
): MiddlewareObj<APIGatewayProxyEvent> {
  const maxBytes = options.maxBytes ?? MAX_BODY_BYTES;
  return {
    before: (request) => {
      const event = request.event as unknown as { body: unknown; isBase64Encoded?: boolean };
      if (!validate) {
        event.body = undefined;
        return;
      }
      const raw = event.body;
      if (typeof raw !== 'string' || raw.length === 0) throw new BadRequestError('request body is required');
      const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
      if (Buffer.byteLength(text, 'utf8') > maxBytes)
        throw new BadRequestError(`request body must be at most ${maxBytes} bytes`, { field: 'body' });
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (cause) {
        throw new BadRequestError('request body is not valid JSON', { cause });
      }
      event.body = validate(parsed);
    },
  };
}
