import {
  AdminGetUserCommand,
  type AdminGetUserCommandOutput,
  type CognitoIdentityProviderClient,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { OPERATIONS_TENANT_ID } from '@tenantry/tenant-middleware';
import type { User, UserDirectory } from '../domain/user.js';

const toUser = (output: AdminGetUserCommandOutput, defaultTenantId: string): User => {
  const attributes = new Map((output.UserAttributes ?? []).map(({ Name, Value }) => [Name, Value]));
  return {
    userId: attributes.get('sub') ?? (output.Username as string),
    email: attributes.get('email') ?? '',
    role: attributes.get('custom:userRole') ?? '',
    tenantId: attributes.get('custom:tenantId') ?? defaultTenantId,
    status: output.UserStatus ?? 'UNKNOWN',
    enabled: output.Enabled ?? false,
    createdAt: (output.UserCreateDate ?? new Date(0)).toISOString(),
  };
};

/** Users of one Cognito user pool. */
export function buildCognitoUserDirectory(
  client: Pick<CognitoIdentityProviderClient, 'send'>,
  userPoolId: string,
  options: { defaultTenantId: string } = { defaultTenantId: OPERATIONS_TENANT_ID },
): UserDirectory {
  return {
    async get(userId) {
      try {
        const output = await client.send(
          new AdminGetUserCommand({ UserPoolId: userPoolId, Username: userId }),
        );
        return toUser(output, options.defaultTenantId);
      } catch (error) {
        if (
          error instanceof UserNotFoundException ||
          (error as { name?: string }).name === 'UserNotFoundException'
        ) {
          return undefined;
        }
        throw error;
      }
    },
  };
}
