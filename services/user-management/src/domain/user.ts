import {
  BadRequestError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  OPERATIONS_TENANT_ID,
  oneOf,
  ROLES,
  type Role,
  strictObject,
  string,
  type TenantContext,
} from '@tenantry/tenant-middleware';
import { type PoolUser, UserExistsError, type UserPools } from '@tenantry/users';

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

export interface UserPage {
  items: User[];
  nextToken?: string;
}

export const TENANT_ROLES = ['TenantAdmin', 'TenantUser'] as const;
export type TenantRole = (typeof TENANT_ROLES)[number];

/**
 * A tenant's user as user management records it: the tenant's membership list (Cognito cannot
 * list a pooled pool's users by tenant) and a mirror of role and enabled for the last-admin rule.
 */
export interface Member {
  userId: string;
  email: string;
  role: string;
  enabled: boolean;
  createdAt: string;
}

/** Thrown by the store when a change would leave a tenant without an enabled TenantAdmin. */
export class LastTenantAdminError extends ConflictError {
  override name = 'LastTenantAdminError';

  constructor() {
    super('the last enabled TenantAdmin of a tenant cannot be deleted, disabled or demoted', {
      code: 'LastTenantAdmin',
    });
  }
}

/** Thrown by the store when the member changed between read and write. */
export class StaleMemberError extends ConflictError {
  override name = 'StaleMemberError';

  constructor() {
    super('the user changed meanwhile; try again', { code: 'Stale' });
  }
}

/** Members of tenants, with each tenant's count of enabled TenantAdmins kept in the same writes. */
export interface MemberStore {
  get(tenantId: string, userId: string): Promise<Member | undefined>;
  /** Records a member (counted when an enabled TenantAdmin); false when it is recorded already. */
  add(tenantId: string, member: Member): Promise<boolean>;
  /**
   * Moves a member from `from` to `to` in one transaction with the admin count. Throws
   * {@link LastTenantAdminError} when no enabled TenantAdmin would be left, {@link StaleMemberError}
   * when the member is no longer `from`.
   */
  change(tenantId: string, from: Member, to: Member): Promise<void>;
  /** Removes a member; `enforceLastAdmin: false` only for offboarding and compensation. */
  remove(tenantId: string, member: Member, options?: { enforceLastAdmin?: boolean }): Promise<void>;
  list(
    tenantId: string,
    page: { limit: number; after?: string },
  ): Promise<{ members: Member[]; after?: string }>;
}

/** Seals list positions into `nextToken`s bound to the caller's tenant and the query. */
export interface UserPageTokens {
  seal(binding: { tenantId: string; query: string }, cursors: { after?: string }[]): Promise<string>;
  open(binding: { tenantId: string; query: string }, token: string): Promise<{ after?: string }[]>;
}

/**
 * What every route needs. The operations that need more take a wider type, so that each function
 * is wired with (and its bundle carries) only what it calls.
 */
export interface UserDeps {
  pools: UserPools;
  members: MemberStore;
  operationsUserPoolId: string;
  /** The user pool of a tenant (pooled or its silo pool), from the tenant registry. */
  tenantUserPool(tenantId: string): Promise<string | undefined>;
}

/** {@link listUsers} also seals page tokens. */
export interface ListUsersDeps extends UserDeps {
  pageTokens: UserPageTokens;
}

/** The provisioning steps' dependencies: Cognito and the member records only. */
export type ProvisioningDeps = Pick<UserDeps, 'pools' | 'members'>;

export const USER_NOT_FOUND = 'user not found';
export const EMAIL_TAKEN = 'a user with this e-mail already exists';
export const DEFAULT_LIMIT = 25;
/** Cognito's ListUsers returns at most 60 users a page. */
const COGNITO_PAGE_LIMIT = 60;

/**
 * User ids are Cognito `sub`s. The pattern leaves out `@` so an e-mail address, which Cognito would
 * also accept as a user name, cannot be used to look a user up.
 */
