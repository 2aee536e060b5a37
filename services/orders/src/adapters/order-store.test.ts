import { orderKey, productKey } from '@tenantry/data';
import type { TenantScopedClient, TenantTable } from '@tenantry/tenant-data';
import { describe, expect, it } from 'vitest';
import type { StoredOrder } from '../domain/order.js';
import { buildOrderStore, productEntry } from './order-store.js';

const orders = { name: 'orders', shards: 1 };
const products = { name: 'products', shards: 4 };

const stored: StoredOrder = {
  orderId: 'O1',
  lines: [{ productId: 'pen', name: 'Pen', price: 150, quantity: 2, reserved: 2 }],
  total: 300,
  status: 'PLACED',
  createdAt: 'c',
  updatedAt: 'u',
  version: 3,
};

function store(
  options: { send?: (command: { input: unknown }) => unknown; items?: Record<string, unknown> } = {},
) {
  const sent: unknown[] = [];
  const reads: [string, unknown][] = [];
  const table = (name: string) =>
    ({
      get: async (key: { pk: string; sk: string }) => {
        reads.push([name, key]);
        return options.items?.[key.sk];
      },
      list: async (request: unknown) => {
        reads.push([name, request]);
        return { items: [{ ...stored }], nextToken: 'next' };
      },
    }) as unknown as TenantTable;
  const client = {
    tenantId: 'tenant-a',
    send: async (command: { input: unknown }) => {
      sent.push(command.input);
      return options.send?.(command) ?? {};
    },
  } as unknown as TenantScopedClient;
  const orderStore = buildOrderStore({
    clients: () => client,
    orderTable: () => table('orders'),
    productTable: () => table('products'),
    orders,
    products,
  });
  return { orderStore, sent, reads };
}

const cancelled =
  (...codes: string[]) =>
  () => {
    throw Object.assign(new Error('Transaction cancelled'), {
      name: 'TransactionCanceledException',
      CancellationReasons: codes.map((Code) => ({ Code })),
    });
  };

describe('productEntry', () => {
  const key = productKey('tenant-a', 'pen', 4);

  it('takes stock only if the product still has the captured price and enough stock', () => {
    expect(productEntry('tenant-a', { productId: 'pen', price: 150, stock: 2 }, products)).toEqual({
      Update: {
        TableName: 'products',
        Key: key,
        UpdateExpression: 'SET #stock = #stock - :quantity',
        ConditionExpression: 'attribute_exists(pk) AND #price = :price AND #stock >= :quantity',
        ExpressionAttributeNames: { '#price': 'price', '#stock': 'stock' },
        ExpressionAttributeValues: { ':price': 150, ':quantity': 2 },
      },
    });
  });

  it('checks that an unlimited product still exists, has no stock and the captured price', () => {
    expect(productEntry('tenant-a', { productId: 'pen', price: 150, stock: 'unlimited' }, products)).toEqual({
      ConditionCheck: {
        TableName: 'products',
        Key: key,
        ConditionExpression: 'attribute_exists(pk) AND #price = :price AND attribute_not_exists(#stock)',
        ExpressionAttributeNames: { '#price': 'price', '#stock': 'stock' },
        ExpressionAttributeValues: { ':price': 150 },
      },
    });
  });

  it('gives stock back only to a product that still counts it, never creating one', () => {
    expect(productEntry('tenant-a', { productId: 'pen', stock: -3 }, products)).toEqual({
      Update: {
        TableName: 'products',
        Key: key,
        UpdateExpression: 'SET #stock = #stock + :quantity',
        ConditionExpression: 'attribute_exists(pk) AND attribute_exists(#stock)',
        ExpressionAttributeNames: { '#stock': 'stock' },
        ExpressionAttributeValues: { ':quantity': 3 },
      },
    });
  });

  it('checks only the price when the quantity taken does not change', () => {
    expect(productEntry('tenant-a', { productId: 'pen', price: 150, stock: 0 }, products)).toEqual({
      ConditionCheck: {
        TableName: 'products',
        Key: key,
        ConditionExpression: 'attribute_exists(pk) AND #price = :price',
        ExpressionAttributeNames: { '#price': 'price' },
        ExpressionAttributeValues: { ':price': 150 },
      },
    });
  });
});

