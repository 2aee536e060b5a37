import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { assertTenantId, type ItemKey, tenantShardPk } from '@tenantry/data';
import type { TenantCredentialsProvider } from './credentials.js';
import { fanOutQuery } from './fan-out.js';
import type { PageTokens } from './page-token.js';
import { buildTenantScopedClient, type TenantScopedClient } from './scoped-client.js';

type Item = Record<string, unknown>;

/** One tenant's items in one table: every call is scoped to the tenant's partitions. */
export interface TenantTable {
  readonly tenantId: string;
  /** The item, or undefined when it does not exist (strongly consistent). */
  get(key: ItemKey): Promise<Item | undefined>;
  /** Writes a new item (`attribute_not_exists(pk)`); false when the key already exists. */
  create(item: Item & ItemKey): Promise<boolean>;
  /**
   * Sets and removes attributes of an existing item (`attribute_exists(pk)`, never an upsert);
   * the item as it now is, or undefined when it does not exist.
   */
  update(key: ItemKey, changes: { set: Item; remove?: readonly string[] }): Promise<Item | undefined>;
  /** Deletes an existing item (`attribute_exists(pk)`); false when it does not exist. */
  delete(key: ItemKey): Promise<boolean>;
  /**
   * Items whose sort key starts with `skPrefix`, over every shard, by sort key; `query` describes
   * the request (route, filters, limit) that `nextToken` is bound to, with the tenant. Throws a
   * TypeError when the table was built without the `pageTokens` option.
   */
  list(request: { skPrefix: string; limit: number; query: string; nextToken?: string }): Promise<{
    items: Item[];
    nextToken?: string;
  }>;
}

export interface TenantTableOptions {
  /** Shards of each tenant in the table (1 for a silo table). */
  shardCount: number;
  /**
   * Seals and opens the `nextToken`s of {@link TenantTable.list}: needed by `list()` only, which
   * throws a TypeError without it. Leave it out of functions that never list: their bundles then
   * do without the key's source (the SSM client of `buildSsmKeySource`).
   */
  pageTokens?: PageTokens;
}

const isConditionFailure = (error: unknown) =>
  (error as { name?: string }).name === 'ConditionalCheckFailedException';

const withoutKeys = (item: Item): Item => {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest;
};

/**
 * A tenant's view of a table with `shardCount` shards, on top of a {@link TenantScopedClient}.
 * Items come back without their key attributes. `list()` needs the `pageTokens` option.
 *
 * @example
 * ```ts
 * const table = buildTenantTable(scopedClient, config.productTableName, { shardCount: 4 });
 * const product = await table.get(productKey(tenantId, productId));
 * // A function that lists passes page tokens too:
 * const listed = buildTenantTable(scopedClient, config.productTableName, { shardCount: 4, pageTokens });
 * const page = await listed.list({ skPrefix: 'PRODUCT#', limit: 25, query: 'GET /products?limit=25' });
 * ```
 */
