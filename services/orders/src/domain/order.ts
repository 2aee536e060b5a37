import {
  arrayOf,
  BadRequestError,
  ConflictError,
  type FieldValidator,
  integer,
  integerText,
  NotFoundError,
  oneOf,
  optional,
  strictObject,
  string,
  type TenantContext,
} from '@tenantry/tenant-middleware';
import {
  type ProductSnapshot,
  planStock,
  productIdsOf,
  type RequestedLine,
  type StockChange,
  type StoredOrderLine,
} from './stock.js';

/** One line of an order, with the product's name and price when the line was ordered. */
export interface OrderLine {
  productId: string;
  name: string;
  price: number;
  quantity: number;
}

export type OrderStatus = 'PLACED' | 'CANCELLED';

/** An order as clients see it (contract §5). Amounts are integer cents. */
export interface Order {
  orderId: string;
  lines: OrderLine[];
  total: number;
  status: OrderStatus;
  createdAt: string;
  updatedAt: string;
}

/** An order as stored: what each line took from stock, and a version that every change moves on. */
export interface StoredOrder extends Order {
  lines: StoredOrderLine[];
  version: number;
}

/** A page of a listing. */
export interface OrderPage {
  items: Order[];
  nextToken?: string;
}

/** The listing a client asked for; `nextToken` is bound to the tenant and to this query. */
export interface OrderListQuery {
  limit: number;
  nextToken?: string;
}

/** The order half of a transaction: conditions are on the order's existence and version. */
export type OrderChange =
  | { kind: 'create'; order: StoredOrder }
  | { kind: 'replace'; order: StoredOrder; expectedVersion: number }
  | { kind: 'delete'; orderId: string; expectedVersion: number };

/**
 * How a transaction ended: `order` — the order was not as expected (taken id, changed or deleted);
 * `product` — a product's condition failed (price, stock, existence); `contention` — it collided
 * with another transaction and may simply be tried again.
 */
export type CommitResult =
  | { ok: true }
  | { ok: false; failed: 'order' | 'contention' }
  | { ok: false; failed: 'product'; productId: string };

/** Orders of one tenant at a time, with the products they take stock from; another tenant's are never found. */
export interface OrderStore {
  get(tenantId: string, orderId: string): Promise<StoredOrder | undefined>;
  list(tenantId: string, query: OrderListQuery): Promise<OrderPage>;
  /** The tenant's products among `productIds` (strongly consistent); unknown ids are absent. */
  products(tenantId: string, productIds: readonly string[]): Promise<Map<string, ProductSnapshot>>;
  /** Writes the order change and every stock change in one transaction: all or nothing. */
  commit(tenantId: string, order: OrderChange, stock: readonly StockChange[]): Promise<CommitResult>;
}

export interface OrderDeps {
  orders: OrderStore;
  now: () => Date;
  /** A new order id: letters and digits only (never a key separator), sorting by time. */
  newId: () => string;
  /** Waits before the `attempt`-th try after a transaction collided with another. */
  backoff: (attempt: number) => Promise<void>;
}

export const DEFAULT_LIMIT = 25;
/** The 404 message, the same whether the order is missing or another tenant's. */
export const ORDER_NOT_FOUND = 'order not found';
/** Reads and transactions tried before a change gives up with a 409. */
export const MAX_ATTEMPTS = 10;
export const MAX_LINES = 50;
export const MAX_QUANTITY = 10_000;

const idField = (what: string) =>
  string({ maxLength: 64, pattern: /^[A-Za-z0-9_-]+$/, description: `${what} (letters, digits, - and _)` });

export const orderIdField = idField('an order id');

const lineField = strictObject({
  productId: idField('a product id'),
  quantity: integer({ min: 1, max: MAX_QUANTITY }),
});

/** 1–50 lines, each product at most once (the quantity says how many). */
export const linesField: FieldValidator<RequestedLine[]> = (value, field) => {
  const lines = arrayOf(lineField, { minLength: 1, maxLength: MAX_LINES })(value, field);
  const first = new Map<string, number>();
  lines.forEach((line, index) => {
    const earlier = first.get(line.productId);
    if (earlier !== undefined) {
      const name = `${field}[${index}].productId`;
      throw new BadRequestError(`${name} repeats ${field}[${earlier}]; order more of it there`, {
        field: name,
      });
    }
    first.set(line.productId, index);
  });
  return lines;
};

/** The body of `POST /orders`: unknown fields are a 400. */
export const createOrderBody = strictObject({ lines: linesField });

const updateFields = strictObject({
  lines: optional(linesField),
  status: optional(oneOf(['CANCELLED'] as const)),
});

/** What `PUT /orders/{orderId}` may change: the lines, or the status to `CANCELLED`. */
export type OrderUpdate = { lines: RequestedLine[] } | { status: 'CANCELLED' };

/** The body of `PUT /orders/{orderId}`: either `{lines}` or `{status: "CANCELLED"}`. */
export const updateOrderBody = (value: unknown): OrderUpdate => {
  const { lines, status } = updateFields(value);
  if (lines && status)
    throw new BadRequestError('status cannot change together with lines; send one of them', {
      field: 'status',
    });
  if (lines) return { lines };
  if (status) return { status };
  throw new BadRequestError('body must have lines or status', { field: 'body' });
};

