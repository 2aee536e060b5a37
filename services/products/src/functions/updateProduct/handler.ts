import { httpHandler, json, pathParameter } from '@tenantry/tenant-middleware';
import { productDeps } from '../../deps.js';
import { productBody, productIdField, replaceProduct } from '../../domain/product.js';

const deps = productDeps();

export const handler = httpHandler({ body: productBody }).handler(async (event, context) =>
  json(
    200,
    await replaceProduct(deps, context.tenant, pathParameter(event, 'productId', productIdField), event.body),
  ),
);
