import { readTenantProfile } from '@tenantry/data';
import type { JsonClient } from '@tenantry/lambda-aws';
import type { TenantKeyReader } from '../domain/usage.js';

/**
 * A tenant's tier and API key id from the tenant registry, with one `GetItem` through the small
 * signed JSON client of `@tenantry/lambda-aws`: getTenantUsage already carries the API Gateway
 * and CloudWatch Logs clients, and the DynamoDB SDK client would add ~50 KB to its bundle for
 * this one read. Needs `dynamodb:GetItem` on the table.
 *
 * @example
 * ```ts
 * const tenants = buildTenantKeyReader(createJsonClient(DYNAMODB), config.tenantTableName);
 * ```
 */
export function buildTenantKeyReader(dynamodb: JsonClient, tableName: string): TenantKeyReader {
  return {
    async get(tenantId) {
      const profile = await readTenantProfile(dynamodb, tableName, tenantId, ['tier', 'apiKeyId']);
      return profile && { tier: String(profile.tier), apiKeyId: profile.apiKeyId };
    },
  };
}
