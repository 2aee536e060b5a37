import type { AttributeWrite } from './attributes.js';
import { type Deps, epochSeconds, type OperationResult } from './context.js';
import { CognitoServiceError, invalidParameter } from './errors.js';
import type { PoolState, UserState } from './model.js';

/** How ListUsers/AdminCreateUser show a user (`Attributes`); AdminGetUser renames it `UserAttributes`. */
export function userView(user: UserState, only?: Set<string>): OperationResult {
  return {
    Username: user.username,
    Attributes: Object.entries(user.attributes)
      .filter(([name]) => !only || only.has(name))
      .map(([Name, Value]) => ({ Name, Value })),
    UserCreateDate: epochSeconds(user.createdAt),
    UserLastModifiedDate: epochSeconds(user.lastModifiedAt),
    Enabled: user.enabled,
    UserStatus: user.status,
  };
}

const same = (pool: PoolState, a: string | undefined, b: string) =>
  a !== undefined && (pool.caseSensitive ? a === b : a.toLowerCase() === b.toLowerCase());

/**
 * Enforces uniqueness of the attributes users sign in with: an e-mail or phone number used as
 * username attribute is unique in the pool; used as alias it is unique among verified values
 * (`forceAlias` moves a verified alias from its previous owner, as ForceAliasCreation does).
 * Returns the alias moves to apply once every other check has passed.
 */
export function checkSignInUniqueness(
  pool: PoolState,
  self: UserState | undefined,
  attributes: Record<string, string>,
  creating: boolean,
  forceAlias = false,
): () => void {
  const moves: Array<() => void> = [];
  const others = Object.values(pool.users).filter((u) => u !== self);
  for (const attr of ['email', 'phone_number', 'preferred_username'] as const) {
    const value = attributes[attr];
    if (!value) continue;
    const verifiedFlag = `${attr}_verified`;
    const asUsername = pool.usernameAttributes.includes(attr);
    const verifiable = attr !== 'preferred_username';
    const asAlias =
      pool.aliasAttributes.includes(attr) && (!verifiable || attributes[verifiedFlag] === 'true');
    if (!asUsername && !asAlias) continue;
    const other = others.find(
      (u) =>
        same(pool, u.attributes[attr], value) &&
        (asUsername || !verifiable || u.attributes[verifiedFlag] === 'true'),
    );
    if (!other) continue;
    if (!asUsername && verifiable && forceAlias) {
      moves.push(() => {
        other.attributes[verifiedFlag] = 'false';
      });
      continue;
    }
    const label =
      attr === 'email' ? 'email' : attr === 'phone_number' ? 'phone_number' : 'preferred_username';
    throw new CognitoServiceError(
      creating && asUsername ? 'UsernameExistsException' : 'AliasExistsException',
      `An account with the given ${label} already exists.`,
    );
  }
  return () => {
    for (const move of moves) move();
  };
}

/** Applies validated writes; a changed e-mail/phone becomes unverified unless the same call verifies it. */
export function applyWrites(user: UserState, writes: readonly AttributeWrite[], now: number): void {
  const names = new Set(writes.map((w) => w.Name));
  for (const { Name, Value } of writes) {
    const previous = user.attributes[Name];
    user.attributes[Name] = Value;
    if (
      (Name === 'email' || Name === 'phone_number') &&
      previous !== Value &&
      !names.has(`${Name}_verified`)
    ) {
      user.attributes[`${Name}_verified`] = 'false';
    }
  }
  user.lastModifiedAt = now;
}

/** The merged attribute set a write would produce (for uniqueness checks before applying). */
export function merged(
  user: UserState | undefined,
  writes: readonly AttributeWrite[],
): Record<string, string> {
  const result = { ...(user?.attributes ?? {}) };
  const names = new Set(writes.map((w) => w.Name));
  for (const { Name, Value } of writes) {
    if (
      (Name === 'email' || Name === 'phone_number') &&
      result[Name] !== Value &&
      !names.has(`${Name}_verified`)
    ) {
      result[`${Name}_verified`] = 'false';
    }
    result[Name] = Value;
  }
  return result;
}

/** Revokes every refresh token of the user, and with them the access tokens they issued. */
export function revokeUserTokens(deps: Deps, pool: PoolState, user: UserState): void {
  for (const token of Object.values(pool.refreshTokens))
    if (token.username === user.username) token.revoked = true;
  deps.store.changed();
}

/** Removes a user and everything bound to it. */
export function removeUser(deps: Deps, pool: PoolState, key: string, user: UserState): void {
  delete pool.users[key];
  for (const [jti, token] of Object.entries(pool.refreshTokens))
    if (token.username === user.username) delete pool.refreshTokens[jti];
  for (const [id, session] of deps.store.sessions) {
    if (session.poolId === pool.id && session.username === user.username) deps.store.sessions.delete(id);
  }
  deps.store.changed();
}

export const requireDeliverable = (medium: 'EMAIL' | 'SMS', present: boolean): void => {
  if (!present) {
    throw invalidParameter(
      medium === 'EMAIL'
        ? 'No email provided but desired delivery medium was Email'
        : 'No phone_number provided but desired delivery medium was SMS',
    );
  }
};
