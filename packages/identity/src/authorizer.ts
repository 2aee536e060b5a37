import { OPERATIONS_TENANT_ID } from '@tenantry/tenant-middleware';
import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import { UnauthorizedError } from './errors.js';
import {
  type AuthorizerContext,
  bearerToken,
  buildDenyPolicy,
  buildRolePolicy,
  parseMethodArn,
} from './policy.js';
import type { ApiKind } from './routes.js';
import { createTtlCache } from './ttl-cache.js';
import type { IdTokenVerifier } from './verifier.js';

/**
 * How long the authorizer trusts what it read about a tenant or a user. With API Gateway's
 * authorizer result TTL of 2 s, a deactivation, a disabled user or a role change reaches every
 * request within 2.5 + 2 = 4.5 s, inside the contract's 5 s with room for the request itself.
 */
export const IDENTITY_CACHE_TTL_MS = 2_500;

/** What the authorizer needs to know about a tenant (from the tenant registry). */
export interface TenantState {
  status: string;
  tier: string;
  /** The value of the tenant's API key, returned as `usageIdentifierKey`. */
  apiKey?: string;
}

/** What the authorizer needs to know about a user now (from the user pool, not the token). */
export interface UserState {
  enabled: boolean;
  role: string | undefined;
  tenantId: string | undefined;
}

/** Reads tenants from the registry; undefined for an unknown tenant. */
export interface TenantDirectory {
  get(tenantId: string): Promise<TenantState | undefined>;
}

/** Reads users from their pool by `sub`; undefined for a deleted user. */
export interface UserDirectory {
  get(userPoolId: string, sub: string): Promise<UserState | undefined>;
}

/** An API the authorizer protects: its kind and a verifier accepting exactly its pools. */
export interface ProtectedApi {
  kind: ApiKind;
  verifier: IdTokenVerifier;
}

/** One decision, as logged: never a token or a key. */
export interface AuthorizerDecision {
  decision: 'allow' | 'deny' | 'unauthorized';
  reason: string;
  apiId?: string;
  tenantId?: string;
  userId?: string;
  role?: string;
}

export interface AuthorizerDeps {
  /** The APIs by id; a request to any other API is refused. */
  apis: ReadonlyMap<string, ProtectedApi>;
  operationsUserPoolId: string;
  tenants: TenantDirectory;
  users: UserDirectory;
  log?: (decision: AuthorizerDecision) => void;
  /** Clock of the caches; defaults to `Date.now`. */
  now?: () => number;
  cacheTtlMs?: number;
}

export interface AuthorizerRequest {
  methodArn: string;
  headers: Record<string, string | undefined> | null | undefined;
}

const TENANT_ROLES: readonly string[] = ['TenantAdmin', 'TenantUser'];

/** Logs a decision as one JSON line. */
export const logDecision = (decision: AuthorizerDecision): void =>
  console.log(JSON.stringify({ level: decision.decision === 'allow' ? 'info' : 'warn', ...decision }));

/**
 * Builds the REQUEST authorizer shared by the pooled APIs and the silo stacks:
 *
 * 1. the API the request targets decides which pools are accepted (never a claim of the token);
 * 2. the ID token is verified (signature against that pool's JWKS, issuer, `token_use`, app
 *    client, expiry); failures throw {@link UnauthorizedError} (401);
 * 3. the user's current state (enabled, role) and the tenant's record (status, tier, API key) are
 *    read, cached for at most {@link IDENTITY_CACHE_TTL_MS}: a deleted user is 401, a disabled user
 *    or a tenant that is not ACTIVE gets an explicit Deny (403);
 * 4. the answer allows exactly the routes the user's current role may call on this API, with
 *    `{tenantId, userId, role, tier}` as context and the tenant's API key as `usageIdentifierKey`.
 *
 * @example
 * ```ts
 * const authorize = createAuthorizer({ apis, operationsUserPoolId, tenants, users });
 * export const handler = toLambdaAuthorizer(authorize);
 * ```
 */
export function createAuthorizer(
  deps: AuthorizerDeps,
): (request: AuthorizerRequest) => Promise<APIGatewayAuthorizerResult> {
  const log = deps.log ?? logDecision;
  const ttlMs = deps.cacheTtlMs ?? IDENTITY_CACHE_TTL_MS;
  const tenants = createTtlCache({ ttlMs, now: deps.now, load: (id: string) => deps.tenants.get(id) });
  const users = createTtlCache({
    ttlMs,
    now: deps.now,
    load: (key: string) => {
      const [userPoolId, sub] = JSON.parse(key) as [string, string];
      return deps.users.get(userPoolId, sub);
    },
  });

  return async (request) => {
    const { apiId } = parseMethodArn(request.methodArn);
    const unauthorized = (reason: string, extra: Partial<AuthorizerDecision> = {}, cause?: unknown) => {
      log({ decision: 'unauthorized', reason, apiId, ...extra });
      return new UnauthorizedError({ cause });
    };
    const api = deps.apis.get(apiId);
    if (!api) throw unauthorized('unknown API');
    let token: string;
    try {
      token = bearerToken(request.headers);
    } catch {
      throw unauthorized('no bearer token');
    }
    let verified: Awaited<ReturnType<IdTokenVerifier['verify']>>;
    try {
      verified = await api.verifier.verify(token);
    } catch (error) {
      if (!(error instanceof UnauthorizedError)) throw error;
      const name = error.cause instanceof Error ? error.cause.name : 'rejected';
      throw unauthorized(`invalid token (${name})`, {}, error);
    }

    const isOperations = verified.userPoolId === deps.operationsUserPoolId;
    const tenantId = isOperations ? OPERATIONS_TENANT_ID : verified.tenantId;
    const who = { tenantId, userId: verified.sub };
    if (!tenantId) throw unauthorized('token carries no tenant', who);

    const user = await users.get(JSON.stringify([verified.userPoolId, verified.sub]));
    if (!user) throw unauthorized('user not found', who);
    // custom:tenantId is immutable: a mismatch means the token is not this user's.
    if (!isOperations && user.tenantId !== tenantId) throw unauthorized('tenant mismatch', who);

    const role = user.role ?? '';
    const deny = (reason: string) => {
      log({ decision: 'deny', reason, apiId, ...who, role });
      return buildDenyPolicy({ principalId: verified.sub, methodArn: request.methodArn });
    };
    if (!user.enabled) return deny('user disabled');
    if (isOperations ? role !== 'SystemAdmin' : !TENANT_ROLES.includes(role)) {
      return deny('role not allowed in this pool');
    }

    const context: AuthorizerContext = { tenantId, userId: verified.sub, role };
    let usageIdentifierKey: string | undefined;
    if (!isOperations) {
      const tenant = await tenants.get(tenantId);
      if (!tenant) return deny('tenant unknown');
      if (tenant.status !== 'ACTIVE') return deny(`tenant ${tenant.status}`);
      context.tier = tenant.tier;
      usageIdentifierKey = tenant.apiKey;
    }
    log({ decision: 'allow', reason: 'verified', apiId, ...who, role });
    return buildRolePolicy({
      api: api.kind,
      principalId: verified.sub,
      methodArn: request.methodArn,
      context,
      ...(usageIdentifierKey ? { usageIdentifierKey } : {}),
    });
  };
}
