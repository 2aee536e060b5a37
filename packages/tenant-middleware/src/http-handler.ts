import middy, { type MiddyfiedHandler } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import {
  type BodyValidator,
  httpResponse,
  jsonBody,
  type TenantLambdaContext,
  tenantContext,
} from './middlewares.js';
import { annotateTenant, type Observability, observability, sharedObservability } from './observability.js';
import type { Role, TenantContext } from './tenant-context.js';

/** A REST API proxy event whose `body` has been parsed and validated into `TBody`. */
export type HttpEvent<TBody = undefined> = Omit<APIGatewayProxyEvent, 'body'> & { body: TBody };

interface RouteOptions<TBody> {
  /** Validates the JSON body; omit it for routes without a body (any body is then ignored). */
  body?: BodyValidator<TBody>;
  /** `Access-Control-Allow-Origin` of every response; defaults to `*`. */
  allowOrigin?: string;
  /** Logger and metrics; defaults to the container's Powertools instances ({@link sharedObservability}). */
  observability?: Observability;
}

/** A route anyone may call: no tenant context. */
export interface PublicRouteOptions<TBody> extends RouteOptions<TBody> {
  auth: 'none';
}

/** A route behind the platform authorizer (the default). */
export interface ProtectedRouteOptions<TBody> extends RouteOptions<TBody> {
  auth?: 'required';
  /** Roles allowed to call the route; any role when omitted. */
  roles?: readonly Role[];
}

export type PublicHttpHandler<TBody> = MiddyfiedHandler<
  HttpEvent<TBody>,
  APIGatewayProxyResult,
  Error,
  Context
>;
export type ProtectedHttpHandler<TBody> = MiddyfiedHandler<
  HttpEvent<TBody>,
  APIGatewayProxyResult,
  Error,
  TenantLambdaContext
>;

/**
 * Builds the standard middleware stack of a Tenantry HTTP route: Powertools logging and metrics
 * (tenant id, role and request id on every log line; tier dimension), JSON responses with CORS and
 * error mapping, the tenant context with the route's role guard, and the validated JSON body.
 *
 * @example
 * ```ts
 * export const handler = httpHandler({ roles: ['TenantAdmin'], body: createProductBody })
 *   .handler(async (event, context) => json(201, await createProduct(deps, context.tenant, event.body)));
 * ```
 */
export function httpHandler<TBody = undefined>(options: PublicRouteOptions<TBody>): PublicHttpHandler<TBody>;
export function httpHandler<TBody = undefined>(
  options?: ProtectedRouteOptions<TBody>,
): ProtectedHttpHandler<TBody>;
export function httpHandler<TBody>(
  options: PublicRouteOptions<TBody> | ProtectedRouteOptions<TBody> = {},
): PublicHttpHandler<TBody> | ProtectedHttpHandler<TBody> {
  // Middy runs `after`/`onError` in reverse order: observability goes first so it flushes last, and
  // the response middleware next so it sees every error, including those of the tenant and body
  // middlewares.
  const obs = options.observability ?? sharedObservability();
  const log = ({ message, ...entry }: Record<string, unknown>) => obs.logger.error(String(message), entry);
  const stack = middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, TenantLambdaContext>()
    .use(observability(obs))
    .use(httpResponse(options.allowOrigin ? { allowOrigin: options.allowOrigin, log } : { log }));
  if (options.auth !== 'none') {
    const onTenant = (tenant: TenantContext) => annotateTenant(obs, tenant);
    stack.use(tenantContext(options.roles ? { roles: options.roles, onTenant } : { onTenant }));
  }
  stack.use(jsonBody(options.body));
  return stack as unknown as ProtectedHttpHandler<TBody>;
}

/** A JSON response; the stack adds `Content-Type` and CORS headers. */
export const json = (
  statusCode: number,
  body: unknown,
  headers?: Record<string, string>,
): APIGatewayProxyResult =>
  headers ? { statusCode, headers, body: JSON.stringify(body) } : { statusCode, body: JSON.stringify(body) };

/** A `204 No Content` response. */
export const noContent = (): APIGatewayProxyResult => ({ statusCode: 204, body: '' });
