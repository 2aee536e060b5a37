import {
  type AuthorizerContext,
  bearerToken,
  buildAllowPolicy,
  type IdTokenVerifier,
  parseMethodArn,
  UnauthorizedError,
  type VerifiedIdToken,
} from '@tenantry/identity';
import { OPERATIONS_TENANT_ID, type Role } from '@tenantry/tenant-middleware';
import type { APIGatewayAuthorizerResult } from 'aws-lambda';

const TENANT_ROLES: readonly string[] = ['TenantAdmin', 'TenantUser'] satisfies Role[];

export interface AuthorizeDeps {
  /** The verifier accepting exactly the pools of the API with this id; undefined for unknown APIs. */
  verifierFor: (apiId: string) => IdTokenVerifier | undefined;
  operationsUserPoolId: string;
}

export interface AuthorizeRequest {
  methodArn: string;
  headers: Record<string, string | undefined> | null | undefined;
}

/** Maps a verified token to the caller's identity, refusing role/pool combinations that cannot be. */
export function identityOf(token: VerifiedIdToken, operationsUserPoolId: string): AuthorizerContext {
  if (token.userPoolId === operationsUserPoolId) {
    if (token.role !== 'SystemAdmin') throw new UnauthorizedError();
    return { tenantId: OPERATIONS_TENANT_ID, userId: token.sub, role: 'SystemAdmin' };
  }
  // A tenant pool can never vouch for a SystemAdmin, nor for a user without a tenant.
  if (!token.tenantId || !token.role || !TENANT_ROLES.includes(token.role)) throw new UnauthorizedError();
  return { tenantId: token.tenantId, userId: token.sub, role: token.role };
}

/**
 * Decides a REQUEST authorizer call: the API the request targets decides which pools are accepted;
 * a missing or rejected token throws {@link UnauthorizedError}.
 */
export async function authorize(
  deps: AuthorizeDeps,
  request: AuthorizeRequest,
): Promise<APIGatewayAuthorizerResult> {
  const { apiId } = parseMethodArn(request.methodArn);
  const verifier = deps.verifierFor(apiId);
  if (!verifier) throw new UnauthorizedError();
  const token = await verifier.verify(bearerToken(request.headers));
  const context = identityOf(token, deps.operationsUserPoolId);
  return buildAllowPolicy({ principalId: token.sub, methodArn: request.methodArn, context });
}
