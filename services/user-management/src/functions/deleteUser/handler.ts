import { httpHandler, noContent, pathParameter } from '@tenantry/tenant-middleware';
import { userDeps } from '../../deps.js';
import { deleteUser, userIdField } from '../../domain/user.js';

const deps = userDeps();

export const handler = httpHandler({ roles: ['SystemAdmin', 'TenantAdmin'] }).handler(
  async (event, context) => {
    await deleteUser(deps, context.tenant, pathParameter(event, 'userId', userIdField));
    return noContent();
  },
);
