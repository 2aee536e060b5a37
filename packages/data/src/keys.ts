/**
 * The one place where DynamoDB keys are built. Every table in Tenantry uses a string partition key
 * `pk` and a string sort key `sk`; nothing else in the code base concatenates a key by hand.
 */

import tables from './tables.json' with { type: 'json' };

/** Attribute names of the partition and sort key of every Tenantry table. */
export const KEY_ATTRIBUTES = { partition: 'pk', sort: 'sk' } as const;

/** A primary key of a Tenantry table. */
export interface ItemKey {
  pk: string;
  sk: string;
}

/**
 * Shards of each tenant-scoped table (`tables.json`, also read by the services' serverless.yml).
 * A pooled table spreads each tenant over `n` partitions so one busy tenant does not make a hot
 * partition; a silo table (one tenant) has `n = 1`.
 */
export const TABLE_SHARDS: { readonly products: number; readonly orders: number } = {
  products: tables.products.shards,
  orders: tables.orders.shards,
};

/**
 * What a tenant id looks like: server-generated, lowercase letters, digits and hyphens, 1–63
 * characters. It never contains `#` (the key separator) nor IAM wildcards (`*`, `?`), so one
 * tenant's key prefix can never be a prefix of another's.
 */
export const TENANT_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Whether `value` is a well-formed tenant id (see {@link TENANT_ID_PATTERN}). */
export const isTenantId = (value: unknown): value is string =>
  typeof value === 'string' && TENANT_ID_PATTERN.test(value);

/**
 * Returns `tenantId` when it is well formed and throws a `TypeError` otherwise: a tenant id is
 * checked before it enters a key or a policy.
 */
export function assertTenantId(tenantId: string): string {
  if (!isTenantId(tenantId)) throw new TypeError('tenantId is not a valid tenant id');
  return tenantId;
}

/**
 * Partition key of the tenant's own record in the tenant registry, and of everything a tenant
 * owns in a table without sharding (`shardCount` 1, e.g. a platinum tenant's silo table).
 *
 * @example
 * ```ts
 * tenantPk('t-123'); // 'TENANT#t-123'
 * ```
 */
export const tenantPk = (tenantId: string): string => `TENANT#${assertTenantId(tenantId)}`;

/**
 * Partition key of one shard of a tenant in a table with `shardCount` shards:
 * `TENANT#<tenantId>#<shard>`, or `TENANT#<tenantId>` when the table is not sharded.
 *
 * @example
 * ```ts
 * tenantShardPk('t-123', 2, 4); // 'TENANT#t-123#2'
 * tenantShardPk('t-123', 0, 1); // 'TENANT#t-123'
 * ```
 */
export function tenantShardPk(tenantId: string, shard: number, shardCount: number): string {
  assertShardCount(shardCount);
  if (!Number.isInteger(shard) || shard < 0 || shard >= shardCount) {
    throw new TypeError(`shard must be an integer in 0..${shardCount - 1}`);
  }
  return shardCount === 1 ? tenantPk(tenantId) : `${tenantPk(tenantId)}#${shard}`;
}

/** Every partition key of a tenant in a table with `shardCount` shards, shard 0 first. */
export const tenantPartitions = (tenantId: string, shardCount: number): string[] => {
  assertShardCount(shardCount);
  return Array.from({ length: shardCount }, (_, shard) => tenantShardPk(tenantId, shard, shardCount));
};

/**
 * The `dynamodb:LeadingKeys` patterns (IAM `StringLike`) that cover exactly one tenant's
 * partitions, sharded or not: `TENANT#<id>` and `TENANT#<id>#*`.
 */
export const tenantLeadingKeyPatterns = (tenantId: string): [string, string] => {
  const pk = tenantPk(tenantId);
  return [pk, `${pk}#*`];
};

/**
 * The shard of an item: a stable hash (32-bit FNV-1a) of its id modulo `shardCount`, so a get,
 * put or delete by id addresses one partition.
 */
export function shardOf(id: string, shardCount: number): number {
  assertShardCount(shardCount);
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i += 1) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % shardCount;
}

/** Sort key prefix of every product (lists query `begins_with(sk, PRODUCT_SK_PREFIX)`). */
export const PRODUCT_SK_PREFIX = 'PRODUCT#';

/** Sort key prefix of every order. */
export const ORDER_SK_PREFIX = 'ORDER#';

/** Sort key of a product under its tenant's partition. */
export const productSk = (productId: string): string =>
  `${PRODUCT_SK_PREFIX}${nonEmpty('productId', productId)}`;

