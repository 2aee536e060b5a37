import { readTenantProfile } from '@tenantry/data';
import type { JsonClient } from '@tenantry/lambda-aws';
import type { TenantDirectory, UserDirectory } from './authorizer.js';

/**
 * Reads tenants from the tenant registry (`tenantProfileKey(tenantId)`): status, tier, API key,
 * with a strongly consistent `GetItem`. Needs `dynamodb:GetItem` on the table.
 *
 * @example
 * ```ts
 * const tenants = buildTenantDirectory(createJsonClient(DYNAMODB), config.tenantTableName);
 * ```
 */
export function buildTenantDirectory(dynamodb: JsonClient, tableName: string): TenantDirectory {
  return {
    async get(tenantId) {
      const profile = await readTenantProfile(dynamodb, tableName, tenantId, ['status', 'tier', 'apiKey']);
      if (!profile) return undefined;
      const { apiKey } = profile;
      return {
        status: String(profile.status),
        tier: String(profile.tier),
        ...(apiKey === undefined ? {} : { apiKey }),
      };
    },
  };
}

interface AdminGetUserOutput {
  Enabled?: boolean;
  UserAttributes?: { Name: string; Value?: string }[];
}

/**
 * Reads a user's current state from its pool (`AdminGetUser` by `sub`): enabled, role, tenant.
 * Needs `cognito-idp:AdminGetUser` on the pools.
 *
 * @example
 * ```ts
 * const users = buildUserDirectory(createJsonClient(COGNITO_IDENTITY_PROVIDER));
 * ```
 */
export function buildUserDirectory(cognito: JsonClient): UserDirectory {
  return {
    async get(userPoolId, sub) {
      try {
        const user = await cognito.call<AdminGetUserOutput>('AdminGetUser', {
          UserPoolId: userPoolId,
          Username: sub,
        });
        const attribute = (name: string) => user.UserAttributes?.find((a) => a.Name === name)?.Value;
        return {
          enabled: user.Enabled === true,
          role: attribute('custom:userRole'),
          tenantId: attribute('custom:tenantId'),
        };
      } catch (error) {
        if ((error as Error).name === 'UserNotFoundException') return undefined;
        throw error;
      }
    },
  };
}
