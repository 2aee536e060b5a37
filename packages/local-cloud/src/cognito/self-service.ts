import {
  checkAttributeWrites,
  readAttributeList,
  readableAttributes,
  toAttributeList,
} from './attributes.js';
import type { Deps, Input, OperationResult } from './context.js';
import { notAuthorized, validationError } from './errors.js';
import { usernameKey } from './model.js';
import { preparePassword } from './password-change.js';
import { checkPasswordPolicy, checkPasswordShape, verifyPassword } from './passwords.js';
import { verifyAccessToken } from './tokens.js';
import { applyWrites, checkSignInUniqueness, merged, removeUser, revokeUserTokens } from './users-model.js';

/** GetUser: the attributes the token's app client may read. */
export function getUser(deps: Deps, input: Input): OperationResult {
  const { pool, user, client } = verifyAccessToken(deps, input.string('AccessToken'));
  return {
    Username: user.username,
    UserAttributes: toAttributeList(user.attributes, readableAttributes(pool, client)),
  };
}

/** UpdateUserAttributes: only the app client's WriteAttributes, never an immutable attribute. */
export function updateUserAttributes(deps: Deps, input: Input): OperationResult {
  const { pool, user, client } = verifyAccessToken(deps, input.string('AccessToken'));
  if (input.raw('UserAttributes') === undefined)
    throw validationError('userAttributes', undefined, 'Member must not be null');
  const writes = readAttributeList(input.raw('UserAttributes'), 'userAttributes');
  checkAttributeWrites(pool, writes, 'client', client);
  checkSignInUniqueness(pool, user, merged(user, writes), false)();
  applyWrites(user, writes, deps.clock.now());
  deps.store.changed();
  // No verification codes are sent locally: a changed e-mail simply stays unverified.
  return { CodeDeliveryDetailsList: [] };
}

export function deleteUser(deps: Deps, input: Input): OperationResult {
  const { pool, user } = verifyAccessToken(deps, input.string('AccessToken'));
  removeUser(deps, pool, usernameKey(pool, user.username), user);
  return {};
}

export async function changePassword(deps: Deps, input: Input): Promise<OperationResult> {
  const { pool, user } = verifyAccessToken(deps, input.string('AccessToken'));
  const previous = input.string('PreviousPassword');
  const proposed = input.string('ProposedPassword');
  checkPasswordShape(proposed, 'proposedPassword');
  if (!(await verifyPassword(previous, user.passwordHash)))
    throw notAuthorized('Incorrect username or password.');
  checkPasswordPolicy(proposed, pool.passwordPolicy);
  (await preparePassword(pool, user, proposed))();
  user.lastModifiedAt = deps.clock.now();
  deps.store.changed();
  return {};
}

/** GlobalSignOut: revokes every refresh token of the user (and the access tokens they issued). */
export function globalSignOut(deps: Deps, input: Input): OperationResult {
  const { pool, user } = verifyAccessToken(deps, input.string('AccessToken'));
  revokeUserTokens(deps, pool, user);
  return {};
}
