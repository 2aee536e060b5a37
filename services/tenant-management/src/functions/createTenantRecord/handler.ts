import { internalFunction } from '@tenantry/tenant-middleware';
import { tenantDeps } from '../../deps.js';
import { createTenantRecord, createTenantRecordInput } from '../../domain/tenants.js';

const deps = tenantDeps();

/** Provisioning step: `{tenantId, tenantName, tier, email, companyName?}` → `{}` (PROVISIONING). */
export const handler = internalFunction('createTenantRecord', createTenantRecordInput, (input) =>
  createTenantRecord(deps, input),
);
