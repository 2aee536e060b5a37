import {
  AdminGetUserCommand,
  type CognitoIdentityProviderClient,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { type TenantRecord, tenantProfileKey } from '@tenantry/data';
import type { TenantDirectory, UserDirectory } from './authorizer.js';

/**
 * Reads tenants from the tenant registry (`tenantProfileKey(tenantId)`): status, tier, API key.
 * Needs `dynamodb:GetItem` on the table.
 *
 * @example
 * ```ts
 * const tenants = buildTenantDirectory(createDocumentClient(), config.tenantTableName);
 * ```
 */
export function buildTenantDirectory(documents: DynamoDBDocumentClient, tableName: string): TenantDirectory {
  return {
    async get(tenantId) {
      const { Item } = await documents.send(
        new GetCommand({
          TableName: tableName,
          Key: tenantProfileKey(tenantId),
          ProjectionExpression: '#status, tier, apiKey',
          ExpressionAttributeNames: { '#status': 'status' },
          ConsistentRead: true,
        }),
      );
      if (!Item) return undefined;
      const record = Item as Pick<TenantRecord, 'status' | 'tier' | 'apiKey'>;
      return {
        status: String(record.status),
        tier: String(record.tier),
        ...(typeof record.apiKey === 'string' ? { apiKey: record.apiKey } : {}),
      };
    },
  };
}

/**
 * Reads a user's current state from its pool (`AdminGetUser` by `sub`): enabled, role, tenant.
 * Needs `cognito-idp:AdminGetUser` on the pools.
 */
export function buildUserDirectory(cognito: CognitoIdentityProviderClient): UserDirectory {
  return {
    async get(userPoolId, sub) {
      try {
        const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: sub }));
        const attribute = (name: string) => user.UserAttributes?.find((a) => a.Name === name)?.Value;
        return {
          enabled: user.Enabled === true,
          role: attribute('custom:userRole'),
          tenantId: attribute('custom:tenantId'),
        };
      } catch (error) {
        if (error instanceof UserNotFoundException) return undefined;
        throw error;
      }
    },
  };
}
