import { internalFunction } from '@tenantry/tenant-middleware';
import { tenantDeps, withTenantStacks } from '../../deps.js';
import { createTenantStack, tenantStackInput } from '../../domain/tenant-stacks.js';

const deps = withTenantStacks(tenantDeps());

/** Provisioning step (platinum): `{tenantId}` → `{stackName}` (CreateStack of the released template). */
export const handler = internalFunction('createTenantStack', tenantStackInput, (input) =>
  createTenantStack(deps, input),
);
