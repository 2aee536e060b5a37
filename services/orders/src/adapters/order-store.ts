import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ORDER_SK_PREFIX, orderKey, productKey } from '@tenantry/data';
import type { TenantScopedClient, TenantTable } from '@tenantry/tenant-data';
import type { CommitResult, OrderChange, OrderStore, StoredOrder } from '../domain/order.js';
import { publicOrder } from '../domain/order.js';
import type { ProductSnapshot, StockChange, StoredOrderLine } from '../domain/stock.js';

type Item = Record<string, unknown>;
type TransactItem = Record<string, Item>;

/** Where the store finds each table: name, and shards per tenant. */
export interface TableLayout {
  name: string;
  shards: number;
}

export interface OrderStoreOptions {
  /** Each tenant's scoped client over both tables (vended credentials, every key checked). */
  clients: (tenantId: string) => TenantScopedClient;
  /** Each tenant's view of the order table and of the product table, built on `clients`. */
  orderTable: (tenantId: string) => TenantTable;
  productTable: (tenantId: string) => TenantTable;
  orders: TableLayout;
  products: TableLayout;
}

const toLine = (line: Item): StoredOrderLine => ({
  productId: line.productId as string,
  name: line.name as string,
  price: line.price as number,
  quantity: line.quantity as number,
  reserved: typeof line.reserved === 'number' ? line.reserved : 0,
});

const toStoredOrder = (item: Item): StoredOrder => ({
  orderId: item.orderId as string,
  lines: ((item.lines as Item[] | undefined) ?? []).map(toLine),
  total: item.total as number,
  status: item.status as StoredOrder['status'],
  createdAt: item.createdAt as string,
  updatedAt: item.updatedAt as string,
  version: item.version as number,
});

const toSnapshot = (item: Item): ProductSnapshot => {
  const product: ProductSnapshot = {
    productId: item.productId as string,
    name: item.name as string,
    price: item.price as number,
  };
  if (typeof item.stock === 'number') product.stock = item.stock;
  return product;
};

/** The order's half of the transaction: created once, replaced or deleted only at the version read. */
function orderEntry(tenantId: string, change: OrderChange, orders: TableLayout): TransactItem {
  const TableName = orders.name;
  if (change.kind === 'create')
    return {
      Put: {
        TableName,
        Item: { ...orderKey(tenantId, change.order.orderId, orders.shards), ...change.order },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  const versioned = {
    ConditionExpression: '#version = :expected',
    ExpressionAttributeNames: { '#version': 'version' },
    ExpressionAttributeValues: { ':expected': change.expectedVersion },
  };
  if (change.kind === 'replace')
    return {
      Put: {
        TableName,
        Item: { ...orderKey(tenantId, change.order.orderId, orders.shards), ...change.order },
        ...versioned,
      },
    };
  return { Delete: { TableName, Key: orderKey(tenantId, change.orderId, orders.shards), ...versioned } };
}

/**
 * A product's half: a ConditionCheck when stock does not move, an Update of `stock` otherwise, each
 * on the condition that the product still exists with the captured price and enough stock.
 */
export function productEntry(tenantId: string, change: StockChange, products: TableLayout): TransactItem {
  const target = { TableName: products.name, Key: productKey(tenantId, change.productId, products.shards) };
  const conditions = ['attribute_exists(pk)'];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  if (change.price !== undefined) {
    conditions.push('#price = :price');
    names['#price'] = 'price';
    values[':price'] = change.price;
  }
  names['#stock'] = 'stock';
  let update: string | undefined;
  if (change.stock === 'unlimited') {
    conditions.push('attribute_not_exists(#stock)');
  } else if (change.stock > 0) {
    conditions.push('#stock >= :quantity');
    values[':quantity'] = change.stock;
    update = 'SET #stock = #stock - :quantity';
  } else if (change.stock < 0) {
    conditions.push('attribute_exists(#stock)');
    values[':quantity'] = -change.stock;
    update = 'SET #stock = #stock + :quantity';
  } else {
    delete names['#stock'];
  }
  const expression = {
    ConditionExpression: conditions.join(' AND '),
    ExpressionAttributeNames: names,
    ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
  };
  return update
    ? { Update: { ...target, UpdateExpression: update, ...expression } }
    : { ConditionCheck: { ...target, ...expression } };
}

/** What a cancelled transaction says: which entry failed, or that it collided with another. */
function cancellation(error: unknown, stock: readonly StockChange[]): CommitResult | undefined {
  const name = (error as { name?: string }).name;
  if (name === 'TransactionConflictException') return { ok: false, failed: 'contention' };
  if (name !== 'TransactionCanceledException') return undefined;
  const codes = ((error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? []).map(
    (reason) => reason?.Code,
  );
  const failed = codes.indexOf('ConditionalCheckFailed');
  if (failed === 0) return { ok: false, failed: 'order' };
  const product = stock[failed - 1];
  if (failed > 0 && product) return { ok: false, failed: 'product', productId: product.productId };
  if (codes.includes('TransactionConflict')) return { ok: false, failed: 'contention' };
  return undefined;
}

/**
 * Orders in the order table and the stock of the products they take from in the product table,
 * each tenant through its own vended credentials and scoped client: an order and its stock moves
 * are one `TransactWriteItems`.
 */
export function buildOrderStore(options: OrderStoreOptions): OrderStore {
  const { orders, products } = options;
  return {
    async get(tenantId, orderId) {
      const item = await options.orderTable(tenantId).get(orderKey(tenantId, orderId, orders.shards));
      return item ? toStoredOrder(item) : undefined;
    },
    async list(tenantId, { limit, nextToken }) {
      const page = await options.orderTable(tenantId).list({
        skPrefix: ORDER_SK_PREFIX,
        limit,
        query: `GET /orders?limit=${limit}`,
        ...(nextToken === undefined ? {} : { nextToken }),
      });
      const items = page.items.map((item) => publicOrder(toStoredOrder(item)));
      return page.nextToken ? { items, nextToken: page.nextToken } : { items };
    },
    async products(tenantId, productIds) {
      const table = options.productTable(tenantId);
      const found = await Promise.all(
        productIds.map((productId) => table.get(productKey(tenantId, productId, products.shards))),
      );
      const snapshots = new Map<string, ProductSnapshot>();
      for (const item of found) if (item) snapshots.set(item.productId as string, toSnapshot(item));
      return snapshots;
    },
    async commit(tenantId, order, stock) {
      const TransactItems = [
        orderEntry(tenantId, order, orders),
        ...stock.map((change) => productEntry(tenantId, change, products)),
      ];
      try {
        await options.clients(tenantId).send(new TransactWriteCommand({ TransactItems } as never));
        return { ok: true };
      } catch (error) {
        const result = cancellation(error, stock);
        if (result) return result;
        throw error;
      }
    },
  };
}