export const userIdField = string({
  maxLength: 128,
  pattern: /^[A-Za-z0-9-]+$/,
  description: 'a user id (letters, digits and -)',
});

export const emailField = string({
  minLength: 3,
  maxLength: 254,
  pattern: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
  description: 'an e-mail address',
});

const roleField = oneOf(ROLES);

/** `POST /users`: unknown fields are a 400. */
export const createUserBody = strictObject({ email: emailField, role: roleField });
/** `PATCH /users/{userId}`. */
export const updateUserBody = strictObject({ role: roleField });

type Scope =
  | { kind: 'operations'; tenantId: string; userPoolId: string }
  | { kind: 'tenant'; tenantId: string; userPoolId: string };

const forbidden = () => new ForbiddenError('You are not allowed to perform this action');
const notFound = () => new NotFoundError(USER_NOT_FOUND);
const isAdmin = (role: string): boolean => role === 'SystemAdmin' || role === 'TenantAdmin';

/** Whose users the caller manages: a SystemAdmin the operations pool, a TenantAdmin their tenant's. */
async function scopeOf(deps: UserDeps, caller: TenantContext): Promise<Scope> {
  if (caller.role === 'SystemAdmin')
    return { kind: 'operations', tenantId: OPERATIONS_TENANT_ID, userPoolId: deps.operationsUserPoolId };
  const userPoolId = await deps.tenantUserPool(caller.tenantId);
  if (!userPoolId) throw notFound();
  return { kind: 'tenant', tenantId: caller.tenantId, userPoolId };
}

const toUser = (user: PoolUser, scope: Scope): User => ({
  userId: user.userId,
  email: user.email,
  role: user.role ?? '',
  tenantId: scope.tenantId,
  status: user.status,
  enabled: user.enabled,
  createdAt: user.createdAt,
});

const toMember = (user: PoolUser): Member => ({
  userId: user.userId,
  email: user.email,
  role: user.role ?? '',
  enabled: user.enabled,
  createdAt: user.createdAt,
});

function checkRole(scope: Scope, role: Role): void {
  const allowed: readonly string[] = scope.kind === 'operations' ? ['SystemAdmin'] : TENANT_ROLES;
  if (!allowed.includes(role))
    throw new BadRequestError(`role must be one of ${allowed.join(', ')}`, { field: 'role' });
}

/** The user of the scope: a user of another tenant (in the same pooled pool) is not found. */
async function findUser(deps: UserDeps, scope: Scope, userId: string): Promise<PoolUser> {
  const user = await deps.pools.get(scope.userPoolId, userId);
  const owner = user && (scope.kind === 'operations' ? OPERATIONS_TENANT_ID : user.tenantId);
  if (!user || owner !== scope.tenantId || user.userId !== userId) throw notFound();
  return user;
}

/** The member record of a tenant user; a user created outside user management is recorded now. */
async function memberOf(deps: UserDeps, scope: Scope, user: PoolUser): Promise<Member> {
  const member = await deps.members.get(scope.tenantId, user.userId);
  if (member) return member;
  const adopted = toMember(user);
  await deps.members.add(scope.tenantId, adopted);
  return (await deps.members.get(scope.tenantId, user.userId)) ?? adopted;
}

/**
 * Applies a change of a tenant user: the member record and admin count first (the last-admin rule
 * is decided there, atomically), then Cognito; if Cognito fails the record is put back.
 */
async function changeTenantUser(
  deps: UserDeps,
  scope: Scope,
  user: PoolUser,
  change: Partial<Pick<Member, 'role' | 'enabled'>>,
  apply: () => Promise<void>,
): Promise<void> {
  const from = await memberOf(deps, scope, user);
  const to = { ...from, ...change };
  if (to.role !== from.role || to.enabled !== from.enabled)
    await deps.members.change(scope.tenantId, from, to);
  try {
    await apply();
  } catch (error) {
    if (to.role !== from.role || to.enabled !== from.enabled)
      await deps.members.change(scope.tenantId, to, from).catch(() => undefined);
    throw error;
  }
}

