import {
  httpHandler,
  integerText,
  json,
  optional,
  queryParameter,
  string,
} from '@tenantry/tenant-middleware';
import { listUsersDeps } from '../../deps.js';
import { DEFAULT_LIMIT, listUsers } from '../../domain/user.js';

const deps = listUsersDeps();
const limitField = optional(integerText({ min: 1, max: 100 }));
const nextTokenField = optional(string({ maxLength: 4096 }));

export const handler = httpHandler({ roles: ['SystemAdmin', 'TenantAdmin'] }).handler(
  async (event, context) => {
    const limit = queryParameter(event, 'limit', limitField) ?? DEFAULT_LIMIT;
    const nextToken = queryParameter(event, 'nextToken', nextTokenField);
    return json(200, await listUsers(deps, context.tenant, nextToken ? { limit, nextToken } : { limit }));
  },
);
