import type { APIGatewayProxyEvent } from 'aws-lambda';
import { UnauthorizedError } from './errors.js';

/** The roles a Tenantry user can have (`custom:userRole`). */
export const ROLES = ['SystemAdmin', 'TenantAdmin', 'TenantUser'] as const;
export type Role = (typeof ROLES)[number];

/** Tenant id of SystemAdmins (operations pool): they belong to no tenant. */
export const OPERATIONS_TENANT_ID = 'operations';

/** Who is calling, as established by the platform authorizer. */
export interface TenantContext {
  tenantId: string;
  userId: string;
  role: Role;
  tier?: string;
}

const isRole = (value: unknown): value is Role => ROLES.includes(value as Role);
const isNonEmptyString = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

/**
 * Reads the caller's identity from the authorizer context, the only source that a client cannot
 * forge: path, query, headers and body are never consulted. Throws {@link UnauthorizedError} when
 * the context is missing or incomplete (the route is then not behind the authorizer, and must fail
 * closed).
 */
export function readTenantContext(event: Pick<APIGatewayProxyEvent, 'requestContext'>): TenantContext {
  const authorizer: Record<string, unknown> | null | undefined = event.requestContext?.authorizer;
  const tenantId = authorizer?.tenantId;
  const userId = authorizer?.userId;
  const role = authorizer?.role;
  const tier = authorizer?.tier;
  if (!isNonEmptyString(tenantId) || !isNonEmptyString(userId) || !isRole(role)) {
    throw new UnauthorizedError();
  }
  return isNonEmptyString(tier) ? { tenantId, userId, role, tier } : { tenantId, userId, role };
}
