import { internalFunction } from '@tenantry/tenant-middleware';
import { tenantDeps, withApiKeys } from '../../deps.js';
import { deleteTenantApiKey, tenantIdOnlyInput } from '../../domain/tenants.js';

const deps = withApiKeys(tenantDeps());

/** Compensation of createTenantApiKey: `{tenantId}` → `{}`. */
export const handler = internalFunction('deleteTenantApiKey', tenantIdOnlyInput, (input) =>
  deleteTenantApiKey(deps, input.tenantId),
);
