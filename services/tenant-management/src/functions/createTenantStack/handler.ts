import { internalFunction } from '@tenantry/tenant-middleware';
import { tenantDeps, withTenantStackReleases, withTenantStacks } from '../../deps.js';
import { createTenantStack, tenantStackInput } from '../../domain/tenant-stacks.js';

const deps = withTenantStackReleases(withTenantStacks(tenantDeps()));

/** Provisioning step (platinum): `{tenantId}` → `{stackName}` (CreateStack of the released template). */
export const handler = internalFunction('createTenantStack', tenantStackInput, (input) =>
  createTenantStack(deps, input),
);
