import {
  BadRequestError,
  ConflictError,
  NotFoundError,
  type TenantContext,
} from '@tenantry/tenant-middleware';
import { describe, expect, it } from 'vitest';
import {
  type CommitResult,
  createOrderBody,
  deleteOrder,
  getOrder,
  listOrders,
  MAX_ATTEMPTS,
  type OrderChange,
  type OrderDeps,
  type OrderStore,
  orderIdField,
  placeOrder,
  type StoredOrder,
  updateOrder,
  updateOrderBody,
} from './order.js';
import type { ProductSnapshot, StockChange } from './stock.js';

const tenantA: TenantContext = { tenantId: 'tenant-a', userId: 'u-1', role: 'TenantUser' };
const tenantB: TenantContext = { tenantId: 'tenant-b', userId: 'u-2', role: 'TenantAdmin' };

/**
 * An in-memory store with the transaction's semantics: every condition holds or nothing changes.
 * `beforeCommit` runs between a change's reads and its transaction (a concurrent writer).
 */
function memoryStore() {
  const orders = new Map<string, StoredOrder>();
  const products = new Map<string, ProductSnapshot>();
  const at = (tenantId: string, id: string) => `${tenantId}/${id}`;
  const hooks = { beforeCommit: [] as (() => CommitResult | undefined)[], commits: 0 };
  const store: OrderStore = {
    get: async (tenantId, orderId) => structuredClone(orders.get(at(tenantId, orderId))),
    list: async (tenantId) => ({
      items: [...orders.entries()]
        .filter(([key]) => key.startsWith(`${tenantId}/`))
        .map(([, { version: _v, ...order }]) => ({
          ...order,
          lines: order.lines.map(({ reserved: _r, ...line }) => line),
        })),
    }),
    products: async (tenantId, ids) => {
      const found = new Map<string, ProductSnapshot>();
      for (const id of ids) {
        const product = products.get(at(tenantId, id));
        if (product) found.set(id, { ...product });
      }
      return found;
    },
    commit: async (tenantId, change: OrderChange, stock: readonly StockChange[]) => {
      hooks.commits += 1;
      const injected = hooks.beforeCommit.shift()?.();
      if (injected) return injected;
      const orderId = change.kind === 'delete' ? change.orderId : change.order.orderId;
      const existing = orders.get(at(tenantId, orderId));
      if (change.kind === 'create' ? existing : existing?.version !== change.expectedVersion)
        return { ok: false, failed: 'order' };
      for (const { productId, price, stock: move } of stock) {
        const product = products.get(at(tenantId, productId));
        const holds =
          product &&
          (price === undefined || product.price === price) &&
          (move === 'unlimited'
            ? product.stock === undefined
            : move === 0 || (product.stock !== undefined && (move < 0 || product.stock >= move)));
        if (!holds) return { ok: false, failed: 'product', productId };
      }
      for (const { productId, stock: move } of stock) {
        const product = products.get(at(tenantId, productId)) as ProductSnapshot;
        if (typeof move === 'number' && product.stock !== undefined) product.stock -= move;
      }
      if (change.kind === 'delete') orders.delete(at(tenantId, orderId));
      else orders.set(at(tenantId, orderId), structuredClone(change.order));
      return { ok: true };
    },
  };
  let ids = 0;
  const deps: OrderDeps = {
    orders: store,
    now: () => new Date('2026-01-01T00:00:00.000Z'),
    newId: () => {
      ids += 1;
      return `O${ids}`;
    },
    backoff: async () => undefined,
  };
  const addProduct = (tenantId: string, product: ProductSnapshot) =>
    products.set(at(tenantId, product.productId), { ...product });
  const stockOf = (tenantId: string, productId: string) => products.get(at(tenantId, productId))?.stock;
  return { deps, hooks, addProduct, stockOf, products, at };
}

const error = async (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e as Error,
  );

function shop() {
  const memory = memoryStore();
  memory.addProduct('tenant-a', { productId: 'pen', name: 'Pen', price: 150, stock: 5 });
  memory.addProduct('tenant-a', { productId: 'ink', name: 'Ink', price: 999 });
  memory.addProduct('tenant-b', { productId: 'secret', name: 'Secret of B', price: 1, stock: 9 });
  return memory;
}

