import { TENANT_NAME_RULES, type TenantRecord } from '@tenantry/data';
import { NotFoundError, string } from '@tenantry/tenant-middleware';

/** What a client needs to log in and call a tenant's API (contract §4). */
export interface TenantConfig {
  tenantId: string;
  tenantName: string;
  tier: string;
  status: string;
  userPoolId: string;
  appClientId: string;
  apiUrl: string;
  region: string;
}

export interface TenantRegistry {
  findByName(tenantName: string): Promise<TenantRecord | undefined>;
}

export interface TenantConfigDeps {
  tenants: TenantRegistry;
  /** Region of the platform, used when a tenant record does not name its own. */
  region: string;
}

/** Validates a tenant name from the outside world (400 naming the field). */
export const tenantNameField = string(TENANT_NAME_RULES);

/**
 * The public configuration of a tenant. Unknown tenants, offboarded ones and tenants whose identity
 * is not provisioned yet are all "not found": the answer does not reveal which.
 */
export async function getTenantConfig(deps: TenantConfigDeps, tenantName: string): Promise<TenantConfig> {
  const tenant = await deps.tenants.findByName(tenantName);
  if (
    !tenant ||
    tenant.status === 'OFFBOARDING' ||
    !tenant.userPoolId ||
    !tenant.appClientId ||
    !tenant.apiUrl
  ) {
    throw new NotFoundError('tenant not found');
  }
  return {
    tenantId: tenant.tenantId,
    tenantName: tenant.tenantName,
    tier: tenant.tier,
    status: tenant.status,
    userPoolId: tenant.userPoolId,
    appClientId: tenant.appClientId,
    apiUrl: tenant.apiUrl,
    region: tenant.region ?? deps.region,
  };
}
