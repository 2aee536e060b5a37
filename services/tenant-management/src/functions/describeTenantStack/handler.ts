import { internalFunction } from '@tenantry/tenant-middleware';
import { withTenantStacks } from '../../deps.js';
import { describeTenantStack, tenantStackInput } from '../../domain/tenant-stacks.js';

const deps = withTenantStacks({});

/** Provisioning step (platinum): `{tenantId}` → `{status, userPoolId?, appClientId?, apiUrl?, apiKeyId?}`. */
export const handler = internalFunction('describeTenantStack', tenantStackInput, (input) =>
  describeTenantStack(deps, input),
);
