import { createDocumentClient } from '@tenantry/data';
import { httpHandler, json, pathParameter } from '@tenantry/tenant-middleware';
import { buildOrderStore } from '../../adapters/order-store.js';
import { loadConfig } from '../../config.js';
import { getOrder, orderIdField } from '../../domain/order.js';

const config = loadConfig();
const deps = { orders: buildOrderStore(createDocumentClient(), config.orderTableName) };

export const handler = httpHandler().handler(async (event, context) =>
  json(200, await getOrder(deps, context.tenant, pathParameter(event, 'orderId', orderIdField))),
);
