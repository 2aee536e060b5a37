import { httpHandler, json, pathParameter } from '@tenantry/tenant-middleware';
import { tenantDeps } from '../../deps.js';
import { deactivateTenant, tenantIdField } from '../../domain/tenants.js';

const deps = tenantDeps();

export const handler = httpHandler({ roles: ['SystemAdmin'] }).handler(async (event, context) =>
  json(200, await deactivateTenant(deps, context.tenant, pathParameter(event, 'tenantId', tenantIdField))),
);
