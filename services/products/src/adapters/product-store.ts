import { PRODUCT_SK_PREFIX, productKey } from '@tenantry/data';
import type { TenantTable } from '@tenantry/tenant-data';
import type { Product, ProductStore } from '../domain/product.js';

const toProduct = (item: Record<string, unknown>): Product => {
  const product: Product = {
    productId: item.productId as string,
    name: item.name as string,
    price: item.price as number,
    sku: item.sku as string,
    createdAt: item.createdAt as string,
    updatedAt: item.updatedAt as string,
  };
  if (typeof item.category === 'string') product.category = item.category;
  if (typeof item.stock === 'number') product.stock = item.stock;
  return product;
};

/**
 * Products in the product table, each tenant through its own {@link TenantTable} (vended
 * credentials, scoped client), spread over `shardCount` shards per tenant.
 */
export function buildProductStore(
  tables: (tenantId: string) => TenantTable,
  shardCount: number,
): ProductStore {
  const key = (tenantId: string, productId: string) => productKey(tenantId, productId, shardCount);
  return {
    async get(tenantId, productId) {
      const item = await tables(tenantId).get(key(tenantId, productId));
      return item ? toProduct(item) : undefined;
    },
    create: (tenantId, product) =>
      tables(tenantId).create({ ...key(tenantId, product.productId), ...product }),
    async replace(tenantId, productId, fields, updatedAt) {
      const { category, stock, ...required } = fields;
      const set: Record<string, unknown> = { ...required, updatedAt };
      const remove: string[] = [];
      if (category === undefined) remove.push('category');
      else set.category = category;
      if (stock === undefined) remove.push('stock');
      else set.stock = stock;
      const item = await tables(tenantId).update(key(tenantId, productId), { set, remove });
      return item ? toProduct(item) : undefined;
    },
    remove: (tenantId, productId) => tables(tenantId).delete(key(tenantId, productId)),
    async list(tenantId, { limit, nextToken }) {
      const page = await tables(tenantId).list({
        skPrefix: PRODUCT_SK_PREFIX,
        limit,
        query: `GET /products?limit=${limit}`,
        ...(nextToken === undefined ? {} : { nextToken }),
      });
      const items = page.items.map(toProduct);
      return page.nextToken ? { items, nextToken: page.nextToken } : { items };
    },
  };
}
