import { TENANT_ID_PATTERN, TENANT_NAME_RULES, type TenantRecord, type TenantStatus } from '@tenantry/data';
import {
  BadRequestError,
  ConflictError,
  ForbiddenError,
  failStepField,
  NotFoundError,
  oneOf,
  optional,
  strictObject,
  string,
  type TenantContext,
} from '@tenantry/tenant-middleware';
import { TIER_NAMES, type TierName, tierOf } from '@tenantry/tiers';

/** A tenant as clients see it (contract §4): never its API key, its id or its identity wiring. */
export interface Tenant {
  tenantId: string;
  tenantName: string;
  tier: string;
  status: TenantStatus;
  companyName?: string;
  email: string;
  createdAt: string;
  updatedAt: string;
}

export interface TenantPage {
  items: Tenant[];
  nextToken?: string;
}

/** A change of a tenant record: attributes to set and to remove. */
export interface TenantChange {
  set?: Partial<Omit<TenantRecord, 'tenantId' | 'createdAt'>>;
  remove?: (keyof TenantRecord)[];
  /** The change applies only in these states; another state is a 409 naming it. */
  onlyWhen?: readonly TenantStatus[];
}

/** The tenant registry (platform's TenantTable). */
export interface TenantStore {
  get(tenantId: string): Promise<TenantRecord | undefined>;
  /** False when a record with this id exists. */
  create(record: TenantRecord): Promise<boolean>;
  /** The record after the change; undefined when there is none. Throws a 409 outside `onlyWhen`. */
  update(tenantId: string, change: TenantChange): Promise<TenantRecord | undefined>;
  remove(tenantId: string): Promise<void>;
  /** Tenants in creation order. */
  list(page: { limit: number; after?: string }): Promise<{ records: TenantRecord[]; after?: string }>;
}

/** API keys and the tier usage plans (API Gateway). */
export interface ApiKeyStore {
  /** The key with exactly this name, with its value. */
  findByName(name: string): Promise<{ id: string; value: string } | undefined>;
  create(name: string): Promise<{ id: string; value: string }>;
  /** Adds the key to the plan; nothing when it is in it already. */
  addToPlan(usagePlanId: string, keyId: string): Promise<void>;
  /** Deletes the key (and so its plan memberships); nothing when it is gone already. */
  remove(keyId: string): Promise<void>;
  /** The value of the key with this id (e.g. a tenant stack's own key); undefined when there is none. */
  valueOf(keyId: string): Promise<string | undefined>;
}

export interface PageTokenSealer {
  seal(binding: { tenantId: string; query: string }, cursors: { after?: string }[]): Promise<string>;
  open(binding: { tenantId: string; query: string }, token: string): Promise<{ after?: string }[]>;
}

export interface TenantDeps {
  tenants: TenantStore;
  now: () => Date;
}

export const TENANT_NOT_FOUND = 'tenant not found';
export const DEFAULT_LIMIT = 25;
const LIST_BINDING_TENANT = 'operations';

export const tenantIdField = string({
  maxLength: 63,
  pattern: TENANT_ID_PATTERN,
  description: 'a tenant id',
});
const emailField = string({
  minLength: 3,
  maxLength: 254,
  pattern: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
  description: 'an e-mail address',
});
const tierField = oneOf(TIER_NAMES);

/** `PATCH /tenants/{tenantId}`: profile fields, and `tier` for a SystemAdmin. Unknown fields are a 400. */
export const updateTenantBody = strictObject({
  companyName: optional(string({ maxLength: 200 })),
  email: optional(emailField),
  tier: optional(tierField),
});

const notFound = () => new NotFoundError(TENANT_NOT_FOUND);

