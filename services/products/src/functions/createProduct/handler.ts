import { httpHandler, json } from '@tenantry/tenant-middleware';
import { productDeps } from '../../deps.js';
import { createProduct, productBody } from '../../domain/product.js';

const deps = productDeps();

export const handler = httpHandler({ body: productBody }).handler(async (event, context) =>
  json(201, await createProduct(deps, context.tenant, event.body)),
);
