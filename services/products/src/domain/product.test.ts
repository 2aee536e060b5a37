import { NotFoundError, type TenantContext } from '@tenantry/tenant-middleware';
import { describe, expect, it } from 'vitest';
import { getProduct, type Product, productIdField } from './product.js';

const pen: Product = {
  productId: 'p-1',
  name: 'Pen',
  price: 150,
  sku: 'PEN-1',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};
const tenantA: TenantContext = { tenantId: 'tenant-a', userId: 'u-1', role: 'TenantUser' };
const tenantB: TenantContext = { tenantId: 'tenant-b', userId: 'u-2', role: 'TenantUser' };
const deps = {
  products: {
    get: async (tenantId: string, productId: string) =>
      tenantId === 'tenant-a' && productId === 'p-1' ? pen : undefined,
  },
};

describe('getProduct', () => {
  it("returns the caller's tenant's product", async () => {
    await expect(getProduct(deps, tenantA, 'p-1')).resolves.toEqual(pen);
  });

  it('answers not found when the product belongs to another tenant', async () => {
    await expect(getProduct(deps, tenantB, 'p-1')).rejects.toThrow(NotFoundError);
  });

  it('answers not found for an unknown product', async () => {
    await expect(getProduct(deps, tenantA, 'p-2')).rejects.toThrow('product not found');
  });
});

describe('productIdField', () => {
  it.each(['', 'a/b', 'a'.repeat(65), 'p 1'])('rejects %j naming the field', (value) => {
    expect(() => productIdField(value, 'productId')).toThrow(/^productId /);
  });
});
