import { httpHandler, json, pathParameter } from '@tenantry/tenant-middleware';
import { userDeps } from '../../deps.js';
import { updateUserBody, updateUserRole, userIdField } from '../../domain/user.js';

const deps = userDeps();

export const handler = httpHandler({ roles: ['SystemAdmin', 'TenantAdmin'], body: updateUserBody }).handler(
  async (event, context) =>
    json(
      200,
      await updateUserRole(deps, context.tenant, pathParameter(event, 'userId', userIdField), event.body),
    ),
);
