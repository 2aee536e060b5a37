import { internalFunction } from '@tenantry/tenant-middleware';
import { provisioningDeps } from '../../deps.js';
import { tenantAdminInput } from '../../domain/internal.js';
import { deleteTenantAdmin } from '../../domain/user.js';

const deps = provisioningDeps();

/** Compensation of createTenantAdmin: `{tenantId, email, userPoolId}` → `{}`. */
export const handler = internalFunction('deleteTenantAdmin', tenantAdminInput, (input) =>
  deleteTenantAdmin(deps, input),
);
