import { randomUUID } from 'node:crypto';
import { checkAttributeWrites, checkRequired, readAttributeList } from './attributes.js';
import { type Deps, getPool, type Input, type OperationResult, requireUser } from './context.js';
import { CognitoServiceError, invalidParameter, validationError } from './errors.js';
import { matchesFilter, parseUserFilter } from './filter.js';
import { type PoolState, type UserState, usernameKey } from './model.js';
import { preparePassword } from './password-change.js';
import { checkPasswordPolicy, checkPasswordShape, generatePassword, hashPassword } from './passwords.js';
import { describeGroup, getGroupState, page, timeKey } from './pools.js';
import {
  applyWrites,
  checkSignInUniqueness,
  merged,
  removeUser,
  requireDeliverable,
  revokeUserTokens,
  userView,
} from './users-model.js';

const USERNAME = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$/u;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+[0-9]{4,15}$/;
const DAY_MS = 86_400_000;

/** The sign-in name the invitation shows, and the username Cognito stores. */
function resolveNewUsername(
  pool: PoolState,
  requested: string,
): { username: string; implied: Record<string, string> } {
  if (!USERNAME.test(requested)) {
    throw validationError(
      'username',
      requested,
      'Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+',
    );
  }
  if (pool.usernameAttributes.length > 0) {
    const email = pool.usernameAttributes.includes('email') && EMAIL.test(requested);
    const phone = pool.usernameAttributes.includes('phone_number') && PHONE.test(requested);
    if (!email && !phone) {
      throw invalidParameter(
        pool.usernameAttributes.length === 2
          ? 'Username should be either an email or a phone number.'
          : pool.usernameAttributes.includes('email')
            ? 'Username should be an email.'
            : 'Username should be a phone number.',
      );
    }
    // The username of such a pool is a UUID (the sub); the e-mail/phone becomes the attribute.
    return { username: randomUUID(), implied: email ? { email: requested } : { phone_number: requested } };
  }
  if (pool.aliasAttributes.includes('email') && EMAIL.test(requested)) {
    throw invalidParameter(
      'Username cannot be of email format, since user pool is configured for email alias.',
    );
  }
  if (pool.aliasAttributes.includes('phone_number') && PHONE.test(requested)) {
    throw invalidParameter(
      'Username cannot be of phone_number format, since user pool is configured for phone_number alias.',
    );
  }
  return { username: requested, implied: {} };
}

function sendInvitation(
  deps: Deps,
  pool: PoolState,
  user: UserState,
  signInName: string,
  password: string,
  mediums: readonly string[],
): void {
  const template = pool.adminCreateUserConfig.InviteMessageTemplate ?? {};
  const fill = (text: string) => text.replaceAll('{username}', signInName).replaceAll('{####}', password);
  const email = user.attributes.email;
  const phone = user.attributes.phone_number;
  if (mediums.includes('EMAIL') && email) {
    const body = template.EmailMessage ?? 'Your username is {username} and temporary password is {####}.';
    deps.outbox.send({
      to: email,
      subject: template.EmailSubject ?? 'Your temporary password',
      body: fill(body),
      temporaryPassword: password,
    });
  }
  if (mediums.includes('SMS') && phone) {
    const body = template.SMSMessage ?? 'Your username is {username} and temporary password is {####}.';
    deps.outbox.send({ to: phone, subject: '', body: fill(body), temporaryPassword: password });
  }
}

const temporaryExpiry = (deps: Deps, pool: PoolState) =>
  deps.clock.now() + (pool.passwordPolicy.TemporaryPasswordValidityDays || 7) * DAY_MS;