/** `POST /users`: invites a user into the caller's tenant (or, for a SystemAdmin, the operations pool). */
export async function createUser(
  deps: UserDeps,
  caller: TenantContext,
  body: { email: string; role: Role },
): Promise<User> {
  if (!isAdmin(caller.role)) throw forbidden();
  const scope = await scopeOf(deps, caller);
  checkRole(scope, body.role);
  let user: PoolUser;
  try {
    user = await deps.pools.invite(scope.userPoolId, {
      email: body.email,
      role: body.role,
      ...(scope.kind === 'tenant' ? { tenantId: scope.tenantId } : {}),
    });
  } catch (error) {
    if (error instanceof UserExistsError) throw new ConflictError(EMAIL_TAKEN, { cause: error });
    throw error;
  }
  if (scope.kind === 'tenant') {
    try {
      await deps.members.add(scope.tenantId, toMember(user));
    } catch (error) {
      await deps.pools.remove(scope.userPoolId, user.userId).catch(() => undefined);
      throw error;
    }
  }
  return toUser(user, scope);
}

/** `GET /users/{userId}`: admins read their scope's users; a TenantUser only himself. */
export async function getUser(deps: UserDeps, caller: TenantContext, userId: string): Promise<User> {
  if (!isAdmin(caller.role) && userId !== caller.userId) throw forbidden();
  const scope = await scopeOf(deps, caller);
  return toUser(await findUser(deps, scope, userId), scope);
}

/** `GET /users`: a page of the scope's users, in a stable order. */
export async function listUsers(
  deps: ListUsersDeps,
  caller: TenantContext,
  query: { limit: number; nextToken?: string },
): Promise<UserPage> {
  if (!isAdmin(caller.role)) throw forbidden();
  const scope = await scopeOf(deps, caller);
  const binding = { tenantId: scope.tenantId, query: `GET /users?limit=${query.limit}` };
  const after = query.nextToken
    ? (await deps.pageTokens.open(binding, query.nextToken))[0]?.after
    : undefined;
  const page = async (items: User[], next: string | undefined): Promise<UserPage> =>
    next ? { items, nextToken: await deps.pageTokens.seal(binding, [{ after: next }]) } : { items };

  if (scope.kind === 'operations') {
    const result = await deps.pools.list(scope.userPoolId, {
      limit: Math.min(query.limit, COGNITO_PAGE_LIMIT),
      ...(after ? { paginationToken: after } : {}),
    });
    return page(
      result.users.map((user) => toUser(user, scope)),
      result.paginationToken,
    );
  }
  const result = await deps.members.list(scope.tenantId, { limit: query.limit, ...(after ? { after } : {}) });
  // Status, role and enabled come from the pool, the source of truth the authorizer reads too.
  const users = await Promise.all(
    result.members.map((member) => deps.pools.get(scope.userPoolId, member.userId)),
  );
  const items = users
    .filter((user): user is PoolUser => user?.tenantId === scope.tenantId)
    .map((user) => toUser(user, scope));
  return page(items, result.after);
}

/** `PATCH /users/{userId}` (`{role}`): the last enabled TenantAdmin cannot be demoted (409). */
export async function updateUserRole(
  deps: UserDeps,
  caller: TenantContext,
  userId: string,
  body: { role: Role },
): Promise<User> {
  if (!isAdmin(caller.role)) throw forbidden();
  const scope = await scopeOf(deps, caller);
  checkRole(scope, body.role);
  const user = await findUser(deps, scope, userId);
  if (user.role === body.role) return toUser(user, scope);
  if (scope.kind === 'tenant')
    await changeTenantUser(deps, scope, user, { role: body.role }, () =>
      deps.pools.setRole(scope.userPoolId, userId, body.role),
    );
  else await deps.pools.setRole(scope.userPoolId, userId, body.role);
  return toUser({ ...user, role: body.role }, scope);
}

