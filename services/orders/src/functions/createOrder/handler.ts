import { httpHandler, json } from '@tenantry/tenant-middleware';
import { orderDeps } from '../../deps.js';
import { createOrderBody, placeOrder } from '../../domain/order.js';

const deps = orderDeps();

export const handler = httpHandler({ body: createOrderBody }).handler(async (event, context) =>
  json(201, await placeOrder(deps, context.tenant, event.body)),
);
