import {
  httpHandler,
  json,
  optional,
  pathParameter,
  queryParameter,
  string,
} from '@tenantry/tenant-middleware';
import { usageDeps } from '../../deps.js';
import { tenantIdField } from '../../domain/tenants.js';
import { getTenantUsage } from '../../domain/usage.js';

const deps = usageDeps();
const dateField = optional(string({ maxLength: 10 }));

export const handler = httpHandler({ roles: ['SystemAdmin', 'TenantAdmin'] }).handler(
  async (event, context) => {
    const tenantId = pathParameter(event, 'tenantId', tenantIdField);
    const from = queryParameter(event, 'from', dateField);
    const to = queryParameter(event, 'to', dateField);
    const query = { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) };
    return json(200, await getTenantUsage(deps, context.tenant, tenantId, query));
  },
);
