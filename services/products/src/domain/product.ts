import {
  ConflictError,
  integer,
  integerText,
  NotFoundError,
  optional,
  strictObject,
  string,
  type TenantContext,
} from '@tenantry/tenant-middleware';

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

/** What a client sets on create and replaces on update. */
export type ProductFields = Pick<Product, 'name' | 'price' | 'sku' | 'category' | 'stock'>;

/** A page of a listing. */
export interface ProductPage {
  items: Product[];
  nextToken?: string;
}

/** The listing a client asked for; `nextToken` is bound to the tenant and to this query. */
export interface ProductListQuery {
  limit: number;
  nextToken?: string;
}

/** Products of one tenant at a time; another tenant's product is never found. */
export interface ProductStore {
  get(tenantId: string, productId: string): Promise<Product | undefined>;
  /** False when the id is taken. */
  create(tenantId: string, product: Product): Promise<boolean>;
  /** The product after the change; undefined when it does not exist (never an upsert). */
  replace(
    tenantId: string,
    productId: string,
    fields: ProductFields,
    updatedAt: string,
  ): Promise<Product | undefined>;
  /** False when it does not exist. */
  remove(tenantId: string, productId: string): Promise<boolean>;
  list(tenantId: string, query: ProductListQuery): Promise<ProductPage>;
}

export interface ProductDeps {
  products: ProductStore;
  now: () => Date;
  /** A new product id: letters and digits only (never a key separator). */
  newId: () => string;
}

export const DEFAULT_LIMIT = 25;
/** The 404 message, the same whether the product is missing or another tenant's. */
export const PRODUCT_NOT_FOUND = 'product not found';

export const productIdField = string({
  maxLength: 64,
  pattern: /^[A-Za-z0-9_-]+$/,
  description: 'a product id (letters, digits, - and _)',
});

const MAX_AMOUNT = 1_000_000_000;

/** The body of `POST /products` and `PUT /products/{productId}`: unknown fields are a 400. */
export const productBody = strictObject({
  name: string({ maxLength: 200 }),
  price: integer({ min: 0, max: MAX_AMOUNT }),
  sku: string({ maxLength: 64, pattern: /^[A-Za-z0-9._-]+$/, description: 'letters, digits, ., _ and -' }),
  category: optional(string({ maxLength: 100 })),
  stock: optional(integer({ min: 0, max: MAX_AMOUNT })),
});

export const limitField = optional(integerText({ min: 1, max: 100 }));
export const nextTokenField = optional(string({ maxLength: 4096 }));

/** The caller's tenant's products, a page at a time. */
export const listProducts = (deps: ProductDeps, tenant: TenantContext, query: ProductListQuery) =>
  deps.products.list(tenant.tenantId, query);

/** Creates a product with a server-generated id. */
export async function createProduct(
  deps: ProductDeps,
  tenant: TenantContext,
  fields: ProductFields,
): Promise<Product> {
  const now = deps.now().toISOString();
  const product: Product = { productId: deps.newId(), ...fields, createdAt: now, updatedAt: now };
  if (!(await deps.products.create(tenant.tenantId, product)))
    throw new ConflictError('a product with this id already exists');
  return product;
}

/** The caller's tenant's product; another tenant's product is "not found" too. */
export async function getProduct(
  deps: ProductDeps,
  tenant: TenantContext,
  productId: string,
): Promise<Product> {
  const product = await deps.products.get(tenant.tenantId, productId);
  if (!product) throw new NotFoundError(PRODUCT_NOT_FOUND);
  return product;
}

/** Replaces the client-set fields of an existing product (absent `category`/`stock` are removed). */
export async function replaceProduct(
  deps: ProductDeps,
  tenant: TenantContext,
  productId: string,
  fields: ProductFields,
): Promise<Product> {
  const product = await deps.products.replace(tenant.tenantId, productId, fields, deps.now().toISOString());
  if (!product) throw new NotFoundError(PRODUCT_NOT_FOUND);
  return product;
}

/** Deletes an existing product. */
export async function deleteProduct(
  deps: ProductDeps,
  tenant: TenantContext,
  productId: string,
): Promise<void> {
  if (!(await deps.products.remove(tenant.tenantId, productId))) throw new NotFoundError(PRODUCT_NOT_FOUND);
}
