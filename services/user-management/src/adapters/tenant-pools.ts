import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { type DynamoDBDocumentClient, tenantProfileKey } from '@tenantry/data';

/** The user pool of a tenant, from its record in the tenant registry (pooled or its silo pool). */
export function buildTenantUserPools(
  client: Pick<DynamoDBDocumentClient, 'send'>,
  tenantTableName: string,
): (tenantId: string) => Promise<string | undefined> {
  return async (tenantId) => {
    const { Item } = await client.send(
      new GetCommand({
        TableName: tenantTableName,
        Key: tenantProfileKey(tenantId),
        ProjectionExpression: 'userPoolId',
      }),
    );
    return typeof Item?.userPoolId === 'string' ? Item.userPoolId : undefined;
  };
}
