/**
 * The one place where DynamoDB keys are built. Every table in Tenantry uses a string partition key
 * `pk` and a string sort key `sk`; nothing else in the code base concatenates a key by hand.
 */

/** Attribute names of the partition and sort key of every Tenantry table. */
export const KEY_ATTRIBUTES = { partition: 'pk', sort: 'sk' } as const;

/** A primary key of a Tenantry table. */
export interface ItemKey {
  pk: string;
  sk: string;
}

/**
 * Partition key of everything a tenant owns in a pooled table (products, orders) and of the
 * tenant's own record in the tenant registry.
 *
 * @example
 * ```ts
 * tenantPk('t-123'); // 'TENANT#t-123'
 * ```
 */
export const tenantPk = (tenantId: string): string => `TENANT#${nonEmpty('tenantId', tenantId)}`;

/** Sort key of a product under its tenant's partition. */
export const productSk = (productId: string): string => `PRODUCT#${nonEmpty('productId', productId)}`;

/** Sort key of an order under its tenant's partition. */
export const orderSk = (orderId: string): string => `ORDER#${nonEmpty('orderId', orderId)}`;

/** Sort key of a tenant's profile record in the tenant registry. */
export const TENANT_PROFILE_SK = 'PROFILE';

/** Sort key of the record that reserves a tenant name in the tenant registry. */
export const TENANT_NAME_SK = 'TENANT_NAME';

/** Partition key of the record that maps a tenant name to its tenant id (unique names). */
export const tenantNamePk = (tenantName: string): string =>
  `TENANT_NAME#${nonEmpty('tenantName', tenantName)}`;

/** Partition key of a registration request in the registration table. */
export const registrationPk = (registrationId: string): string =>
  `REGISTRATION#${nonEmpty('registrationId', registrationId)}`;

/** Sort key of a registration request's record. */
export const REGISTRATION_SK = 'REGISTRATION';

/** Key of a product item in the pooled product table. */
export const productKey = (tenantId: string, productId: string): ItemKey => ({
  pk: tenantPk(tenantId),
  sk: productSk(productId),
});

/** Key of an order item in the pooled order table. */
export const orderKey = (tenantId: string, orderId: string): ItemKey => ({
  pk: tenantPk(tenantId),
  sk: orderSk(orderId),
});

/** Key of a tenant's profile record in the tenant registry. */
export const tenantProfileKey = (tenantId: string): ItemKey => ({
  pk: tenantPk(tenantId),
  sk: TENANT_PROFILE_SK,
});

/** Key of the record reserving a tenant name in the tenant registry. */
export const tenantNameKey = (tenantName: string): ItemKey => ({
  pk: tenantNamePk(tenantName),
  sk: TENANT_NAME_SK,
});

/** Key of a registration record in the registration table. */
export const registrationKey = (registrationId: string): ItemKey => ({
  pk: registrationPk(registrationId),
  sk: REGISTRATION_SK,
});

/** Removes the key attributes from a stored item, leaving the public fields. */
export const withoutKeys = <T extends Record<string, unknown>>(item: T): Omit<T, 'pk' | 'sk'> => {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest;
};

function nonEmpty(name: string, value: string): string {
  // An empty id would address a different item (e.g. the whole tenant partition prefix).
  if (value.length === 0) throw new TypeError(`${name} must not be empty`);
  return value;
}
