import { NotFoundError, string, type TenantContext } from '@tenantry/tenant-middleware';

/** A product as clients see it (contract §5). Prices are integer cents; no `stock` = unlimited. */
export interface Product {
  productId: string;
  name: string;
  price: number;
  sku: string;
  category?: string;
  stock?: number;
  createdAt: string;
  updatedAt: string;
}

export interface ProductStore {
  /** The product of this tenant, or undefined (also when another tenant has that id). */
  get(tenantId: string, productId: string): Promise<Product | undefined>;
}

export interface ProductDeps {
  products: ProductStore;
}

export const productIdField = string({
  maxLength: 64,
  pattern: /^[A-Za-z0-9_-]+$/,
  description: 'a product id (letters, digits, - and _)',
});

/** The caller's tenant's product; another tenant's product is "not found" too. */
export async function getProduct(
  deps: ProductDeps,
  tenant: TenantContext,
  productId: string,
): Promise<Product> {
  const product = await deps.products.get(tenant.tenantId, productId);
  if (!product) throw new NotFoundError('product not found');
  return product;
}
