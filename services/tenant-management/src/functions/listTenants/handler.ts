import {
  httpHandler,
  integerText,
  json,
  optional,
  queryParameter,
  string,
} from '@tenantry/tenant-middleware';
import { tenantDeps, withPageTokens } from '../../deps.js';
import { DEFAULT_LIMIT, listTenants } from '../../domain/tenants.js';

const deps = withPageTokens(tenantDeps());
const limitField = optional(integerText({ min: 1, max: 100 }));
const nextTokenField = optional(string({ maxLength: 4096 }));

export const handler = httpHandler({ roles: ['SystemAdmin'] }).handler(async (event, context) => {
  const limit = queryParameter(event, 'limit', limitField) ?? DEFAULT_LIMIT;
  const nextToken = queryParameter(event, 'nextToken', nextTokenField);
  return json(200, await listTenants(deps, context.tenant, nextToken ? { limit, nextToken } : { limit }));
});