describe('placeOrder', () => {
  it('captures names and prices, computes the total and takes the stock', async () => {
    const { deps, stockOf } = shop();
    const order = await placeOrder(deps, tenantA, {
      lines: [
        { productId: 'pen', quantity: 2 },
        { productId: 'ink', quantity: 3 },
      ],
    });
    expect(order).toEqual({
      orderId: 'O1',
      lines: [
        { productId: 'pen', name: 'Pen', price: 150, quantity: 2 },
        { productId: 'ink', name: 'Ink', price: 999, quantity: 3 },
      ],
      total: 2 * 150 + 3 * 999,
      status: 'PLACED',
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    });
    expect(stockOf('tenant-a', 'pen')).toBe(3);
    await expect(getOrder(deps, tenantA, 'O1')).resolves.toEqual(order);
  });

  it("answers 400 naming the line that names another tenant's product, and takes nothing", async () => {
    const { deps, stockOf } = shop();
    const e = await error(
      placeOrder(deps, tenantA, {
        lines: [
          { productId: 'pen', quantity: 1 },
          { productId: 'secret', quantity: 1 },
        ],
      }),
    );
    expect(e).toBeInstanceOf(BadRequestError);
    expect(e.message).toBe('lines[1].productId is not a known product');
    expect(stockOf('tenant-a', 'pen')).toBe(5);
    expect(stockOf('tenant-b', 'secret')).toBe(9);
  });

  it('answers 409 naming the line without enough stock', async () => {
    const { deps, stockOf } = shop();
    const e = await error(
      placeOrder(deps, tenantA, {
        lines: [
          { productId: 'ink', quantity: 1 },
          { productId: 'pen', quantity: 6 },
        ],
      }),
    );
    expect(e).toBeInstanceOf(ConflictError);
    expect(e.message).toBe('not enough stock for lines[1]');
    expect(stockOf('tenant-a', 'pen')).toBe(5);
  });

  it('reads again when the price changed before the transaction, and captures the new price', async () => {
    const { deps, hooks, products, at } = shop();
    hooks.beforeCommit.push(() => {
      (products.get(at('tenant-a', 'pen')) as ProductSnapshot).price = 175;
      return undefined;
    });
    const order = await placeOrder(deps, tenantA, { lines: [{ productId: 'pen', quantity: 2 }] });
    expect(order.lines[0]?.price).toBe(175);
    expect(order.total).toBe(350);
    expect(hooks.commits).toBe(2);
  });

  it('waits before reading again only when a product keeps changing', async () => {
    const { deps, hooks, products, at } = shop();
    const backoffs: number[] = [];
    deps.backoff = async (attempt) => {
      backoffs.push(attempt);
    };
    for (const price of [160, 170, 180])
      hooks.beforeCommit.push(() => {
        (products.get(at('tenant-a', 'pen')) as ProductSnapshot).price = price;
        return undefined;
      });
    const order = await placeOrder(deps, tenantA, { lines: [{ productId: 'pen', quantity: 1 }] });
    expect(order.total).toBe(180);
    expect(backoffs).toEqual([2, 3]);
  });

  it('answers 409 naming the line when a concurrent order took the last units', async () => {
    const { deps, hooks, products, at } = shop();
    hooks.beforeCommit.push(() => {
      (products.get(at('tenant-a', 'pen')) as ProductSnapshot).stock = 1;
      return undefined;
    });
    const e = await error(placeOrder(deps, tenantA, { lines: [{ productId: 'pen', quantity: 2 }] }));
    expect(e.message).toBe('not enough stock for lines[0]');
  });

  it('answers 400 when the product was deleted meanwhile', async () => {
    const { deps, hooks, products, at } = shop();
    hooks.beforeCommit.push(() => {
      products.delete(at('tenant-a', 'ink'));
      return undefined;
    });
    const e = await error(placeOrder(deps, tenantA, { lines: [{ productId: 'ink', quantity: 2 }] }));
    expect(e.message).toBe('lines[0].productId is not a known product');
  });

  it(`retries a transaction that collided with another, up to ${MAX_ATTEMPTS} times, then answers 409`, async () => {
    const { deps, hooks, stockOf } = shop();
    const backoffs: number[] = [];
    deps.backoff = async (attempt) => {
      backoffs.push(attempt);
    };
    for (let i = 0; i < 2; i += 1) hooks.beforeCommit.push(() => ({ ok: false, failed: 'contention' }));
    await placeOrder(deps, tenantA, { lines: [{ productId: 'pen', quantity: 1 }] });
    expect(backoffs).toEqual([1, 2]);
    for (let i = 0; i < MAX_ATTEMPTS; i += 1)
      hooks.beforeCommit.push(() => ({ ok: false, failed: 'contention' }));
    const e = await error(placeOrder(deps, tenantA, { lines: [{ productId: 'pen', quantity: 1 }] }));
    expect(e).toBeInstanceOf(ConflictError);
    expect(stockOf('tenant-a', 'pen')).toBe(4);
  });
});