/** The public shape of a tenant record. */
export function toTenant(record: TenantRecord): Tenant {
  const tenant: Tenant = {
    tenantId: record.tenantId,
    tenantName: record.tenantName,
    tier: record.tier,
    status: record.status,
    email: record.email,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
  if (record.companyName !== undefined) tenant.companyName = record.companyName;
  return tenant;
}

/**
 * A SystemAdmin sees every tenant; a TenantAdmin only their own — another tenant's id is "not
 * found", without a lookup (contract §6). Anyone else may not ask.
 */
export function checkAccess(caller: TenantContext, tenantId: string): void {
  if (caller.role === 'SystemAdmin') return;
  if (caller.role !== 'TenantAdmin') throw new ForbiddenError('You are not allowed to perform this action');
  if (caller.tenantId !== tenantId) throw notFound();
}

const requireSystemAdmin = (caller: TenantContext): void => {
  if (caller.role !== 'SystemAdmin') throw new ForbiddenError('You are not allowed to perform this action');
};

/** `GET /tenants`: every tenant, a page at a time, in creation order. */
export async function listTenants(
  deps: TenantDeps & { pageTokens: PageTokenSealer },
  caller: TenantContext,
  query: { limit: number; nextToken?: string },
): Promise<TenantPage> {
  requireSystemAdmin(caller);
  const binding = { tenantId: LIST_BINDING_TENANT, query: `GET /tenants?limit=${query.limit}` };
  const after = query.nextToken
    ? (await deps.pageTokens.open(binding, query.nextToken))[0]?.after
    : undefined;
  const page = await deps.tenants.list({ limit: query.limit, ...(after ? { after } : {}) });
  const items = page.records.map(toTenant);
  return page.after
    ? { items, nextToken: await deps.pageTokens.seal(binding, [{ after: page.after }]) }
    : { items };
}

/** `GET /tenants/{tenantId}`. */
export async function getTenant(deps: TenantDeps, caller: TenantContext, tenantId: string): Promise<Tenant> {
  checkAccess(caller, tenantId);
  const record = await deps.tenants.get(tenantId);
  if (!record) throw notFound();
  return toTenant(record);
}

/**
 * `PATCH /tenants/{tenantId}`: a TenantAdmin changes their own tenant's profile; `tier` is for
 * SystemAdmins only (403), and a tier change itself is not supported yet (409).
 */
export async function updateTenant(
  deps: TenantDeps,
  caller: TenantContext,
  tenantId: string,
  body: { companyName?: string; email?: string; tier?: TierName },
): Promise<Tenant> {
  checkAccess(caller, tenantId);
  if (body.tier !== undefined && caller.role !== 'SystemAdmin')
    throw new ForbiddenError('only a SystemAdmin can change the tier');
  if (Object.keys(body).length === 0)
    throw new BadRequestError('body must name at least one field to change');
  const current = await deps.tenants.get(tenantId);
  if (!current) throw notFound();
  if (body.tier !== undefined && body.tier !== current.tier)
    throw new ConflictError('tier changes are not yet supported', { code: 'TierChangeNotSupported' });
  const { tier: _tier, ...profile } = body;
  if (Object.keys(profile).length === 0) return toTenant(current);
  const updated = await deps.tenants.update(tenantId, {
    set: { ...profile, updatedAt: deps.now().toISOString() },
  });
  if (!updated) throw notFound();
  return toTenant(updated);
}

/** Sets an ACTIVE or INACTIVE tenant's status (a SystemAdmin only); any other state is a 409. */
async function setTenantStatus(
  deps: TenantDeps,
  caller: TenantContext,
  tenantId: string,
  status: 'ACTIVE' | 'INACTIVE',
): Promise<TenantRecord> {
  requireSystemAdmin(caller);
  const updated = await deps.tenants.update(tenantId, {
    set: { status, updatedAt: deps.now().toISOString() },
    onlyWhen: ['ACTIVE', 'INACTIVE'],
  });
  if (!updated) throw notFound();
  return updated;
}

/**
 * `POST /tenants/{tenantId}/deactivate`. Deactivation only changes the tenant's status: the
 * authorizer refuses every user of an INACTIVE tenant, within 4.5 s once its caches expire
 * (docs/tenant-isolation.md). Users keep their own enabled state, so reactivation gives access
 * back to exactly the users that were enabled before.
 */
export async function deactivateTenant(
  deps: TenantDeps,
  caller: TenantContext,
  tenantId: string,
): Promise<Tenant> {
  return toTenant(await setTenantStatus(deps, caller, tenantId, 'INACTIVE'));
}

/** `POST /tenants/{tenantId}/activate`. */
export async function reactivateTenant(
  deps: TenantDeps,
  caller: TenantContext,
  tenantId: string,
): Promise<Tenant> {
  return toTenant(await setTenantStatus(deps, caller, tenantId, 'ACTIVE'));
}

/** `DELETE /tenants/{tenantId}`: offboarding is not built yet. */
export async function deleteTenant(
  deps: TenantDeps,
  caller: TenantContext,
  tenantId: string,
): Promise<never> {
  requireSystemAdmin(caller);
  if (!(await deps.tenants.get(tenantId))) throw notFound();
  throw new ConflictError('tenant deletion is not yet supported', { code: 'NotSupported' });
}

// ---------------------------------------------------------------------------------------------
// Internal functions of the provisioning workflow (docs/onboarding.md). Each is idempotent.

const tenantIdInput = { tenantId: tenantIdField, failStep: failStepField };

export const createTenantRecordInput = strictObject({
  ...tenantIdInput,
  tenantName: string(TENANT_NAME_RULES),
  tier: tierField,
  email: emailField,
  companyName: optional(string({ maxLength: 200 })),
});
export const tenantIdOnlyInput = strictObject(tenantIdInput);
export const createTenantApiKeyInput = strictObject({
  ...tenantIdInput,
  tier: tierField,
  /** A silo tenant's key, made by its stack (output `ApiKeyId`); never given for a pooled tenant. */
  apiKeyId: optional(string({ maxLength: 64, pattern: /^[A-Za-z0-9]+$/, description: 'an API key id' })),
});
export const activateTenantInput = strictObject({
  ...tenantIdInput,
  userPoolId: string({ maxLength: 55, pattern: /^[\w-]+_[0-9a-zA-Z]+$/, description: 'a user pool id' }),
  appClientId: string({ maxLength: 128, pattern: /^[\w+]+$/, description: 'an app client id' }),
  apiUrl: string({ maxLength: 2048, pattern: /^https?:\/\/\S+$/, description: 'an http(s) URL' }),
});

/** `createTenantRecord`: the tenant's record, PROVISIONING. A retry with the same tenant succeeds. */
export async function createTenantRecord(
  deps: TenantDeps,
  input: { tenantId: string; tenantName: string; tier: TierName; email: string; companyName?: string },
): Promise<Record<string, never>> {
  const now = deps.now().toISOString();
  const record: TenantRecord = {
    tenantId: input.tenantId,
    tenantName: input.tenantName,
    tier: input.tier,
    status: 'PROVISIONING',
    email: input.email,
    ...(input.companyName === undefined ? {} : { companyName: input.companyName }),
    createdAt: now,
    updatedAt: now,
  };
  if (await deps.tenants.create(record)) return {};
  const existing = await deps.tenants.get(input.tenantId);
  if (existing?.tenantName !== input.tenantName)
    throw new ConflictError('a tenant with this id already exists');
  return {};
}

/** `deleteTenantRecord` (compensation): removes the record; nothing when it is gone. */
export async function deleteTenantRecord(deps: TenantDeps, tenantId: string): Promise<Record<string, never>> {
  await deps.tenants.remove(tenantId);
  return {};
}

/** The name of a tenant's API key. */
export const apiKeyName = (tenantId: string): string => `tenant-${tenantId}`;

/**
 * `createTenantApiKey`: the tenant's own API key, its id and value stored on the tenant record.
 * A pooled tenant's key is made here (found by name first, so a retry reuses it), enabled, in its
 * tier's usage plan. A silo tenant's key was made by its stack, plan membership included: the
 * workflow passes the stack's `apiKeyId` and only its value is read.
 */
export async function createTenantApiKey(
  deps: TenantDeps & { apiKeys: ApiKeyStore; usagePlans: Record<TierName, string> },
  input: { tenantId: string; tier: TierName; apiKeyId?: string },
): Promise<{ apiKeyId: string }> {
  const silo = tierOf(input.tier).deployment === 'silo';
  if (silo !== (input.apiKeyId !== undefined))
    throw new BadRequestError(
      silo ? "apiKeyId: a silo tenant's key comes from its stack" : 'apiKeyId: only for a silo tenant',
    );
  if (!(await deps.tenants.get(input.tenantId))) throw notFound();
  if (input.apiKeyId !== undefined) {
    const value = await deps.apiKeys.valueOf(input.apiKeyId);
    if (!value) throw new NotFoundError('the tenant stack has no API key');
    const recorded = await deps.tenants.update(input.tenantId, {
      set: { apiKeyId: input.apiKeyId, apiKey: value, updatedAt: deps.now().toISOString() },
    });
    if (!recorded) throw notFound();
    return { apiKeyId: input.apiKeyId };
  }
  const name = apiKeyName(input.tenantId);
  const key = (await deps.apiKeys.findByName(name)) ?? (await deps.apiKeys.create(name));
  await deps.apiKeys.addToPlan(deps.usagePlans[input.tier], key.id);
  const updated = await deps.tenants.update(input.tenantId, {
    set: { apiKeyId: key.id, apiKey: key.value, updatedAt: deps.now().toISOString() },
  });
  if (!updated) throw notFound();
  return { apiKeyId: key.id };
}

/** `deleteTenantApiKey` (compensation): deletes the key and forgets it on the record. */
export async function deleteTenantApiKey(
  deps: TenantDeps & { apiKeys: ApiKeyStore },
  tenantId: string,
): Promise<Record<string, never>> {
  const record = await deps.tenants.get(tenantId);
  const keyId = record?.apiKeyId ?? (await deps.apiKeys.findByName(apiKeyName(tenantId)))?.id;
  if (keyId) await deps.apiKeys.remove(keyId);
  if (record?.apiKeyId || record?.apiKey)
    await deps.tenants.update(tenantId, {
      remove: ['apiKeyId', 'apiKey'],
      set: { updatedAt: deps.now().toISOString() },
    });
  return {};
}

/** `activateTenant`: records the tenant's identity and API, and makes it ACTIVE. */
export async function activateTenant(
  deps: TenantDeps & { region: string },
  input: { tenantId: string; userPoolId: string; appClientId: string; apiUrl: string },
): Promise<Record<string, never>> {
  const updated = await deps.tenants.update(input.tenantId, {
    set: {
      status: 'ACTIVE',
      userPoolId: input.userPoolId,
      appClientId: input.appClientId,
      apiUrl: input.apiUrl,
      region: deps.region,
      updatedAt: deps.now().toISOString(),
    },
    onlyWhen: ['PROVISIONING', 'ACTIVE'],
  });
  if (!updated) throw notFound();
  return {};
}
