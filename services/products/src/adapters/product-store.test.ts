import { describe, expect, it } from 'vitest';
import { buildProductStore } from './product-store.js';

describe('buildProductStore', () => {
  it("reads under the tenant's partition and returns only product fields", async () => {
    const inputs: unknown[] = [];
    const client = {
      send: async (command: { input: unknown }) => {
        inputs.push(command.input);
        return {
          Item: {
            pk: 'TENANT#tenant-a',
            sk: 'PRODUCT#p-1',
            tenantId: 'tenant-a',
            productId: 'p-1',
            name: 'Pen',
            price: 150,
            sku: 'PEN-1',
            stock: 3,
            createdAt: 'c',
            updatedAt: 'u',
          },
        };
      },
    };
    const product = await buildProductStore(client as never, 'products').get('tenant-a', 'p-1');
    expect(inputs).toEqual([{ TableName: 'products', Key: { pk: 'TENANT#tenant-a', sk: 'PRODUCT#p-1' } }]);
    expect(product).toEqual({
      productId: 'p-1',
      name: 'Pen',
      price: 150,
      sku: 'PEN-1',
      stock: 3,
      createdAt: 'c',
      updatedAt: 'u',
    });
  });

  it('returns nothing when the tenant has no such product', async () => {
    const client = { send: async () => ({}) };
    await expect(
      buildProductStore(client as never, 'products').get('tenant-a', 'p-1'),
    ).resolves.toBeUndefined();
  });
});
