import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  type AttributeType,
  type CognitoIdentityProviderClient,
  ListUsersCommand,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { UserExistsError } from './errors.js';

/** Attribute names of Tenantry's user pools (contract §3). */
export const TENANT_ID_ATTRIBUTE = 'custom:tenantId';
export const USER_ROLE_ATTRIBUTE = 'custom:userRole';

/** A user as its pool knows it. */
export interface PoolUser {
  /** The Cognito `sub` (also the user name in pools that sign in with e-mail). */
  userId: string;
  email: string;
  role: string | undefined;
  /** `custom:tenantId`; absent for operations users. */
  tenantId: string | undefined;
  /** `FORCE_CHANGE_PASSWORD`, `CONFIRMED`, … */
  status: string;
  enabled: boolean;
  createdAt: string;
}

/** One page of a pool's users. */
export interface PoolUserPage {
  users: PoolUser[];
  paginationToken?: string;
}

/** The user operations Tenantry performs on its Cognito user pools. */
export interface UserPools {
  /**
   * Creates a user named by its e-mail address with a temporary password e-mailed as an invitation
   * (status `FORCE_CHANGE_PASSWORD`). Throws {@link UserExistsError} when the address is taken.
   */
  invite(userPoolId: string, user: { email: string; role: string; tenantId?: string }): Promise<PoolUser>;
  /** The user with this id (`sub`) or e-mail address; undefined when there is none. */
  get(userPoolId: string, userIdOrEmail: string): Promise<PoolUser | undefined>;
  /** A page of the pool's users (`ListUsers`), `limit` 1–60. */
  list(userPoolId: string, page: { limit: number; paginationToken?: string }): Promise<PoolUserPage>;
  setRole(userPoolId: string, userId: string, role: string): Promise<void>;
  setEnabled(userPoolId: string, userId: string, enabled: boolean): Promise<void>;
  /** Deletes the user; false when there was none. */
  remove(userPoolId: string, userId: string): Promise<boolean>;
}

const isNamed = (error: unknown, name: string) => (error as { name?: string } | null)?.name === name;

const toPoolUser = (
  username: string | undefined,
  attributeList: AttributeType[] | undefined,
  user: Pick<UserType, 'UserStatus' | 'Enabled' | 'UserCreateDate'>,
): PoolUser => {
  const attributes = new Map((attributeList ?? []).map(({ Name, Value }) => [Name, Value]));
  return {
    userId: attributes.get('sub') ?? username ?? '',
    email: attributes.get('email') ?? '',
    role: attributes.get(USER_ROLE_ATTRIBUTE),
    tenantId: attributes.get(TENANT_ID_ATTRIBUTE),
    status: user.UserStatus ?? 'UNKNOWN',
    enabled: user.Enabled ?? false,
    createdAt: (user.UserCreateDate ?? new Date(0)).toISOString(),
  };
};

/**
 * Tenantry's user operations on Cognito user pools, shared by the user-management routes and the
 * provisioning workflow's functions.
 *
 * @example
 * ```ts
 * const pools = buildUserPools(new CognitoIdentityProviderClient({}));
 * const user = await pools.invite(poolId, { email: 'ann@acme.test', role: 'TenantUser', tenantId });
 * ```
 */
export function buildUserPools(client: Pick<CognitoIdentityProviderClient, 'send'>): UserPools {
  return {
    async invite(userPoolId, { email, role, tenantId }) {
      try {
        const { User } = await client.send(
          new AdminCreateUserCommand({
            UserPoolId: userPoolId,
            Username: email,
            DesiredDeliveryMediums: ['EMAIL'],
            UserAttributes: [
              { Name: 'email', Value: email },
              // The invitation proves the address: the user can only sign in with what was sent to it.
              { Name: 'email_verified', Value: 'true' },
              { Name: USER_ROLE_ATTRIBUTE, Value: role },
              ...(tenantId === undefined ? [] : [{ Name: TENANT_ID_ATTRIBUTE, Value: tenantId }]),
            ],
          }),
        );
        return toPoolUser(User?.Username, User?.Attributes, User ?? {});
      } catch (error) {
        if (isNamed(error, 'UsernameExistsException') || isNamed(error, 'AliasExistsException'))
          throw new UserExistsError({ cause: error });
        throw error;
      }
    },
    async get(userPoolId, userIdOrEmail) {
      try {
        const output = await client.send(
          new AdminGetUserCommand({ UserPoolId: userPoolId, Username: userIdOrEmail }),
        );
        return toPoolUser(output.Username, output.UserAttributes, output);
      } catch (error) {
        if (isNamed(error, 'UserNotFoundException')) return undefined;
        throw error;
      }
    },
    async list(userPoolId, { limit, paginationToken }) {
      const output = await client.send(
        new ListUsersCommand({
          UserPoolId: userPoolId,
          Limit: limit,
          ...(paginationToken ? { PaginationToken: paginationToken } : {}),
        }),
      );
      const users = (output.Users ?? []).map((user) => toPoolUser(user.Username, user.Attributes, user));
      return output.PaginationToken ? { users, paginationToken: output.PaginationToken } : { users };
    },
    async setRole(userPoolId, userId, role) {
      await client.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: userPoolId,
          Username: userId,
          UserAttributes: [{ Name: USER_ROLE_ATTRIBUTE, Value: role }],
        }),
      );
    },
    async setEnabled(userPoolId, userId, enabled) {
      const input = { UserPoolId: userPoolId, Username: userId };
      await client.send(enabled ? new AdminEnableUserCommand(input) : new AdminDisableUserCommand(input));
    },
    async remove(userPoolId, userId) {
      try {
        await client.send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: userId }));
        return true;
      } catch (error) {
        if (isNamed(error, 'UserNotFoundException')) return false;
        throw error;
      }
    },
  };
}
