import { httpHandler, json, pathParameter } from '@tenantry/tenant-middleware';
import { tenantDeps, withAuthorizerFlush } from '../../deps.js';
import { setTenantActive, tenantIdField } from '../../domain/tenants.js';

const deps = withAuthorizerFlush(tenantDeps());

export const handler = httpHandler({ roles: ['SystemAdmin'] }).handler(async (event, context) =>
  json(
    200,
    await setTenantActive(deps, context.tenant, pathParameter(event, 'tenantId', tenantIdField), false),
  ),
);
