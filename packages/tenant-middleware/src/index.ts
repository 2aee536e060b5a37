export { requireEnv } from './env.js';
export {
  BadRequestError,
  ConflictError,
  ForbiddenError,
  HttpError,
  type HttpErrorOptions,
  NotFoundError,
  TenantIsolationError,
  type TenantIsolationReason,
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
  FAULT_INJECTION_ENV,
  failIfInjected,
  failStepField,
  InjectedFaultError,
  internalFunction,
} from './internal-function.js';
export {
  type BodyValidator,
  httpResponse,
  jsonBody,
  MAX_BODY_BYTES,
  TENANT_INTERNAL_KEY,
  type TenantLambdaContext,
  tenantContext,
} from './middlewares.js';
export {
  annotateTenant,
  ISOLATION_METRIC,
  METRICS_NAMESPACE,
  type Observability,
  observability,
  type StackLogger,
  type StackMetrics,
  sharedObservability,
} from './observability.js';
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
  integerText,
  oneOf,
  optional,
  pathParameter,
  queryParameter,
  strictObject,
  string,
} from './validation.js';
