import { httpHandler, noContent, pathParameter } from '@tenantry/tenant-middleware';
import { orderDeps } from '../../deps.js';
import { deleteOrder, orderIdField } from '../../domain/order.js';

const deps = orderDeps();

// TenantAdmin only: the authorizer's policy denies it to a TenantUser too (defence in depth).
export const handler = httpHandler({ roles: ['TenantAdmin'] }).handler(async (event, context) => {
  await deleteOrder(deps, context.tenant, pathParameter(event, 'orderId', orderIdField));
  return noContent();
});
