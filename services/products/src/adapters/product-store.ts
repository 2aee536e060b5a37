import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { type DynamoDBDocumentClient, productKey } from '@tenantry/data';
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

/** Products in the pooled ProductTable, partitioned by tenant. */
export function buildProductStore(
  client: Pick<DynamoDBDocumentClient, 'send'>,
  tableName: string,
): ProductStore {
  return {
    async get(tenantId, productId) {
      const { Item: item } = await client.send(
        new GetCommand({ TableName: tableName, Key: productKey(tenantId, productId) }),
      );
      return item ? toProduct(item) : undefined;
    },
  };
}
