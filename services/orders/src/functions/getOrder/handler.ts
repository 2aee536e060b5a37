import { httpHandler, json, pathParameter } from '@tenantry/tenant-middleware';
import { orderDeps } from '../../deps.js';
import { getOrder, orderIdField } from '../../domain/order.js';

const deps = orderDeps();

export const handler = httpHandler().handler(async (event, context) =>
  json(200, await getOrder(deps, context.tenant, pathParameter(event, 'orderId', orderIdField))),
);
