import {
  BadRequestError,
  ConflictError,
  NotFoundError,
  type TenantContext,
} from '@tenantry/tenant-middleware';
import { describe, expect, it } from 'vitest';
import {
  createProduct,
  deleteProduct,
  getProduct,
  listProducts,
  type Product,
  type ProductDeps,
  type ProductStore,
  productBody,
  productIdField,
  replaceProduct,
} from './product.js';

/** Products per tenant, in memory. */
function memoryStore(): ProductStore & { all: Map<string, Product> } {
  const all = new Map<string, Product>();
  const id = (tenantId: string, productId: string) => `${tenantId}/${productId}`;
  return {
    all,
    get: async (tenantId, productId) => all.get(id(tenantId, productId)),
    async create(tenantId, product) {
      if (all.has(id(tenantId, product.productId))) return false;
      all.set(id(tenantId, product.productId), product);
      return true;
    },
    async replace(tenantId, productId, fields, updatedAt) {
      const current = all.get(id(tenantId, productId));
      if (!current) return undefined;
      const next: Product = {
        productId,
        createdAt: current.createdAt,
        updatedAt,
        ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)),
      } as Product;
      all.set(id(tenantId, productId), next);
      return next;
    },
    remove: async (tenantId, productId) => all.delete(id(tenantId, productId)),
    async list(tenantId, { limit }) {
      const items = [...all.entries()].filter(([key]) => key.startsWith(`${tenantId}/`)).map(([, p]) => p);
      return { items: items.slice(0, limit) };
    },
  };
}

const tenantA: TenantContext = { tenantId: 'tenant-a', userId: 'u-1', role: 'TenantAdmin' };
const tenantB: TenantContext = { tenantId: 'tenant-b', userId: 'u-2', role: 'TenantAdmin' };

function deps(): ProductDeps & { products: ReturnType<typeof memoryStore> } {
  let n = 0;
  let time = Date.UTC(2026, 0, 1);
  return {
    products: memoryStore(),
    now: () => {
      time += 1000;
      return new Date(time);
    },
    newId: () => {
      n += 1;
      return `P${n}`;
    },
  };
}

const pen = { name: 'Pen', price: 150, sku: 'PEN-1', category: 'office', stock: 3 };

describe('products', () => {
  it('creates a product with a server id and timestamps, and reads it back', async () => {
    const d = deps();
    const created = await createProduct(d, tenantA, pen);
    expect(created).toEqual({
      productId: 'P1',
      ...pen,
      createdAt: '2026-01-01T00:00:01.000Z',
      updatedAt: '2026-01-01T00:00:01.000Z',
    });
    await expect(getProduct(d, tenantA, 'P1')).resolves.toEqual(created);
  });

  it("answers not found for another tenant's product, on read, replace and delete", async () => {
    const d = deps();
    await createProduct(d, tenantA, pen);
    await expect(getProduct(d, tenantB, 'P1')).rejects.toThrow(NotFoundError);
    await expect(replaceProduct(d, tenantB, 'P1', { ...pen, name: 'Stolen' })).rejects.toThrow(
      'product not found',
    );
    await expect(deleteProduct(d, tenantB, 'P1')).rejects.toThrow(NotFoundError);
    expect((await getProduct(d, tenantA, 'P1')).name).toBe('Pen');
  });

  it('replaces every client field, keeps createdAt and drops absent optional fields', async () => {
    const d = deps();
    await createProduct(d, tenantA, pen);
    const replaced = await replaceProduct(d, tenantA, 'P1', { name: 'Ink pen', price: 200, sku: 'PEN-2' });
    expect(replaced).toEqual({
      productId: 'P1',
      name: 'Ink pen',
      price: 200,
      sku: 'PEN-2',
      createdAt: '2026-01-01T00:00:01.000Z',
      updatedAt: '2026-01-01T00:00:02.000Z',
    });
  });

  it('never creates a product by replacing or deleting a missing one', async () => {
    const d = deps();
    await expect(replaceProduct(d, tenantA, 'P9', pen)).rejects.toThrow(NotFoundError);
    await expect(deleteProduct(d, tenantA, 'P9')).rejects.toThrow(NotFoundError);
    expect(d.products.all.size).toBe(0);
  });

  it('answers 409 when the generated id is already taken', async () => {
    const d = { ...deps(), newId: () => 'SAME' };
    await createProduct(d, tenantA, pen);
    await expect(createProduct(d, tenantA, pen)).rejects.toThrow(ConflictError);
  });

  it("lists only the caller's tenant's products", async () => {
    const d = deps();
    await createProduct(d, tenantA, pen);
    await createProduct(d, tenantB, { ...pen, name: 'B pen' });
    const page = await listProducts(d, tenantA, { limit: 25 });
    expect(page.items.map((p) => p.name)).toEqual(['Pen']);
  });
});

describe('productBody', () => {
  const fieldOf = (body: unknown) => {
    try {
      productBody(body);
    } catch (error) {
      if (error instanceof BadRequestError) return error.field;
      throw error;
    }
    return undefined;
  };

  it('accepts a product without category and stock', () => {
    expect(productBody({ name: 'Pen', price: 0, sku: 'a.b_c-1' })).toEqual({
      name: 'Pen',
      price: 0,
      sku: 'a.b_c-1',
    });
  });

  it.each([
    [{ ...pen, name: '' }, 'name'],
    [{ ...pen, name: 'x'.repeat(201) }, 'name'],
    [{ ...pen, price: -1 }, 'price'],
    [{ ...pen, price: 1.5 }, 'price'],
    [{ ...pen, price: 1_000_000_001 }, 'price'],
    [{ ...pen, price: '150' }, 'price'],
    [{ ...pen, sku: 'PEN#1' }, 'sku'],
    [{ ...pen, sku: 'x'.repeat(65) }, 'sku'],
    [{ ...pen, category: 'x'.repeat(101) }, 'category'],
    [{ ...pen, stock: -1 }, 'stock'],
    [{ ...pen, stock: null }, 'stock'],
    [{ ...pen, tenantId: 'tenant-b' }, 'tenantId'],
    [{ ...pen, productId: 'P1' }, 'productId'],
  ])('rejects %j naming %s', (body, field) => {
    expect(fieldOf(body)).toBe(field);
  });
});

describe('productIdField', () => {
  it.each(['', 'a/b', 'a#b', 'TENANT#x#0', 'a'.repeat(65), 'p 1'])('rejects %j naming the field', (value) => {
    expect(() => productIdField(value, 'productId')).toThrow(/^productId /);
  });
});
