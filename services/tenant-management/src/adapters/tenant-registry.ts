import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  type DynamoDBDocumentClient,
  type TenantNameRecord,
  type TenantRecord,
  tenantNameKey,
  tenantProfileKey,
} from '@tenantry/data';
import type { TenantRegistry } from '../domain/tenant-config.js';

/** The tenant registry (platform's TenantTable), read through the name reservation record. */
export function buildTenantRegistry(
  client: Pick<DynamoDBDocumentClient, 'send'>,
  tableName: string,
): TenantRegistry {
  return {
    async findByName(tenantName) {
      const name = await client.send(
        new GetCommand({ TableName: tableName, Key: tenantNameKey(tenantName) }),
      );
      const tenantId = (name.Item as TenantNameRecord | undefined)?.tenantId;
      if (!tenantId) return undefined;
      const profile = await client.send(
        new GetCommand({ TableName: tableName, Key: tenantProfileKey(tenantId), ConsistentRead: true }),
      );
      return profile.Item as TenantRecord | undefined;
    },
  };
}