export async function adminCreateUser(deps: Deps, input: Input): Promise<OperationResult> {
  const pool = getPool(deps, input.string('UserPoolId'));
  const requested = input.string('Username');
  const action = input.oneOf('MessageAction', ['RESEND', 'SUPPRESS'] as const);
  const explicitMediums = input.optStringList('DesiredDeliveryMediums', ['SMS', 'EMAIL']);
  const mediums = explicitMediums ?? ['SMS'];
  const given = input.optString('TemporaryPassword');
  if (given !== undefined) {
    checkPasswordShape(given, 'temporaryPassword');
    checkPasswordPolicy(given, pool.passwordPolicy);
  }
  const password = given ?? generatePassword(pool.passwordPolicy);

  if (action === 'RESEND') {
    const user = requireUser(pool, requested);
    if (user.status !== 'FORCE_CHANGE_PASSWORD') {
      throw new CognitoServiceError(
        'UnsupportedUserStateException',
        `Resend not possible. ${user.username} status is ${user.status}.`,
      );
    }
    for (const m of explicitMediums ?? [])
      requireDeliverable(
        m as 'EMAIL' | 'SMS',
        Boolean(user.attributes[m === 'EMAIL' ? 'email' : 'phone_number']),
      );
    user.passwordHash = await hashPassword(password);
    user.temporaryPasswordExpiresAt = temporaryExpiry(deps, pool);
    user.failedLogins = 0;
    delete user.lockedUntil;
    user.lastModifiedAt = deps.clock.now();
    deps.store.changed();
    sendInvitation(deps, pool, user, requested, password, mediums);
    return { User: userView(user) };
  }

  const { username, implied } = resolveNewUsername(pool, requested);
  if (pool.users[usernameKey(pool, username)]) {
    throw new CognitoServiceError('UsernameExistsException', 'User account already exists');
  }
  const writes = readAttributeList(input.raw('UserAttributes'), 'userAttributes');
  for (const [name, value] of Object.entries(implied)) {
    const explicit = writes.find((w) => w.Name === name);
    if (explicit && explicit.Value !== value) {
      throw invalidParameter(
        `The ${name} attribute must match the username of a pool that signs in with ${name}.`,
      );
    }
    if (!explicit) writes.push({ Name: name, Value: value });
  }
  checkAttributeWrites(pool, writes, 'create');
  const sub = pool.usernameAttributes.length > 0 ? username : randomUUID();
  const attributes: Record<string, string> = { sub, ...merged(undefined, writes) };
  if (writes.some((w) => w.Name === 'email') && !writes.some((w) => w.Name === 'email_verified')) {
    attributes.email_verified = 'false';
  }
  checkRequired(pool, attributes);
  const applyAliasMoves = checkSignInUniqueness(
    pool,
    undefined,
    attributes,
    true,
    input.optBoolean('ForceAliasCreation'),
  );
  for (const m of explicitMediums ?? []) {
    if (action !== 'SUPPRESS')
      requireDeliverable(m as 'EMAIL' | 'SMS', Boolean(attributes[m === 'EMAIL' ? 'email' : 'phone_number']));
  }
  const now = deps.clock.now();
  const user: UserState = {
    username,
    attributes,
    enabled: true,
    status: 'FORCE_CHANGE_PASSWORD',
    passwordHash: await hashPassword(password),
    passwordHistory: [],
    temporaryPasswordExpiresAt: temporaryExpiry(deps, pool),
    groups: [],
    createdAt: now,
    lastModifiedAt: now,
    seq: pool.nextUserSeq++,
    failedLogins: 0,
  };
  // Re-check after the await: another request may have taken the name meanwhile.
  if (pool.users[usernameKey(pool, username)]) {
    throw new CognitoServiceError('UsernameExistsException', 'User account already exists');
  }
  checkSignInUniqueness(pool, undefined, attributes, true, input.optBoolean('ForceAliasCreation'));
  applyAliasMoves();
  pool.users[usernameKey(pool, username)] = user;
  deps.store.changed();
  if (action !== 'SUPPRESS') sendInvitation(deps, pool, user, requested, password, mediums);
  return { User: userView(user) };
}

export function adminGetUser(deps: Deps, input: Input): OperationResult {
  const pool = getPool(deps, input.string('UserPoolId'));
  const { Attributes, ...rest } = userView(requireUser(pool, input.string('Username')));
  return { ...rest, UserAttributes: Attributes };
}

export function adminDeleteUser(deps: Deps, input: Input): OperationResult {
  const pool = getPool(deps, input.string('UserPoolId'));
  const user = requireUser(pool, input.string('Username'));
  removeUser(deps, pool, usernameKey(pool, user.username), user);
  return {};
}

export function adminSetEnabled(enabled: boolean) {
  return (deps: Deps, input: Input): OperationResult => {
    const pool = getPool(deps, input.string('UserPoolId'));
    const user = requireUser(pool, input.string('Username'));
    user.enabled = enabled;
    user.lastModifiedAt = deps.clock.now();
    // AWS: "Deactivates a user and revokes all access tokens for the user."
    if (!enabled) revokeUserTokens(deps, pool, user);
    deps.store.changed();
    return {};
  };
}

export function adminUpdateUserAttributes(deps: Deps, input: Input): OperationResult {
  const pool = getPool(deps, input.string('UserPoolId'));
  const user = requireUser(pool, input.string('Username'));
  const writes = readAttributeList(input.raw('UserAttributes'), 'userAttributes');
  if (input.raw('UserAttributes') === undefined)
    throw validationError('userAttributes', undefined, 'Member must not be null');
  checkAttributeWrites(pool, writes, 'admin');
  checkSignInUniqueness(pool, user, merged(user, writes), false)();
  applyWrites(user, writes, deps.clock.now());
  deps.store.changed();
  return {};
}

