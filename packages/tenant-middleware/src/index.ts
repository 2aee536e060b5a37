export { requireEnv } from './env.js';
export {
  BadRequestError,
  ConflictError,
  ForbiddenError,
  HttpError,
  type HttpErrorOptions,
  NotFoundError,
  UnauthorizedError,
} from './errors.js';
export {
  type HttpEvent,
  httpHandler,
  json,
  noContent,
  type ProtectedHttpHandler,
  type ProtectedRouteOptions,
  type PublicHttpHandler,
  type PublicRouteOptions,
} from './http-handler.js';
export {
  type BodyValidator,
  httpResponse,
  jsonBody,
  TENANT_INTERNAL_KEY,
  type TenantLambdaContext,
  tenantContext,
} from './middlewares.js';
export {
  OPERATIONS_TENANT_ID,
  ROLES,
  type Role,
  readTenantContext,
  type TenantContext,
} from './tenant-context.js';
export {
  arrayOf,
  type FieldValidator,
  integer,
  oneOf,
  optional,
  pathParameter,
  strictObject,
  string,
} from './validation.js';
