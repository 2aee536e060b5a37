import { httpHandler, json, pathParameter } from '@tenantry/tenant-middleware';
import { tenantDeps } from '../../deps.js';
import { getTenant, tenantIdField } from '../../domain/tenants.js';

const deps = tenantDeps();

export const handler = httpHandler({ roles: ['SystemAdmin', 'TenantAdmin'] }).handler(
  async (event, context) =>
    json(200, await getTenant(deps, context.tenant, pathParameter(event, 'tenantId', tenantIdField))),
);
