import { httpHandler, json, queryParameter } from '@tenantry/tenant-middleware';
import { productListDeps } from '../../deps.js';
import { DEFAULT_LIMIT, limitField, listProducts, nextTokenField } from '../../domain/product.js';

const deps = productListDeps();

export const handler = httpHandler().handler(async (event, context) => {
  const limit = queryParameter(event, 'limit', limitField) ?? DEFAULT_LIMIT;
  const nextToken = queryParameter(event, 'nextToken', nextTokenField);
  return json(200, await listProducts(deps, context.tenant, nextToken ? { limit, nextToken } : { limit }));
});
