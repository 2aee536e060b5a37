import { internalFunction } from '@tenantry/tenant-middleware';
import { tenantDeps, withApiKeys, withUsagePlans } from '../../deps.js';
import { createTenantApiKey, createTenantApiKeyInput } from '../../domain/tenants.js';

const deps = withUsagePlans(withApiKeys(tenantDeps()));

/** Provisioning step: `{tenantId, tier}` → `{apiKeyId}`. */
export const handler = internalFunction('createTenantApiKey', createTenantApiKeyInput, (input) =>
  createTenantApiKey(deps, input),
);
