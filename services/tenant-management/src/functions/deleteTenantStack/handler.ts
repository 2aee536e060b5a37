import { internalFunction } from '@tenantry/tenant-middleware';
import { withTenantStacks } from '../../deps.js';
import { deleteTenantStack, tenantStackInput } from '../../domain/tenant-stacks.js';

const deps = withTenantStacks({});

/** Compensation of createTenantStack: `{tenantId}` → `{}` (starts the deletion; none is fine). */
export const handler = internalFunction('deleteTenantStack', tenantStackInput, (input) =>
  deleteTenantStack(deps, input),
);