describe('buildOrderStore', () => {
  it('writes a new order and its stock moves in one transaction', async () => {
    const { orderStore, sent } = store();
    const result = await orderStore.commit('tenant-a', { kind: 'create', order: stored }, [
      { productId: 'pen', price: 150, stock: 2 },
    ]);
    expect(result).toEqual({ ok: true });
    expect(sent).toEqual([
      {
        TransactItems: [
          {
            Put: {
              TableName: 'orders',
              Item: { ...orderKey('tenant-a', 'O1', 1), ...stored },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          productEntry('tenant-a', { productId: 'pen', price: 150, stock: 2 }, products),
        ],
      },
    ]);
  });

  it('replaces and deletes an order only at the version it read', async () => {
    const { orderStore, sent } = store();
    await orderStore.commit('tenant-a', { kind: 'replace', order: stored, expectedVersion: 2 }, []);
    await orderStore.commit('tenant-a', { kind: 'delete', orderId: 'O1', expectedVersion: 3 }, []);
    const versioned = (expected: number) => ({
      ConditionExpression: '#version = :expected',
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: { ':expected': expected },
    });
    expect(sent).toEqual([
      {
        TransactItems: [
          {
            Put: {
              TableName: 'orders',
              Item: { ...orderKey('tenant-a', 'O1', 1), ...stored },
              ...versioned(2),
            },
          },
        ],
      },
      {
        TransactItems: [
          { Delete: { TableName: 'orders', Key: orderKey('tenant-a', 'O1', 1), ...versioned(3) } },
        ],
      },
    ]);
  });

  it('names the product whose condition failed, the order, or a collision', async () => {
    const stock = [
      { productId: 'pen', price: 150, stock: 2 },
      { productId: 'ink', price: 9, stock: 'unlimited' as const },
    ];
    const commit = (send: () => unknown) =>
      store({ send }).orderStore.commit('tenant-a', { kind: 'create', order: stored }, stock);
    await expect(commit(cancelled('None', 'None', 'ConditionalCheckFailed'))).resolves.toEqual({
      ok: false,
      failed: 'product',
      productId: 'ink',
    });
    await expect(commit(cancelled('ConditionalCheckFailed', 'None', 'None'))).resolves.toEqual({
      ok: false,
      failed: 'order',
    });
    await expect(commit(cancelled('None', 'TransactionConflict', 'None'))).resolves.toEqual({
      ok: false,
      failed: 'contention',
    });
    await expect(commit(cancelled('None', 'ThrottlingError', 'None'))).rejects.toThrow(
      'Transaction cancelled',
    );
  });

  it("reads the products under their shards of the tenant's partitions, and keeps only what orders need", async () => {
    const { orderStore, reads } = store({
      items: { 'PRODUCT#pen': { productId: 'pen', name: 'Pen', price: 150, stock: 2, sku: 'PEN' } },
    });
    const found = await orderStore.products('tenant-a', ['pen', 'gone']);
    expect(reads).toEqual([
      ['products', productKey('tenant-a', 'pen', 4)],
      ['products', productKey('tenant-a', 'gone', 4)],
    ]);
    expect([...found.values()]).toEqual([{ productId: 'pen', name: 'Pen', price: 150, stock: 2 }]);
  });

  it('binds a listing to the route and the limit, and hides what only the store needs', async () => {
    const { orderStore, reads } = store();
    const page = await orderStore.list('tenant-a', { limit: 2, nextToken: 'prev' });
    expect(reads).toEqual([
      ['orders', { skPrefix: 'ORDER#', limit: 2, query: 'GET /orders?limit=2', nextToken: 'prev' }],
    ]);
    expect(page).toEqual({
      items: [
        {
          orderId: 'O1',
          lines: [{ productId: 'pen', name: 'Pen', price: 150, quantity: 2 }],
          total: 300,
          status: 'PLACED',
          createdAt: 'c',
          updatedAt: 'u',
        },
      ],
      nextToken: 'next',
    });
  });
});
