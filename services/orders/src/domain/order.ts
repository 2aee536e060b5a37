import { NotFoundError, string, type TenantContext } from '@tenantry/tenant-middleware';

/** One line of an order, with the product's name and price when the order was placed. */
export interface OrderLine {
  productId: string;
  name: string;
  price: number;
  quantity: number;
}

/** An order as clients see it (contract §5). Amounts are integer cents. */
export interface Order {
  orderId: string;
  lines: OrderLine[];
  total: number;
  status: string;
  createdAt: string;
  updatedAt: string;
}

export interface OrderStore {
  /** The order of this tenant, or undefined (also when another tenant has that id). */
  get(tenantId: string, orderId: string): Promise<Order | undefined>;
}

export interface OrderDeps {
  orders: OrderStore;
}

export const orderIdField = string({
  maxLength: 64,
  pattern: /^[A-Za-z0-9_-]+$/,
  description: 'an order id (letters, digits, - and _)',
});

/** The caller's tenant's order; another tenant's order is "not found" too. */
export async function getOrder(deps: OrderDeps, tenant: TenantContext, orderId: string): Promise<Order> {
  const order = await deps.orders.get(tenant.tenantId, orderId);
  if (!order) throw new NotFoundError('order not found');
  return order;
}
