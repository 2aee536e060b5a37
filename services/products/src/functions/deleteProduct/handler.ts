import { httpHandler, noContent, pathParameter } from '@tenantry/tenant-middleware';
import { productDeps } from '../../deps.js';
import { deleteProduct, productIdField } from '../../domain/product.js';

const deps = productDeps();

// TenantAdmin only: the authorizer's policy denies it to a TenantUser too (defence in depth).
export const handler = httpHandler({ roles: ['TenantAdmin'] }).handler(async (event, context) => {
  await deleteProduct(deps, context.tenant, pathParameter(event, 'productId', productIdField));
  return noContent();
});
