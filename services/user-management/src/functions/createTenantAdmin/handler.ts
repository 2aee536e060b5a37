import { internalFunction } from '@tenantry/tenant-middleware';
import { provisioningDeps } from '../../deps.js';
import { tenantAdminInput } from '../../domain/internal.js';
import { createTenantAdmin } from '../../domain/user.js';

const deps = provisioningDeps();

/** Provisioning step: `{tenantId, email, userPoolId}` → `{userId}`, the invitation e-mailed. */
export const handler = internalFunction('createTenantAdmin', tenantAdminInput, (input) =>
  createTenantAdmin(deps, input),
);
