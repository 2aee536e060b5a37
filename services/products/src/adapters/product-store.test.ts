import { productKey } from '@tenantry/data';
import type { TenantTable } from '@tenantry/tenant-data';
import { describe, expect, it } from 'vitest';
import { buildProductStore } from './product-store.js';

function recordingTable(answer: unknown = undefined) {
  const calls: [string, ...unknown[]][] = [];
  const record =
    (name: string) =>
    async (...args: unknown[]) => {
      calls.push([name, ...args]);
      return answer;
    };
  const table = {
    tenantId: 'tenant-a',
    get: record('get'),
    create: record('create'),
    update: record('update'),
    delete: record('delete'),
    list: record('list'),
  } as unknown as TenantTable;
  const tenants: string[] = [];
  return {
    calls,
    tenants,
    tables: (tenantId: string) => {
      tenants.push(tenantId);
      return table;
    },
  };
}

const stored = {
  productId: 'p-1',
  name: 'Pen',
  price: 150,
  sku: 'PEN-1',
  stock: 3,
  createdAt: 'c',
  updatedAt: 'u',
};

describe('buildProductStore', () => {
  it("reads under the product's shard of the tenant's partitions and returns only product fields", async () => {
    const { tables, calls, tenants } = recordingTable({ ...stored, internal: 'x' });
    const product = await buildProductStore(tables, 4).get('tenant-a', 'p-1');
    expect(tenants).toEqual(['tenant-a']);
    expect(calls).toEqual([['get', productKey('tenant-a', 'p-1', 4)]]);
    expect(product).toEqual(stored);
  });

  it('replaces the client fields and removes absent optional ones', async () => {
    const { tables, calls } = recordingTable(stored);
    await buildProductStore(tables, 4).replace('tenant-a', 'p-1', { name: 'Pen', price: 1, sku: 'S' }, 'now');
    expect(calls).toEqual([
      [
        'update',
        productKey('tenant-a', 'p-1', 4),
        { set: { name: 'Pen', price: 1, sku: 'S', updatedAt: 'now' }, remove: ['category', 'stock'] },
      ],
    ]);
  });

  it('binds a listing to the route and the limit', async () => {
    const { tables, calls } = recordingTable({ items: [stored], nextToken: 'tok' });
    const page = await buildProductStore(tables, 4).list('tenant-a', { limit: 2, nextToken: 'prev' });
    expect(calls).toEqual([
      ['list', { skPrefix: 'PRODUCT#', limit: 2, query: 'GET /products?limit=2', nextToken: 'prev' }],
    ]);
    expect(page).toEqual({ items: [stored], nextToken: 'tok' });
  });

  it('returns nothing when the tenant has no such product', async () => {
    const { tables } = recordingTable(undefined);
    await expect(buildProductStore(tables, 4).get('tenant-a', 'p-1')).resolves.toBeUndefined();
  });
});