describe('updateOrder', () => {
  async function placed() {
    const memory = shop();
    const order = await placeOrder(memory.deps, tenantA, {
      lines: [
        { productId: 'pen', quantity: 2 },
        { productId: 'ink', quantity: 1 },
      ],
    });
    return { ...memory, order };
  }

  it('replaces the lines, giving back the old quantities and taking the new ones', async () => {
    const { deps, stockOf, order, addProduct } = await placed();
    addProduct('tenant-a', { productId: 'cap', name: 'Cap', price: 20, stock: 10 });
    const updated = await updateOrder(deps, tenantA, order.orderId, {
      lines: [
        { productId: 'pen', quantity: 5 },
        { productId: 'cap', quantity: 4 },
      ],
    });
    expect(updated.lines).toEqual([
      { productId: 'pen', name: 'Pen', price: 150, quantity: 5 },
      { productId: 'cap', name: 'Cap', price: 20, quantity: 4 },
    ]);
    expect(updated.total).toBe(5 * 150 + 4 * 20);
    expect(updated.createdAt).toBe(order.createdAt);
    expect(stockOf('tenant-a', 'pen')).toBe(0);
    expect(stockOf('tenant-a', 'cap')).toBe(6);
    await updateOrder(deps, tenantA, order.orderId, { lines: [{ productId: 'ink', quantity: 1 }] });
    expect(stockOf('tenant-a', 'pen')).toBe(5);
    expect(stockOf('tenant-a', 'cap')).toBe(10);
  });

  it('answers 409 naming the line when the new quantity is more than stock plus what the order holds', async () => {
    const { deps, stockOf, order } = await placed();
    const e = await error(
      updateOrder(deps, tenantA, order.orderId, {
        lines: [
          { productId: 'ink', quantity: 1 },
          { productId: 'pen', quantity: 6 },
        ],
      }),
    );
    expect(e.message).toBe('not enough stock for lines[1]');
    expect(stockOf('tenant-a', 'pen')).toBe(3);
  });

  it('cancels an order, gives its stock back, and refuses any further change with 409', async () => {
    const { deps, stockOf, order } = await placed();
    const cancelled = await updateOrder(deps, tenantA, order.orderId, { status: 'CANCELLED' });
    expect(cancelled).toEqual({ ...order, status: 'CANCELLED' });
    expect(stockOf('tenant-a', 'pen')).toBe(5);
    for (const update of [{ status: 'CANCELLED' as const }, { lines: [{ productId: 'pen', quantity: 1 }] }]) {
      const e = await error(updateOrder(deps, tenantA, order.orderId, update));
      expect(e).toBeInstanceOf(ConflictError);
      expect(e.message).toBe('a cancelled order cannot be changed');
    }
    expect(stockOf('tenant-a', 'pen')).toBe(5);
  });

  it("answers 404 for a missing order and for another tenant's order, and never creates one", async () => {
    const { deps, order } = await placed();
    for (const [tenant, id] of [
      [tenantA, 'missing'],
      [tenantB, order.orderId],
    ] as const) {
      await expect(updateOrder(deps, tenant, id, { status: 'CANCELLED' })).rejects.toThrow(NotFoundError);
      await expect(getOrder(deps, tenant, id)).rejects.toThrow(NotFoundError);
    }
    expect((await listOrders(deps, tenantB, { limit: 25 })).items).toEqual([]);
  });

  it('reads again when the order changed between the read and the transaction', async () => {
    const { deps, hooks, stockOf, order } = await placed();
    hooks.beforeCommit.push(() => ({ ok: false, failed: 'order' }));
    await updateOrder(deps, tenantA, order.orderId, { status: 'CANCELLED' });
    expect(stockOf('tenant-a', 'pen')).toBe(5);
    expect(hooks.commits).toBe(3);
  });
});

