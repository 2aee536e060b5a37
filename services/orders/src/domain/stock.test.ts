import { BadRequestError, ConflictError } from '@tenantry/tenant-middleware';
import { describe, expect, it } from 'vitest';
import { MAX_PRODUCTS_PER_CHANGE, type ProductSnapshot, planStock, type StoredOrderLine } from './stock.js';

const pen: ProductSnapshot = { productId: 'pen', name: 'Pen', price: 150, stock: 5 };
const ink: ProductSnapshot = { productId: 'ink', name: 'Ink', price: 999 };
const catalogue = (...products: ProductSnapshot[]) => new Map(products.map((p) => [p.productId, p]));
const line = (product: ProductSnapshot, quantity: number, reserved: number): StoredOrderLine => ({
  productId: product.productId,
  name: product.name,
  price: product.price,
  quantity,
  reserved,
});

const thrown = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
};

describe('planStock', () => {
  it('captures names and prices, computes the total and takes limited stock only', () => {
    const plan = planStock(
      [],
      [
        { productId: 'pen', quantity: 3 },
        { productId: 'ink', quantity: 2 },
      ],
      catalogue(pen, ink),
    );
    expect(plan).toEqual({
      lines: [line(pen, 3, 3), line(ink, 2, 0)],
      total: 3 * 150 + 2 * 999,
      changes: [
        { productId: 'pen', price: 150, stock: 3 },
        { productId: 'ink', price: 999, stock: 'unlimited' },
      ],
    });
  });

  it('takes exactly the whole stock, and names the line when one more unit is asked for', () => {
    expect(planStock([], [{ productId: 'pen', quantity: 5 }], catalogue(pen)).changes).toEqual([
      { productId: 'pen', price: 150, stock: 5 },
    ]);
    const error = thrown(() =>
      planStock(
        [],
        [
          { productId: 'ink', quantity: 1 },
          { productId: 'pen', quantity: 6 },
        ],
        catalogue(pen, ink),
      ),
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toBe('not enough stock for lines[1]');
  });

  it('answers 400 naming the line of a product the tenant does not have', () => {
    const error = thrown(() =>
      planStock(
        [],
        [
          { productId: 'pen', quantity: 1 },
          { productId: 'elsewhere', quantity: 1 },
        ],
        catalogue(pen),
      ),
    );
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({
      message: 'lines[1].productId is not a known product',
      field: 'lines[1].productId',
    });
  });

  it('takes only the difference when a line grows, and gives back when it shrinks', () => {
    const stocked = { ...pen, stock: 1 };
    // 4 reserved before, 5 wanted: one more unit, and one is in stock.
    expect(
      planStock([line(pen, 4, 4)], [{ productId: 'pen', quantity: 5 }], catalogue(stocked)).changes,
    ).toEqual([{ productId: 'pen', price: 150, stock: 1 }]);
    expect(() =>
      planStock([line(pen, 4, 4)], [{ productId: 'pen', quantity: 6 }], catalogue(stocked)),
    ).toThrow('not enough stock for lines[0]');
    expect(
      planStock([line(pen, 4, 4)], [{ productId: 'pen', quantity: 1 }], catalogue(stocked)).changes,
    ).toEqual([{ productId: 'pen', price: 150, stock: -3 }]);
  });

  it('gives back what dropped lines reserved, to products that still count stock', () => {
    const plan = planStock(
      [line(pen, 2, 2), line(ink, 7, 0), line({ ...pen, productId: 'gone' }, 1, 1)],
      [],
      catalogue(pen, ink),
    );
    expect(plan).toEqual({ lines: [], total: 0, changes: [{ productId: 'pen', stock: -2 }] });
  });

  it('does not give back to a product that became unlimited, nor take from it', () => {
    const unlimitedPen = { productId: 'pen', name: 'Pen', price: 160 };
    expect(planStock([line(pen, 2, 2)], [], catalogue(unlimitedPen)).changes).toEqual([]);
    expect(
      planStock([line(pen, 2, 2)], [{ productId: 'pen', quantity: 3 }], catalogue(unlimitedPen)),
    ).toEqual({
      lines: [{ productId: 'pen', name: 'Pen', price: 160, quantity: 3, reserved: 0 }],
      total: 480,
      changes: [{ productId: 'pen', price: 160, stock: 'unlimited' }],
    });
  });

  it('refuses a change that would touch more products than one transaction can hold', () => {
    const products = Array.from({ length: 60 }, (_, i) => ({
      productId: `p${i}`,
      name: 'P',
      price: 1,
      stock: 9,
    }));
    const before = products.slice(0, 50).map((p) => line(p, 1, 1));
    const after = products.slice(10, 60).map((p) => ({ productId: p.productId, quantity: 1 }));
    expect(planStock(before, after, catalogue(...products)).changes).toHaveLength(60);
    const disjoint = products.slice(0, 50).map((p) => ({ productId: `x${p.productId}`, quantity: 1 }));
    const more = [
      ...products,
      ...disjoint.map((l) => ({ productId: l.productId, name: 'X', price: 1, stock: 9 })),
    ];
    expect(() => planStock(before, disjoint, catalogue(...more))).toThrow(
      `lines: one change may touch at most ${MAX_PRODUCTS_PER_CHANGE} products`,
    );
  });
});