export function adminDeleteUserAttributes(deps: Deps, input: Input): OperationResult {
  const pool = getPool(deps, input.string('UserPoolId'));
  const user = requireUser(pool, input.string('Username'));
  const names = input.optStringList('UserAttributeNames');
  if (!names) throw validationError('userAttributeNames', undefined, 'Member must not be null');
  for (const name of names) {
    const attr = pool.schema.find((a) => a.Name === name);
    if (!attr)
      throw invalidParameter(
        `Attributes did not conform to the schema: ${name}: Attribute does not exist in the schema.`,
      );
    if (name === 'sub' || !attr.Mutable)
      throw invalidParameter(`Cannot modify the non-mutable attribute ${name}`);
    if (pool.usernameAttributes.includes(name)) {
      throw invalidParameter(`Cannot delete ${name}: the user pool signs users in with it.`);
    }
  }
  const remaining = { ...user.attributes };
  for (const name of names) delete remaining[name];
  checkRequired(pool, remaining);
  user.attributes = remaining;
  user.lastModifiedAt = deps.clock.now();
  deps.store.changed();
  return {};
}

export async function adminSetUserPassword(deps: Deps, input: Input): Promise<OperationResult> {
  const pool = getPool(deps, input.string('UserPoolId'));
  const user = requireUser(pool, input.string('Username'));
  const password = input.string('Password');
  const permanent = input.optBoolean('Permanent') ?? false;
  checkPasswordShape(password, 'password');
  checkPasswordPolicy(password, pool.passwordPolicy);
  (await preparePassword(pool, user, password))();
  if (permanent) {
    user.status = 'CONFIRMED';
    delete user.temporaryPasswordExpiresAt;
  } else {
    user.status = 'FORCE_CHANGE_PASSWORD';
    user.temporaryPasswordExpiresAt = temporaryExpiry(deps, pool);
  }
  user.failedLogins = 0;
  delete user.lockedUntil;
  user.lastModifiedAt = deps.clock.now();
  deps.store.changed();
  return {};
}

export function adminUserGlobalSignOut(deps: Deps, input: Input): OperationResult {
  const pool = getPool(deps, input.string('UserPoolId'));
  revokeUserTokens(deps, pool, requireUser(pool, input.string('Username')));
  return {};
}

export function adminAddUserToGroup(deps: Deps, input: Input): OperationResult {
  const pool = getPool(deps, input.string('UserPoolId'));
  const group = getGroupState(pool, input.string('GroupName'));
  const user = requireUser(pool, input.string('Username'));
  if (!user.groups.includes(group.name)) user.groups.push(group.name);
  deps.store.changed();
  return {};
}

export function adminRemoveUserFromGroup(deps: Deps, input: Input): OperationResult {
  const pool = getPool(deps, input.string('UserPoolId'));
  const group = getGroupState(pool, input.string('GroupName'));
  const user = requireUser(pool, input.string('Username'));
  user.groups = user.groups.filter((g) => g !== group.name);
  deps.store.changed();
  return {};
}

export function adminListGroupsForUser(deps: Deps, input: Input): OperationResult {
  const pool = getPool(deps, input.string('UserPoolId'));
  const user = requireUser(pool, input.string('Username'));
  const limit = input.optNumber('Limit', 0, 60) || 60;
  const groups = user.groups.map((g) => pool.groups[g]).filter((g) => g !== undefined);
  const scope = `AdminListGroupsForUser:${pool.id}:${user.username}`;
  const result = page(deps, groups, (g) => g.name, scope, limit, input.optString('NextToken'));
  return {
    Groups: result.items.map((g) => describeGroup(pool, g)),
    ...(result.next ? { NextToken: result.next } : {}),
  };
}

export function listUsers(deps: Deps, input: Input): OperationResult {
  const pool = getPool(deps, input.string('UserPoolId'));
  const limit = input.optNumber('Limit', 0, 60) || 60;
  const filterText = input.optString('Filter');
  const filter = parseUserFilter(filterText);
  const only = input.optStringList('AttributesToGet');
  for (const name of only ?? []) {
    if (!pool.schema.some((a) => a.Name === name)) {
      throw invalidParameter(`One or more requested attributes do not exist: ${name}`);
    }
  }
  const users = Object.values(pool.users).filter(
    (u) => !filter || matchesFilter(u, filter, pool.caseSensitive),
  );
  const scope = `ListUsers:${pool.id}:${filterText ?? ''}`;
  const result = page(deps, users, (u) => timeKey(u.seq), scope, limit, input.optString('PaginationToken'));
  return {
    Users: result.items.map((u) => userView(u, only ? new Set(only) : undefined)),
    ...(result.next ? { PaginationToken: result.next } : {}),
  };
}

export function listUsersInGroup(deps: Deps, input: Input): OperationResult {
  const pool = getPool(deps, input.string('UserPoolId'));
  const group = getGroupState(pool, input.string('GroupName'));
  const limit = input.optNumber('Limit', 0, 60) || 60;
  const users = Object.values(pool.users).filter((u) => u.groups.includes(group.name));
  const scope = `ListUsersInGroup:${pool.id}:${group.name}`;
  const result = page(deps, users, (u) => timeKey(u.seq), scope, limit, input.optString('NextToken'));
  return { Users: result.items.map((u) => userView(u)), ...(result.next ? { NextToken: result.next } : {}) };
}
