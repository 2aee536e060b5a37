import { httpHandler, json, pathParameter } from '@tenantry/tenant-middleware';
import { tenantDeps } from '../../deps.js';
import { tenantIdField, updateTenant, updateTenantBody } from '../../domain/tenants.js';

const deps = tenantDeps();

export const handler = httpHandler({ roles: ['SystemAdmin', 'TenantAdmin'], body: updateTenantBody }).handler(
  async (event, context) =>
    json(
      200,
      await updateTenant(deps, context.tenant, pathParameter(event, 'tenantId', tenantIdField), event.body),
    ),
);
