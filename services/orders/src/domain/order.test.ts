import { NotFoundError, type TenantContext } from '@tenantry/tenant-middleware';
import { describe, expect, it } from 'vitest';
import { getOrder, type Order, orderIdField } from './order.js';

const order: Order = {
  orderId: 'o-1',
  lines: [{ productId: 'p-1', name: 'Pen', price: 150, quantity: 2 }],
  total: 300,
  status: 'PLACED',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};
const tenantA: TenantContext = { tenantId: 'tenant-a', userId: 'u-1', role: 'TenantUser' };
const tenantB: TenantContext = { tenantId: 'tenant-b', userId: 'u-2', role: 'TenantAdmin' };
const deps = {
  orders: {
    get: async (tenantId: string, orderId: string) =>
      tenantId === 'tenant-a' && orderId === 'o-1' ? order : undefined,
  },
};

describe('getOrder', () => {
  it("returns the caller's tenant's order", async () => {
    await expect(getOrder(deps, tenantA, 'o-1')).resolves.toEqual(order);
  });

  it('answers not found when the order belongs to another tenant', async () => {
    await expect(getOrder(deps, tenantB, 'o-1')).rejects.toThrow(NotFoundError);
  });
});

describe('orderIdField', () => {
  it.each(['', 'o/1', 'a'.repeat(65)])('rejects %j naming the field', (value) => {
    expect(() => orderIdField(value, 'orderId')).toThrow(/^orderId /);
  });
});