export function buildTenantTable(
  client: TenantScopedClient,
  tableName: string,
  options: TenantTableOptions,
): TenantTable {
  const { shardCount, pageTokens } = options;
  const tenantId = client.tenantId;
  return {
    tenantId,
    async get(key) {
      const { Item } = await client.send<{ Item?: Item }>(
        new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }),
      );
      return Item ? withoutKeys(Item) : undefined;
    },
    async create(item) {
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: item,
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
    async update(key, { set, remove = [] }) {
      const names: Record<string, string> = {};
      const values: Record<string, unknown> = {};
      const assignments = Object.entries(set).map(([name, value], i) => {
        names[`#s${i}`] = name;
        values[`:s${i}`] = value;
        return `#s${i} = :s${i}`;
      });
      const removals = remove.map((name, i) => {
        names[`#r${i}`] = name;
        return `#r${i}`;
      });
      const expression = [
        assignments.length ? `SET ${assignments.join(', ')}` : '',
        removals.length ? `REMOVE ${removals.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join(' ');
      if (!expression) throw new TypeError('update needs something to set or remove');
      if ('pk' in set || 'sk' in set || remove.includes('pk') || remove.includes('sk'))
        throw new TypeError('update must not change the key');
      try {
        const { Attributes } = await client.send<{ Attributes?: Item }>(
          new UpdateCommand({
            TableName: tableName,
            Key: key,
            UpdateExpression: expression,
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: names,
            ...(assignments.length ? { ExpressionAttributeValues: values } : {}),
            ReturnValues: 'ALL_NEW',
          }),
        );
        return Attributes ? withoutKeys(Attributes) : undefined;
      } catch (error) {
        if (isConditionFailure(error)) return undefined;
        throw error;
      }
    },
    async delete(key) {
      try {
        await client.send(
          new DeleteCommand({ TableName: tableName, Key: key, ConditionExpression: 'attribute_exists(pk)' }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
    async list({ skPrefix, limit, query, nextToken }) {
      if (!pageTokens) throw new TypeError('list needs the pageTokens option of the tenant table');
      // The shard layout is part of the binding: a token from another layout is not valid here.
      const binding = { tenantId, query: JSON.stringify([tableName, shardCount, skPrefix, query]) };
      const start = nextToken === undefined ? undefined : await pageTokens.open(binding, nextToken);
      const page = await fanOutQuery(shardCount, start, limit, async (shard, after, shardLimit) => {
        const pk = tenantShardPk(tenantId, shard, shardCount);
        const { Items = [], LastEvaluatedKey } = await client.send<{
          Items?: Item[];
          LastEvaluatedKey?: Item;
        }>(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            ExpressionAttributeValues: { ':pk': pk, ':prefix': skPrefix },
            ConsistentRead: true,
            Limit: shardLimit,
            ...(after === undefined ? {} : { ExclusiveStartKey: { pk, sk: after } }),
          }),
        );
        return LastEvaluatedKey ? { items: Items, lastSk: LastEvaluatedKey.sk as string } : { items: Items };
      });
      const items = page.items.map(withoutKeys);
      return page.cursors ? { items, nextToken: await pageTokens.seal(binding, page.cursors) } : { items };
    },
  };
}

export interface TenantScopedClientsOptions {
  /** Vends each tenant's data-session credentials ({@link buildTenantCredentials}). */
  credentials: TenantCredentialsProvider;
  /** Shards of the tables the clients reach (a list when they reach tables with different counts). */
  shardCount: number | readonly number[];
  /** The 404 message of a refused call (the same as for a missing object). */
  notFoundMessage: string;
  /** DynamoDB client settings other than credentials (endpoint and region come from the environment). */
  clientConfig?: Omit<DynamoDBClientConfig, 'credentials'>;
  /** Tenants whose clients are kept at once (oldest dropped first); defaults to 200. */
  maxTenants?: number;
}

/**
 * Each tenant's {@link TenantScopedClient}, reached with that tenant's vended credentials: for
 * services whose calls span tables (a transaction over orders and products). Clients are built
 * once per tenant and kept.
 *
 * @example
 * ```ts
 * const clients = buildTenantScopedClients({ credentials, shardCount: [1, 4], notFoundMessage: 'order not found' });
 * await clients(tenantId).send(new TransactWriteCommand({ TransactItems: [...] }));
 * ```
 */
export function buildTenantScopedClients(
  options: TenantScopedClientsOptions,
): (tenantId: string) => TenantScopedClient {
  const maxTenants = options.maxTenants ?? 200;
  const clients = new Map<string, TenantScopedClient>();
  return (tenantId) => {
    assertTenantId(tenantId);
    const known = clients.get(tenantId);
    if (known) return known;
    if (clients.size >= maxTenants) clients.delete(clients.keys().next().value as string);
    const documentClient = DynamoDBDocumentClient.from(
      new DynamoDBClient({ ...options.clientConfig, credentials: () => options.credentials(tenantId) }),
      { marshallOptions: { removeUndefinedValues: true } },
    );
    const scoped = buildTenantScopedClient(documentClient, {
      tenantId,
      shardCount: options.shardCount,
      notFoundMessage: options.notFoundMessage,
    });
    clients.set(tenantId, scoped);
    return scoped;
  };
}

export interface TenantTablesOptions extends TenantTableOptions {
  /** Vends each tenant's data-session credentials ({@link buildTenantCredentials}). */
  credentials: TenantCredentialsProvider;
  tableName: string;
  /** The 404 message of a refused call (the same as for a missing object). */
  notFoundMessage: string;
  /** DynamoDB client settings other than credentials (endpoint and region come from the environment). */
  clientConfig?: Omit<DynamoDBClientConfig, 'credentials'>;
  /** Tenants whose clients are kept at once (oldest dropped first); defaults to 200. */
  maxTenants?: number;
}

/**
 * Each tenant's {@link TenantTable}, reached with that tenant's vended credentials, so DynamoDB
 * itself (IAM `dynamodb:LeadingKeys`) refuses anything outside the tenant, and the scoped client
 * refuses it before it is sent. Clients are built once per tenant and kept.
 *
 * @example
 * ```ts
 * const tables = buildTenantTables({ credentials, tableName, shardCount: 4, notFoundMessage: 'product not found' });
 * const table = tables(context.tenant.tenantId);
 * // `list()` needs page tokens: pass `pageTokens` in the functions that list.
 * ```
 */
export function buildTenantTables(options: TenantTablesOptions): (tenantId: string) => TenantTable {
  const maxTenants = options.maxTenants ?? 200;
  const clients = buildTenantScopedClients({ ...options, maxTenants });
  const tables = new Map<string, TenantTable>();
  return (tenantId) => {
    assertTenantId(tenantId);
    const known = tables.get(tenantId);
    if (known) return known;
    if (tables.size >= maxTenants) tables.delete(tables.keys().next().value as string);
    const table = buildTenantTable(clients(tenantId), options.tableName, options);
    tables.set(tenantId, table);
    return table;
  };
}
