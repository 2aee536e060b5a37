import { ForbiddenError, NotFoundError, string, type TenantContext } from '@tenantry/tenant-middleware';

/** A user as clients see it (contract §4). */
export interface User {
  userId: string;
  email: string;
  role: string;
  tenantId: string;
  status: string;
  enabled: boolean;
  createdAt: string;
}

export interface UserDirectory {
  /** The user with this id (the Cognito `sub`), or undefined. */
  get(userId: string): Promise<User | undefined>;
}

export interface UserDeps {
  /** The operations pool, home of the SystemAdmins. */
  operationsUsers: UserDirectory;
}

/**
 * User ids are Cognito `sub`s. The pattern leaves out `@` so an e-mail address, which Cognito would
 * also accept as a user name, cannot be used to look a user up.
 */
export const userIdField = string({
  maxLength: 128,
  pattern: /^[A-Za-z0-9-]+$/,
  description: 'a user id (letters, digits and -)',
});

/**
 * A SystemAdmin reads an operations-pool user. Tenant users are not served yet: 403, before any
 * lookup, so the answer says nothing about which ids exist.
 */
export async function getUser(deps: UserDeps, caller: TenantContext, userId: string): Promise<User> {
  if (caller.role !== 'SystemAdmin') throw new ForbiddenError('You are not allowed to perform this action');
  const user = await deps.operationsUsers.get(userId);
  if (!user) throw new NotFoundError('user not found');
  return user;
}
