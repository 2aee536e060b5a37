import { httpHandler, pathParameter } from '@tenantry/tenant-middleware';
import { tenantDeps } from '../../deps.js';
import { deleteTenant, tenantIdField } from '../../domain/tenants.js';

const deps = tenantDeps();

// Offboarding is not built yet: 409 for a known tenant (404 otherwise).
export const handler = httpHandler({ roles: ['SystemAdmin'] }).handler(async (event, context) =>
  deleteTenant(deps, context.tenant, pathParameter(event, 'tenantId', tenantIdField)),
);
