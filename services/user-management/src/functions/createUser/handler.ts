import { httpHandler, json } from '@tenantry/tenant-middleware';
import { userDeps } from '../../deps.js';
import { createUser, createUserBody } from '../../domain/user.js';

const deps = userDeps();

export const handler = httpHandler({ roles: ['SystemAdmin', 'TenantAdmin'], body: createUserBody }).handler(
  async (event, context) => json(201, await createUser(deps, context.tenant, event.body)),
);
