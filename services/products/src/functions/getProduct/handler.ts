import { createDocumentClient } from '@tenantry/data';
import { httpHandler, json, pathParameter } from '@tenantry/tenant-middleware';
import { buildProductStore } from '../../adapters/product-store.js';
import { loadConfig } from '../../config.js';
import { getProduct, productIdField } from '../../domain/product.js';

const config = loadConfig();
const deps = { products: buildProductStore(createDocumentClient(), config.productTableName) };

export const handler = httpHandler().handler(async (event, context) =>
  json(200, await getProduct(deps, context.tenant, pathParameter(event, 'productId', productIdField))),
);
