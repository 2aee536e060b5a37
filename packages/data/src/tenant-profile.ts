import { tenantProfileKey } from './keys.js';
import type { TenantRecord } from './tenant.js';

/** A DynamoDB JSON-protocol caller, such as `createJsonClient(DYNAMODB)` of `@tenantry/lambda-aws`. */
export interface DynamoDbCaller {
  call<T>(operation: string, input: object): Promise<T>;
}

/** The string fields of a tenant's profile that can be read on their own. */
export type TenantProfileField = {
  [K in keyof TenantRecord]-?: NonNullable<TenantRecord[K]> extends string ? K : never;
}[keyof TenantRecord];

/**
 * Reads some string fields of a tenant's profile (`tenantProfileKey(tenantId)`) with one strongly
 * consistent `GetItem`, for functions that need a few fields and not a whole DynamoDB SDK client
 * (a cold start's cost follows the bundle's size). Undefined when there is no such tenant; a
 * field the record lacks is absent. Needs `dynamodb:GetItem` on the table.
 *
 * @example
 * ```ts
 * const tenant = await readTenantProfile(createJsonClient(DYNAMODB), table, tenantId, ['tier', 'apiKeyId']);
 * ```
 */
export async function readTenantProfile<F extends TenantProfileField>(
  dynamodb: DynamoDbCaller,
  tableName: string,
  tenantId: string,
  fields: readonly F[],
): Promise<Partial<Pick<TenantRecord, F>> | undefined> {
  const { pk, sk } = tenantProfileKey(tenantId);
  const names = Object.fromEntries(fields.map((field, index) => [`#f${index}`, field]));
  const { Item } = await dynamodb.call<{ Item?: Record<string, { S?: string }> }>('GetItem', {
    TableName: tableName,
    Key: { pk: { S: pk }, sk: { S: sk } },
    ProjectionExpression: Object.keys(names).join(', '),
    ExpressionAttributeNames: names,
    ConsistentRead: true,
  });
  if (!Item) return undefined;
  const profile: Partial<Record<F, string>> = {};
  for (const field of fields) {
    const value = Item[field]?.S;
    if (value !== undefined) profile[field] = value;
  }
  return profile as Partial<Pick<TenantRecord, F>>;
}