export const limitField = optional(integerText({ min: 1, max: 100 }));
export const nextTokenField = optional(string({ maxLength: 4096 }));

/** What clients see of a stored order. */
export const publicOrder = ({ version: _version, lines, ...order }: StoredOrder): Order => ({
  ...order,
  lines: lines.map(({ productId, name, price, quantity }) => ({ productId, name, price, quantity })),
});

/**
 * Runs `attempt` (read, plan, transaction) until its transaction commits. A product that changed
 * meanwhile (price, stock, deleted) or a collision with another transaction means reading again:
 * the next plan decides (a 400 for a product that is gone, a 409 for stock that ran out).
 */
async function untilCommitted<T>(
  deps: OrderDeps,
  attempt: () => Promise<{ result: CommitResult; value: T }>,
): Promise<T> {
  for (let tries = 1; ; tries += 1) {
    const { result, value } = await attempt();
    if (result.ok) return value;
    if (tries >= MAX_ATTEMPTS)
      throw new ConflictError('the order or its products kept changing meanwhile; try again');
    // A product that changed once is read again at once; one that keeps changing, or a collision
    // with another transaction, is given a moment (with jitter, so the retries spread out).
    if (result.failed === 'contention' || tries > 1) await deps.backoff(tries);
  }
}

/** The caller's tenant's orders, a page at a time. */
export const listOrders = (deps: OrderDeps, tenant: TenantContext, query: OrderListQuery) =>
  deps.orders.list(tenant.tenantId, query);

/** The caller's tenant's order; another tenant's order is "not found" too. */
export async function getOrder(deps: OrderDeps, tenant: TenantContext, orderId: string): Promise<Order> {
  return publicOrder(await storedOrder(deps, tenant, orderId));
}

async function storedOrder(deps: OrderDeps, tenant: TenantContext, orderId: string): Promise<StoredOrder> {
  const order = await deps.orders.get(tenant.tenantId, orderId);
  if (!order) throw new NotFoundError(ORDER_NOT_FOUND);
  return order;
}

/**
 * Places an order of the tenant's own products: names and prices are captured now, the total is
 * computed here, and stock is taken in the same transaction that writes the order, on the condition
 * that every product still has the captured price and enough stock.
 */
export async function placeOrder(
  deps: OrderDeps,
  tenant: TenantContext,
  request: { lines: RequestedLine[] },
): Promise<Order> {
  const now = deps.now().toISOString();
  const orderId = deps.newId();
  return untilCommitted(deps, async () => {
    const products = await deps.orders.products(tenant.tenantId, productIdsOf([], request.lines));
    const plan = planStock([], request.lines, products);
    const order: StoredOrder = {
      orderId,
      lines: plan.lines,
      total: plan.total,
      status: 'PLACED',
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    const result = await deps.orders.commit(tenant.tenantId, { kind: 'create', order }, plan.changes);
    if (!result.ok && result.failed === 'order')
      throw new ConflictError('an order with this id already exists');
    return { result, value: publicOrder(order) };
  });
}

/**
 * Replaces an order's lines (giving back the old quantities and taking the new ones, atomically)
 * or cancels it (giving its stock back). A cancelled order cannot change any more.
 */
export async function updateOrder(
  deps: OrderDeps,
  tenant: TenantContext,
  orderId: string,
  update: OrderUpdate,
): Promise<Order> {
  return untilCommitted(deps, async () => {
    const current = await storedOrder(deps, tenant, orderId);
    if (current.status === 'CANCELLED') throw new ConflictError('a cancelled order cannot be changed');
    const requested = 'lines' in update ? update.lines : [];
    const before = 'lines' in update ? current.lines : reserving(current.lines);
    const products = await deps.orders.products(tenant.tenantId, productIdsOf(before, requested));
    const plan = planStock(current.lines, requested, products);
    const next: StoredOrder =
      'lines' in update
        ? { ...current, lines: plan.lines, total: plan.total }
        : { ...current, status: 'CANCELLED', lines: current.lines.map((line) => ({ ...line, reserved: 0 })) };
    next.updatedAt = deps.now().toISOString();
    next.version = current.version + 1;
    const result = await deps.orders.commit(
      tenant.tenantId,
      { kind: 'replace', order: next, expectedVersion: current.version },
      plan.changes,
    );
    return { result, value: publicOrder(next) };
  });
}

/** The lines that hold stock (only their products matter when an order gives its stock back). */
const reserving = (lines: readonly StoredOrderLine[]) => lines.filter((line) => line.reserved > 0);

/** Deletes an order; one that is not cancelled gives its stock back in the same transaction. */
export async function deleteOrder(deps: OrderDeps, tenant: TenantContext, orderId: string): Promise<void> {
  await untilCommitted(deps, async () => {
    const current = await storedOrder(deps, tenant, orderId);
    const products = await deps.orders.products(tenant.tenantId, productIdsOf(reserving(current.lines), []));
    const plan = planStock(current.lines, [], products);
    const result = await deps.orders.commit(
      tenant.tenantId,
      { kind: 'delete', orderId, expectedVersion: current.version },
      plan.changes,
    );
    return { result, value: undefined };
  });
}
