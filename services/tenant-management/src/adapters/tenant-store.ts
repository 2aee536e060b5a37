import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  type DynamoDBDocumentClient,
  TENANT_LIST_INDEX,
  type TenantRecord,
  tenantProfileItem,
  tenantProfileKey,
} from '@tenantry/data';
import { ConflictError } from '@tenantry/tenant-middleware';
import type { TenantStore } from '../domain/tenants.js';

const RECORD_FIELDS = [
  'tenantId',
  'tenantName',
  'tier',
  'status',
  'email',
  'companyName',
  'createdAt',
  'updatedAt',
  'userPoolId',
  'appClientId',
  'apiUrl',
  'region',
  'apiKeyId',
  'apiKey',
] as const satisfies readonly (keyof TenantRecord)[];

const toRecord = (item: Record<string, unknown>): TenantRecord =>
  Object.fromEntries(
    RECORD_FIELDS.filter((field) => item[field] !== undefined).map((field) => [field, item[field]]),
  ) as unknown as TenantRecord;

const isConditionFailure = (error: unknown) =>
  error instanceof ConditionalCheckFailedException ||
  (error as Error | null)?.name === 'ConditionalCheckFailedException';

/** The tenant registry: profiles under `tenantProfileKey`, listed through the `byType` index. */
export function buildTenantStore(
  client: Pick<DynamoDBDocumentClient, 'send'>,
  tableName: string,
): TenantStore {
  const get = async (tenantId: string) => {
    const { Item } = await client.send(
      new GetCommand({ TableName: tableName, Key: tenantProfileKey(tenantId), ConsistentRead: true }),
    );
    return Item ? toRecord(Item) : undefined;
  };
  return {
    get,
    async create(record) {
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: tenantProfileItem(record),
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
    async update(tenantId, { set = {}, remove = [], onlyWhen }) {
      const names: Record<string, string> = {};
      const values: Record<string, unknown> = {};
      const assignments = Object.entries(set)
        .filter(([, value]) => value !== undefined)
        .map(([field, value], index) => {
          names[`#s${index}`] = field;
          values[`:s${index}`] = value;
          return `#s${index} = :s${index}`;
        });
      const removals = remove.map((field, index) => {
        names[`#r${index}`] = field;
        return `#r${index}`;
      });
      let condition = 'attribute_exists(pk)';
      if (onlyWhen) {
        names['#status'] = 'status';
        const options = onlyWhen.map((status, index) => {
          values[`:w${index}`] = status;
          return `:w${index}`;
        });
        condition += ` AND #status IN (${options.join(', ')})`;
      }
      const expression = [
        assignments.length > 0 ? `SET ${assignments.join(', ')}` : '',
        removals.length > 0 ? `REMOVE ${removals.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join(' ');
      try {
        const { Attributes } = await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: tenantProfileKey(tenantId),
            UpdateExpression: expression,
            ConditionExpression: condition,
            ExpressionAttributeNames: names,
            ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
            ReturnValues: 'ALL_NEW',
          }),
        );
        return Attributes ? toRecord(Attributes) : undefined;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        const current = await get(tenantId);
        if (!current) return undefined;
        throw new ConflictError(`tenant is ${current.status}`, { code: 'TenantStatus' });
      }
    },
    async remove(tenantId) {
      await client.send(new DeleteCommand({ TableName: tableName, Key: tenantProfileKey(tenantId) }));
    },
    async list({ limit, after }) {
      const { partition, sort, tenantType, name } = TENANT_LIST_INDEX;
      const cursorTenant = after?.slice(after.lastIndexOf('#') + 1);
      const { Items = [] } = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: name,
          KeyConditionExpression: '#type = :type',
          ExpressionAttributeNames: { '#type': partition },
          ExpressionAttributeValues: { ':type': tenantType },
          // One more than asked: whether there is a next page, without an empty last page.
          Limit: limit + 1,
          ...(after && cursorTenant
            ? {
                ExclusiveStartKey: {
                  ...tenantProfileKey(cursorTenant),
                  [partition]: tenantType,
                  [sort]: after,
                },
              }
            : {}),
        }),
      );
      const page = Items.slice(0, limit);
      const last = page.at(-1);
      const records = page.map(toRecord);
      return Items.length > limit && last ? { records, after: last[sort] as string } : { records };
    },
  };
}
