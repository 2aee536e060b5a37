import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactGetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { tenantPartitions } from '@tenantry/data';
import { TenantIsolationError, type TenantIsolationReason } from '@tenantry/tenant-middleware';

type Item = Record<string, unknown>;
type Command = { input: unknown };

/**
 * The commands a scoped client sends, by name: the names decide the checks below and appear in
 * logs and errors (bundles are minified: class names are not kept). Any other command is refused.
 */
const COMMAND_NAMES = new Map<unknown, string>([
  [GetCommand, 'GetCommand'],
  [PutCommand, 'PutCommand'],
  [UpdateCommand, 'UpdateCommand'],
  [DeleteCommand, 'DeleteCommand'],
  [QueryCommand, 'QueryCommand'],
  [BatchGetCommand, 'BatchGetCommand'],
  [BatchWriteCommand, 'BatchWriteCommand'],
  [TransactGetCommand, 'TransactGetCommand'],
  [TransactWriteCommand, 'TransactWriteCommand'],
]);

/** A document client that only ever touches one tenant's partitions. */
export interface TenantScopedClient {
  readonly tenantId: string;
  send<T>(command: Command): Promise<T>;
}

export interface TenantScopedClientOptions {
  tenantId: string;
  /**
   * Shards of the tables this client reaches (1 for a table without sharding); a list when it
   * reaches tables with different shard counts (e.g. a transaction over orders and products).
   */
  shardCount: number | readonly number[];
  /** The 404 message of a refused call, the same as for a missing object (e.g. `product not found`). */
  notFoundMessage: string;
}

const QUERY_ON_PK = /^\s*#?pk\s*=\s*:pk(\s|$)/;

/**
 * Defence in depth on top of IAM: every key, item and query partition of a command must be one of
 * the tenant's partitions (`TENANT#<id>` or `TENANT#<id>#<shard>`), and so must every item in the
 * answer; Scan, PartiQL and commands it does not know are refused. A refusal, like DynamoDB's own
 * `AccessDeniedException`, is a {@link TenantIsolationError}: a 404 for the caller and a security
 * event in the logs, without the refused key.
 *
 * @example
 * ```ts
 * const scoped = buildTenantScopedClient(documentClient, { tenantId, shardCount: 4, notFoundMessage: 'product not found' });
 * await scoped.send(new GetCommand({ TableName, Key: productKey(tenantId, productId) }));
 * ```
 */
export function buildTenantScopedClient(
  client: Pick<DynamoDBDocumentClient, 'send'>,
  options: TenantScopedClientOptions,
): TenantScopedClient {
  const shardCounts = typeof options.shardCount === 'number' ? [options.shardCount] : options.shardCount;
  if (shardCounts.length === 0) throw new TypeError('shardCount must name at least one shard count');
  const partitions = new Set(shardCounts.flatMap((count) => tenantPartitions(options.tenantId, count)));
  const refuse = (reason: TenantIsolationReason, operation: string, cause?: unknown) =>
    new TenantIsolationError(options.notFoundMessage, {
      reason,
      operation,
      ...(cause ? { cause } : {}),
    });
  const owned = (pk: unknown) => typeof pk === 'string' && partitions.has(pk);

  const checkRequest = (command: Command, operation: string): void => {
    const input = command.input as Record<string, unknown>;
    const keys: unknown[] = [];
    const add = (record: unknown) => keys.push((record as Item | undefined)?.pk);
    switch (operation) {
      case 'GetCommand':
      case 'DeleteCommand':
      case 'UpdateCommand':
        add(input.Key);
        break;
      case 'PutCommand':
        add(input.Item);
        break;
      case 'QueryCommand':
        if (input.IndexName !== undefined || !QUERY_ON_PK.test(String(input.KeyConditionExpression ?? '')))
          throw refuse('forbidden-operation', operation);
        keys.push((input.ExpressionAttributeValues as Item | undefined)?.[':pk']);
        if (input.ExclusiveStartKey !== undefined) add(input.ExclusiveStartKey);
        break;
      case 'BatchGetCommand':
        for (const request of Object.values((input.RequestItems ?? {}) as Record<string, { Keys?: Item[] }>))
          for (const key of request.Keys ?? []) add(key);
        break;
      case 'BatchWriteCommand':
        for (const requests of Object.values((input.RequestItems ?? {}) as Record<string, Item[]>))
          for (const request of requests) {
            const { PutRequest, DeleteRequest } = request as {
              PutRequest?: { Item: Item };
              DeleteRequest?: { Key: Item };
            };
            if (PutRequest) add(PutRequest.Item);
            if (DeleteRequest) add(DeleteRequest.Key);
            if (!PutRequest && !DeleteRequest) keys.push(undefined);
          }
        break;
      case 'TransactWriteCommand':
      case 'TransactGetCommand':
        for (const entry of (input.TransactItems ?? []) as Record<string, Item>[]) {
          const [kind, request] = Object.entries(entry)[0] ?? [];
          add(kind === 'Put' ? request?.Item : request?.Key);
        }
        break;
      default:
        throw refuse('forbidden-operation', operation);
    }
    if (keys.length === 0 || !keys.every(owned)) throw refuse('foreign-key', operation);
  };

  const checkResponse = (output: Record<string, unknown>, operation: string): void => {
    const items: unknown[] = [];
    if (output.Item) items.push(output.Item);
    if (output.Attributes) items.push(output.Attributes);
    if (Array.isArray(output.Items)) items.push(...output.Items);
    if (Array.isArray(output.Responses)) {
      for (const response of output.Responses as { Item?: Item }[])
        if (response.Item) items.push(response.Item);
    } else if (output.Responses && typeof output.Responses === 'object') {
      for (const list of Object.values(output.Responses as Record<string, Item[]>)) items.push(...list);
    }
    for (const item of items) {
      const pk = (item as Item).pk;
      if (pk !== undefined && !owned(pk)) throw refuse('foreign-item', operation);
    }
  };

  // A cancelled transaction may carry the items whose conditions failed
  // (ReturnValuesOnConditionCheckFailure), in DynamoDB's attribute-value form.
  const checkCancellationReasons = (error: unknown, operation: string): void => {
    const reasons = (error as { CancellationReasons?: { Item?: Item }[] }).CancellationReasons;
    if (!Array.isArray(reasons)) return;
    for (const reason of reasons) {
      const pk = reason?.Item?.pk as { S?: unknown } | string | undefined;
      if (pk === undefined) continue;
      if (!owned(typeof pk === 'object' && pk !== null ? pk.S : pk)) throw refuse('foreign-item', operation);
    }
  };

  return {
    tenantId: options.tenantId,
    async send<T>(command: Command): Promise<T> {
      const operation = COMMAND_NAMES.get(command.constructor) ?? 'unsupported command';
      checkRequest(command, operation);
      let output: Record<string, unknown>;
      try {
        output = (await client.send(command as never)) as Record<string, unknown>;
      } catch (error) {
        if ((error as { name?: string }).name === 'AccessDeniedException')
          throw refuse('access-denied', operation, error);
        checkCancellationReasons(error, operation);
        throw error;
      }
      checkResponse(output, operation);
      return output as T;
    },
  };
}
