/** Rules of a tenant name (contract §4): 3–63 lowercase letters, digits and inner hyphens. */
export const TENANT_NAME_RULES = {
  minLength: 3,
  maxLength: 63,
  pattern: /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/,
  description: 'lowercase letters, digits and hyphens, starting and ending with a letter or digit',
} as const;

/** Lifecycle states of a tenant. */
export const TENANT_STATUSES = ['PROVISIONING', 'ACTIVE', 'INACTIVE', 'OFFBOARDING', 'FAILED'] as const;
export type TenantStatus = (typeof TENANT_STATUSES)[number];

/**
 * A tenant's profile as stored in the tenant registry under `tenantProfileKey(tenantId)`. The
 * identity and API fields are filled in by provisioning.
 */
export interface TenantRecord {
  tenantId: string;
  tenantName: string;
  tier: string;
  status: TenantStatus;
  email: string;
  companyName?: string;
  createdAt: string;
  updatedAt: string;
  userPoolId?: string;
  appClientId?: string;
  apiUrl?: string;
  region?: string;
  /** Id of the tenant's own API key (in its tier's usage plan). */
  apiKeyId?: string;
  /** The key's value: the authorizer returns it as `usageIdentifierKey`. Never shown to users. */
  apiKey?: string;
}

/** The record under `tenantNameKey(tenantName)` that reserves a name for a tenant. */
export interface TenantNameRecord {
  tenantName: string;
  tenantId: string;
}
