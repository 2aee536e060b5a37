import { BadRequestError, ConflictError } from '@tenantry/tenant-middleware';
import type { OrderLine } from './order.js';

/** What an order needs to know of a product when it is placed or changed. */
export interface ProductSnapshot {
  productId: string;
  name: string;
  price: number;
  /** Units in stock; absent = unlimited. */
  stock?: number;
}

/** An order line as stored: `reserved` is what the line took from the product's stock (0 if unlimited). */
export interface StoredOrderLine extends OrderLine {
  reserved: number;
}

/** A line a client asks for. */
export interface RequestedLine {
  productId: string;
  quantity: number;
}

/**
 * One product's part of an order's transaction. `price`: the product must still have the price the
 * order captured. `stock`: `'unlimited'` — the product must still have no stock; a number `n` —
 * `n > 0` is taken from stock (which must hold at least `n`), `n < 0` gives `-n` back, `0` leaves
 * stock as it is.
 */
export interface StockChange {
  productId: string;
  price?: number;
  stock: 'unlimited' | number;
}

/** A transaction writes the order and at most 99 products (DynamoDB allows 100 items). */
export const MAX_PRODUCTS_PER_CHANGE = 99;

export interface StockPlan {
  lines: StoredOrderLine[];
  total: number;
  changes: StockChange[];
}

/**
 * Plans the move from an order's current lines (`before`, empty for a new order) to the requested
 * ones (`after`, empty when the order is cancelled or deleted): new lines capture the products'
 * names and prices as they are now; stock is taken for the difference and given back for what is
 * no longer ordered. Throws a 400 naming the line of an unknown product and a 409 naming the line
 * whose product has not enough stock.
 *
 * @example
 * ```ts
 * planStock([], [{ productId: 'p1', quantity: 2 }], new Map([['p1', { productId: 'p1', name: 'Pen', price: 150, stock: 5 }]]));
 * // { lines: [{ productId: 'p1', name: 'Pen', price: 150, quantity: 2, reserved: 2 }], total: 300,
 * //   changes: [{ productId: 'p1', price: 150, stock: 2 }] }
 * ```
 */
export function planStock(
  before: readonly StoredOrderLine[],
  after: readonly RequestedLine[],
  products: ReadonlyMap<string, ProductSnapshot>,
): StockPlan {
  const reservedBefore = new Map<string, number>();
  for (const line of before)
    reservedBefore.set(line.productId, (reservedBefore.get(line.productId) ?? 0) + line.reserved);

  const lines: StoredOrderLine[] = [];
  const changes: StockChange[] = [];
  let total = 0;
  after.forEach(({ productId, quantity }, index) => {
    const product = products.get(productId);
    if (!product) {
      const field = `lines[${index}].productId`;
      throw new BadRequestError(`${field} is not a known product`, { field });
    }
    const { name, price, stock } = product;
    total += price * quantity;
    if (stock === undefined) {
      changes.push({ productId, price, stock: 'unlimited' });
      lines.push({ productId, name, price, quantity, reserved: 0 });
      return;
    }
    const take = quantity - (reservedBefore.get(productId) ?? 0);
    if (take > stock) throw new ConflictError(`not enough stock for lines[${index}]`);
    changes.push({ productId, price, stock: take });
    lines.push({ productId, name, price, quantity, reserved: quantity });
  });

  const ordered = new Set(after.map((line) => line.productId));
  for (const [productId, reserved] of reservedBefore) {
    // Given back only to a product that still counts its stock (a deleted or now unlimited product
    // has nothing to give back to).
    if (ordered.has(productId) || reserved === 0) continue;
    if (products.get(productId)?.stock === undefined) continue;
    changes.push({ productId, stock: -reserved });
  }
  if (changes.length > MAX_PRODUCTS_PER_CHANGE)
    throw new BadRequestError(
      `lines: one change may touch at most ${MAX_PRODUCTS_PER_CHANGE} products (old and new lines together)`,
      { field: 'lines' },
    );
  return { lines, total, changes };
}

/** The product ids an order change has to read: those of the current and of the requested lines. */
export const productIdsOf = (
  before: readonly { productId: string }[],
  after: readonly { productId: string }[],
): string[] => [...new Set([...before, ...after].map((line) => line.productId))];
