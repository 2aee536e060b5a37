import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { type DynamoDBDocumentClient, orderKey } from '@tenantry/data';
import type { Order, OrderLine, OrderStore } from '../domain/order.js';

const toOrder = (item: Record<string, unknown>): Order => ({
  orderId: item.orderId as string,
  lines: ((item.lines as OrderLine[] | undefined) ?? []).map(({ productId, name, price, quantity }) => ({
    productId,
    name,
    price,
    quantity,
  })),
  total: item.total as number,
  status: item.status as string,
  createdAt: item.createdAt as string,
  updatedAt: item.updatedAt as string,
});

/** Orders in the pooled OrderTable, partitioned by tenant. */
export function buildOrderStore(client: Pick<DynamoDBDocumentClient, 'send'>, tableName: string): OrderStore {
  return {
    async get(tenantId, orderId) {
      const { Item: item } = await client.send(
        new GetCommand({ TableName: tableName, Key: orderKey(tenantId, orderId) }),
      );
      return item ? toOrder(item) : undefined;
    },
  };
}
