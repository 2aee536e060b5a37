import { httpHandler, json, pathParameter } from '@tenantry/tenant-middleware';
import { orderDeps } from '../../deps.js';
import { orderIdField, updateOrder, updateOrderBody } from '../../domain/order.js';

const deps = orderDeps();

export const handler = httpHandler({ body: updateOrderBody }).handler(async (event, context) =>
  json(
    200,
    await updateOrder(deps, context.tenant, pathParameter(event, 'orderId', orderIdField), event.body),
  ),
);
