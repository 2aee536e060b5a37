import { internalFunction } from '@tenantry/tenant-middleware';
import { tenantDeps } from '../../deps.js';
import { activateTenant, activateTenantInput } from '../../domain/tenants.js';

const deps = tenantDeps();

/** Provisioning step: `{tenantId, userPoolId, appClientId, apiUrl}` → `{}` (ACTIVE). */
export const handler = internalFunction('activateTenant', activateTenantInput, (input) =>
  activateTenant(deps, input),
);
