import { httpHandler, json, pathParameter } from '@tenantry/tenant-middleware';
import { userDeps } from '../../deps.js';
import { getUser, userIdField } from '../../domain/user.js';

const deps = userDeps();

// Every role: a TenantUser may read himself (the domain refuses anyone else).
export const handler = httpHandler().handler(async (event, context) =>
  json(200, await getUser(deps, context.tenant, pathParameter(event, 'userId', userIdField))),
);