describe('deleteOrder', () => {
  it('gives back the stock of an order that was not cancelled', async () => {
    const { deps, stockOf } = shop();
    const order = await placeOrder(deps, tenantA, { lines: [{ productId: 'pen', quantity: 4 }] });
    await deleteOrder(deps, tenantA, order.orderId);
    expect(stockOf('tenant-a', 'pen')).toBe(5);
    await expect(getOrder(deps, tenantA, order.orderId)).rejects.toThrow(NotFoundError);
    await expect(deleteOrder(deps, tenantA, order.orderId)).rejects.toThrow(NotFoundError);
  });

  it('gives nothing back twice for a cancelled order', async () => {
    const { deps, stockOf } = shop();
    const order = await placeOrder(deps, tenantA, { lines: [{ productId: 'pen', quantity: 4 }] });
    await updateOrder(deps, tenantA, order.orderId, { status: 'CANCELLED' });
    await deleteOrder(deps, tenantA, order.orderId);
    expect(stockOf('tenant-a', 'pen')).toBe(5);
  });

  it("answers 404 for another tenant's order and leaves it", async () => {
    const { deps } = shop();
    const order = await placeOrder(deps, tenantA, { lines: [{ productId: 'pen', quantity: 1 }] });
    await expect(deleteOrder(deps, tenantB, order.orderId)).rejects.toThrow(NotFoundError);
    await expect(getOrder(deps, tenantA, order.orderId)).resolves.toEqual(order);
  });
});

describe('order bodies', () => {
  const message = (run: () => unknown) => {
    try {
      run();
    } catch (e) {
      return (e as Error).message;
    }
    return 'accepted';
  };

  it.each([
    [{}, /^lines is required/],
    [{ lines: [] }, /^lines must have 1-50 items/],
    [
      { lines: Array.from({ length: 51 }, (_, i) => ({ productId: `p${i}`, quantity: 1 })) },
      /^lines must have/,
    ],
    [{ lines: [{ productId: 'p', quantity: 0 }] }, /^lines\[0\]\.quantity must be between 1 and 10000/],
    [{ lines: [{ productId: 'p', quantity: 10_001 }] }, /^lines\[0\]\.quantity /],
    [{ lines: [{ productId: 'p', quantity: 1.5 }] }, /^lines\[0\]\.quantity must be an integer/],
    [
      {
        lines: [
          { productId: 'p', quantity: 1 },
          { productId: 'a#b', quantity: 1 },
        ],
      },
      /^lines\[1\]\.productId /,
    ],
    [{ lines: [{ productId: 'p', quantity: 1, price: 1 }] }, /^lines\[0\]\.price is not a known field/],
    [{ lines: [{ productId: 'p', quantity: 1 }], total: 1 }, /^total is not a known field/],
    [
      {
        lines: [
          { productId: 'p', quantity: 1 },
          { productId: 'q', quantity: 1 },
          { productId: 'p', quantity: 2 },
        ],
      },
      /^lines\[2\]\.productId repeats lines\[0\]/,
    ],
  ])('refuses the order body %j naming the field', (body, expected) => {
    expect(message(() => createOrderBody(body))).toMatch(expected);
  });

  it('takes lines or a cancellation on update, not both and not nothing', () => {
    const lines = [{ productId: 'p', quantity: 1 }];
    expect(updateOrderBody({ lines })).toEqual({ lines });
    expect(updateOrderBody({ status: 'CANCELLED' })).toEqual({ status: 'CANCELLED' });
    expect(message(() => updateOrderBody({ status: 'PLACED' }))).toMatch(/^status must be one of CANCELLED/);
    expect(message(() => updateOrderBody({ lines, status: 'CANCELLED' }))).toMatch(/^status cannot change/);
    expect(message(() => updateOrderBody({}))).toMatch(/^body must have lines or status/);
    expect(message(() => updateOrderBody({ total: 5 }))).toMatch(/^total is not a known field/);
  });

  it.each(['', 'o/1', 'a'.repeat(65)])('refuses the order id %j naming the field', (value) => {
    expect(() => orderIdField(value, 'orderId')).toThrow(/^orderId /);
  });
});