/** Enables or disables a user of the caller's scope; a SystemAdmin cannot disable himself. */
async function setUserEnabled(
  deps: UserDeps,
  caller: TenantContext,
  userId: string,
  enabled: boolean,
): Promise<User> {
  if (!isAdmin(caller.role)) throw forbidden();
  const scope = await scopeOf(deps, caller);
  if (scope.kind === 'operations' && !enabled && userId === caller.userId)
    throw new ConflictError('you cannot disable yourself');
  const user = await findUser(deps, scope, userId);
  if (scope.kind === 'tenant')
    await changeTenantUser(deps, scope, user, { enabled }, () =>
      deps.pools.setEnabled(scope.userPoolId, userId, enabled),
    );
  else await deps.pools.setEnabled(scope.userPoolId, userId, enabled);
  return toUser({ ...user, enabled }, scope);
}

/** `POST /users/{userId}/disable`: the last enabled TenantAdmin cannot be disabled (409). */
export async function disableUser(deps: UserDeps, caller: TenantContext, userId: string): Promise<User> {
  return setUserEnabled(deps, caller, userId, false);
}

/** `POST /users/{userId}/enable`. */
export async function enableUser(deps: UserDeps, caller: TenantContext, userId: string): Promise<User> {
  return setUserEnabled(deps, caller, userId, true);
}

/** `DELETE /users/{userId}`: the last enabled TenantAdmin cannot be deleted (409). */
export async function deleteUser(deps: UserDeps, caller: TenantContext, userId: string): Promise<void> {
  if (!isAdmin(caller.role)) throw forbidden();
  const scope = await scopeOf(deps, caller);
  if (scope.kind === 'operations' && userId === caller.userId)
    throw new ConflictError('you cannot delete yourself');
  const user = await findUser(deps, scope, userId);
  if (scope.kind === 'tenant') {
    const member = await memberOf(deps, scope, user);
    await deps.members.remove(scope.tenantId, member);
    try {
      await deps.pools.remove(scope.userPoolId, userId);
    } catch (error) {
      await deps.members.add(scope.tenantId, member).catch(() => undefined);
      throw error;
    }
  } else await deps.pools.remove(scope.userPoolId, userId);
}

export interface TenantAdminInput {
  tenantId: string;
  email: string;
  userPoolId: string;
}

/**
 * Provisioning: invites a tenant's first TenantAdmin. Idempotent: when the address already belongs
 * to this tenant's user the same user is returned; another tenant's user is a conflict.
 */
export async function createTenantAdmin(
  deps: ProvisioningDeps,
  input: TenantAdminInput,
): Promise<{ userId: string }> {
  let user: PoolUser | undefined;
  try {
    user = await deps.pools.invite(input.userPoolId, {
      email: input.email,
      role: 'TenantAdmin',
      tenantId: input.tenantId,
    });
  } catch (error) {
    if (!(error instanceof UserExistsError)) throw error;
    user = await deps.pools.get(input.userPoolId, input.email);
    if (user?.tenantId !== input.tenantId) throw new ConflictError(EMAIL_TAKEN, { cause: error });
  }
  await deps.members.add(input.tenantId, toMember(user));
  return { userId: user.userId };
}

/** Compensation of {@link createTenantAdmin}: removes that user, if it is there and this tenant's. */
export async function deleteTenantAdmin(
  deps: ProvisioningDeps,
  input: TenantAdminInput,
): Promise<Record<string, never>> {
  const user = await deps.pools.get(input.userPoolId, input.email);
  if (!user || user.tenantId !== input.tenantId) return {};
  const member = await deps.members.get(input.tenantId, user.userId);
  if (member) await deps.members.remove(input.tenantId, member, { enforceLastAdmin: false });
  await deps.pools.remove(input.userPoolId, user.userId);
  return {};
}
