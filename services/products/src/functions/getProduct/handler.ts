import { httpHandler, json, pathParameter } from '@tenantry/tenant-middleware';
import { productDeps } from '../../deps.js';
import { getProduct, productIdField } from '../../domain/product.js';

const deps = productDeps();

export const handler = httpHandler().handler(async (event, context) =>
  json(200, await getProduct(deps, context.tenant, pathParameter(event, 'productId', productIdField))),
);
