import { describe, expect, it } from 'vitest';
import { buildOrderStore } from './order-store.js';

describe('buildOrderStore', () => {
  it("reads under the tenant's partition and returns only order fields", async () => {
    const inputs: unknown[] = [];
    const client = {
      send: async (command: { input: unknown }) => {
        inputs.push(command.input);
        return {
          Item: {
            pk: 'TENANT#tenant-a',
            sk: 'ORDER#o-1',
            tenantId: 'tenant-a',
            orderId: 'o-1',
            lines: [{ productId: 'p-1', name: 'Pen', price: 150, quantity: 2, sku: 'internal' }],
            total: 300,
            status: 'PLACED',
            createdAt: 'c',
            updatedAt: 'u',
          },
        };
      },
    };
    const order = await buildOrderStore(client as never, 'orders').get('tenant-a', 'o-1');
    expect(inputs).toEqual([{ TableName: 'orders', Key: { pk: 'TENANT#tenant-a', sk: 'ORDER#o-1' } }]);
    expect(order).toEqual({
      orderId: 'o-1',
      lines: [{ productId: 'p-1', name: 'Pen', price: 150, quantity: 2 }],
      total: 300,
      status: 'PLACED',
      createdAt: 'c',
      updatedAt: 'u',
    });
  });
});
