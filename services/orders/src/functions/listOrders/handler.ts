import { httpHandler, json, queryParameter } from '@tenantry/tenant-middleware';
import { orderListDeps } from '../../deps.js';
import { DEFAULT_LIMIT, limitField, listOrders, nextTokenField } from '../../domain/order.js';

const deps = orderListDeps();

export const handler = httpHandler().handler(async (event, context) => {
  const limit = queryParameter(event, 'limit', limitField) ?? DEFAULT_LIMIT;
  const nextToken = queryParameter(event, 'nextToken', nextTokenField);
  return json(200, await listOrders(deps, context.tenant, nextToken ? { limit, nextToken } : { limit }));
});
