import { httpHandler, json, pathParameter } from '@tenantry/tenant-middleware';
import { userDeps } from '../../deps.js';
import { enableUser, userIdField } from '../../domain/user.js';

const deps = userDeps();

export const handler = httpHandler({ roles: ['SystemAdmin', 'TenantAdmin'] }).handler(
  async (event, context) =>
    json(200, await enableUser(deps, context.tenant, pathParameter(event, 'userId', userIdField))),
);