/** Sort key of an order under its tenant's partition. */
export const orderSk = (orderId: string): string => `${ORDER_SK_PREFIX}${nonEmpty('orderId', orderId)}`;

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

/** Key of a tenant-owned item with id `id` in a table with `shardCount` shards. */
export const shardedKey = (tenantId: string, id: string, sk: string, shardCount: number): ItemKey => ({
  pk: tenantShardPk(tenantId, shardOf(id, shardCount), shardCount),
  sk,
});

/**
 * Key of a product: in the pooled product table by default ({@link TABLE_SHARDS}`.products`
 * shards); pass `1` for a silo table.
 */
export const productKey = (
  tenantId: string,
  productId: string,
  shardCount: number = TABLE_SHARDS.products,
): ItemKey => shardedKey(tenantId, productId, productSk(productId), shardCount);

/** Key of an order item in the pooled order table. */
export const orderKey = (
  tenantId: string,
  orderId: string,
  shardCount: number = TABLE_SHARDS.orders,
): ItemKey => shardedKey(tenantId, orderId, orderSk(orderId), shardCount);

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

/**
 * Key of the record that remembers a request made with an `Idempotency-Key` header (registration
 * table): the hash of the first request's body and its answer.
 *
 * @example
 * ```ts
 * idempotencyKey('4f1c…'); // { pk: 'IDEMPOTENCY#4f1c…', sk: 'IDEMPOTENCY' }
 * ```
 */
export const idempotencyKey = (key: string): ItemKey => ({
  pk: `IDEMPOTENCY#${nonEmpty('idempotencyKey', key)}`,
  sk: 'IDEMPOTENCY',
});

/** Sort key prefix of a user's membership record under its tenant's partition (user table). */
export const USER_SK_PREFIX = 'USER#';

/** Key of a user's membership record in the user table: `TENANT#<tenantId>`, `USER#<userId>`. */
export const userKey = (tenantId: string, userId: string): ItemKey => ({
  pk: tenantPk(tenantId),
  sk: `${USER_SK_PREFIX}${nonEmpty('userId', userId)}`,
});

/** Key of a tenant's counter of enabled TenantAdmins in the user table (the last-admin rule). */
export const tenantAdminsKey = (tenantId: string): ItemKey => ({ pk: tenantPk(tenantId), sk: 'ADMINS' });

/**
 * The tenant registry's `byType` index lists every tenant profile in creation order: partition
 * `recordType = TENANT`, sort `recordSort = <createdAt>#<tenantId>`.
 */
export const TENANT_LIST_INDEX = {
  name: 'byType',
  partition: 'recordType',
  sort: 'recordSort',
  tenantType: 'TENANT',
} as const;

/** The index attributes a tenant profile carries so that it is listed by `byType`. */
export const tenantListAttributes = (tenantId: string, createdAt: string): Record<string, string> => ({
  [TENANT_LIST_INDEX.partition]: TENANT_LIST_INDEX.tenantType,
  [TENANT_LIST_INDEX.sort]: `${nonEmpty('createdAt', createdAt)}#${assertTenantId(tenantId)}`,
});

/** Removes the key attributes from a stored item, leaving the public fields. */
export const withoutKeys = <T extends Record<string, unknown>>(item: T): Omit<T, 'pk' | 'sk'> => {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest;
};

/** The stored item of a tenant profile: its key, its `byType` index attributes and the record. */
export const tenantProfileItem = <T extends { tenantId: string; createdAt: string }>(
  record: T,
): T & ItemKey & Record<string, unknown> => ({
  ...tenantProfileKey(record.tenantId),
  ...tenantListAttributes(record.tenantId, record.createdAt),
  ...record,
});

const isShardCount = (count: number) => Number.isInteger(count) && count >= 1 && count <= 64;

function assertShardCount(shardCount: number): void {
  if (!isShardCount(shardCount)) throw new TypeError('shardCount must be an integer in 1..64');
}

/**
 * A shard count from configuration (an environment variable), by the rule of the keys: an
 * integer in 1..64; the error names the variable.
 *
 * @example
 * ```ts
 * shardCountOf('PRODUCT_TABLE_SHARDS', process.env.PRODUCT_TABLE_SHARDS ?? ''); // 4
 * ```
 */
export function shardCountOf(name: string, value: string): number {
  const count = Number(value);
  if (!isShardCount(count)) throw new Error(`${name} must be an integer in 1..64`);
  return count;
}

function nonEmpty(name: string, value: string): string {
  // An empty id would address a different item (e.g. the whole tenant partition prefix).
  if (value.length === 0) throw new TypeError(`${name} must not be empty`);
  return value;
}
