import { internalFunction } from '@tenantry/tenant-middleware';
import { tenantDeps } from '../../deps.js';
import { deleteTenantRecord, tenantIdOnlyInput } from '../../domain/tenants.js';

const deps = tenantDeps();

/** Compensation of createTenantRecord: `{tenantId}` → `{}`. */
export const handler = internalFunction('deleteTenantRecord', tenantIdOnlyInput, (input) =>
  deleteTenantRecord(deps, input.tenantId),
);
