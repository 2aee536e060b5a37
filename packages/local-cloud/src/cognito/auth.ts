import { createHmac, timingSafeEqual } from 'node:crypto';
import { checkAttributeWrites, checkRequired, readableAttributes } from './attributes.js';
import {
  type Deps,
  findUser,
  getClient,
  getClientInPool,
  getPool,
  Input,
  type OperationResult,
} from './context.js';
import { invalidParameter, notAuthorized, UnsupportedFeatureError, userNotFound } from './errors.js';
import { newSession } from './ids.js';
import type { ClientState, PoolState, UserState } from './model.js';
import { preparePassword } from './password-change.js';
import { checkPasswordPolicy, checkPasswordShape, verifyPassword } from './passwords.js';
import { checkRefreshToken, issueTokens } from './tokens.js';
import { applyWrites, checkSignInUniqueness, merged } from './users-model.js';

const LOCKOUT_AFTER = 5;
const MAX_LOCKOUT_MS = 15 * 60_000;

type Flow = 'USER_PASSWORD' | 'ADMIN_PASSWORD' | 'REFRESH';

function requireFlowEnabled(client: ClientState, flow: Flow): void {
  const flows = client.explicitAuthFlows;
  const legacy = !flows.some((f) => f.startsWith('ALLOW_'));
  switch (flow) {
    case 'USER_PASSWORD':
      if (!flows.includes('ALLOW_USER_PASSWORD_AUTH') && !flows.includes('USER_PASSWORD_AUTH')) {
        throw invalidParameter('USER_PASSWORD_AUTH flow not enabled for this client');
      }
      return;
    case 'ADMIN_PASSWORD':
      if (!flows.includes('ALLOW_ADMIN_USER_PASSWORD_AUTH') && !flows.includes('ADMIN_NO_SRP_AUTH')) {
        throw invalidParameter('Auth flow not enabled for this client');
      }
      return;
    case 'REFRESH':
      if (!legacy && !flows.includes('ALLOW_REFRESH_TOKEN_AUTH'))
        throw invalidParameter('Auth flow not enabled for this client');
  }
}

/** SECRET_HASH = Base64(HMAC-SHA256(client secret, username + client id)). */
export function secretHash(clientSecret: string, username: string, clientId: string): string {
  return createHmac('sha256', clientSecret)
    .update(username + clientId)
    .digest('base64');
}

function checkSecretHash(client: ClientState, usernames: readonly string[], given: string | undefined): void {
  if (!client.clientSecret) return;
  if (!given)
    throw notAuthorized(`Client ${client.clientId} is configured for secret but secret was not received`);
  const ok = usernames.some((name) => {
    const expected = Buffer.from(secretHash(client.clientSecret as string, name, client.clientId));
    const actual = Buffer.from(given);
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  });
  if (!ok) throw notAuthorized(`Unable to verify secret hash for client ${client.clientId}`);
}

function parameters(input: Input, field: string): Input {
  const raw = input.optObject(field) ?? {};
  for (const value of Object.values(raw))
    if (typeof value !== 'string') throw invalidParameter(`${field} values must be strings`);
  return new Input(raw);
}

function requireParameter(params: Input, name: string): string {
  const value = params.optString(name);
  if (!value) throw invalidParameter(`Missing required parameter ${name}`);
  return value;
}

/** The unknown-user answer: hidden behind "Incorrect username or password." when the client asks for it. */
function unknownUser(client: ClientState) {
  return client.preventUserExistenceErrors === 'ENABLED'
    ? notAuthorized('Incorrect username or password.')
    : userNotFound();
}

async function passwordAuth(
  deps: Deps,
  pool: PoolState,
  client: ClientState,
  params: Input,
): Promise<OperationResult> {
  const name = requireParameter(params, 'USERNAME');
  const password = requireParameter(params, 'PASSWORD');
  checkSecretHash(client, [name], params.optString('SECRET_HASH'));
  const user = findUser(pool, name);
  if (!user) throw unknownUser(client);
  const now = deps.clock.now();
  if (user.lockedUntil !== undefined && user.lockedUntil > now)
    throw notAuthorized('Password attempts exceeded');
  if (!user.enabled) throw notAuthorized('User is disabled.');
  if (!(await verifyPassword(password, user.passwordHash))) {
    user.failedLogins += 1;
    if (user.failedLogins >= LOCKOUT_AFTER) {
      user.lockedUntil = now + Math.min(1000 * 2 ** (user.failedLogins - LOCKOUT_AFTER), MAX_LOCKOUT_MS);
    }
    deps.store.changed();
    throw notAuthorized('Incorrect username or password.');
  }
  if (user.failedLogins > 0 || user.lockedUntil !== undefined) {
    user.failedLogins = 0;
    delete user.lockedUntil;
    deps.store.changed();
  }
  if (user.status === 'FORCE_CHANGE_PASSWORD') {
    if (user.temporaryPasswordExpiresAt !== undefined && user.temporaryPasswordExpiresAt <= now) {
      throw notAuthorized('Temporary password has expired and must be reset by an administrator.');
    }
    return newPasswordChallenge(deps, pool, client, user);
  }
  return { ChallengeParameters: {}, AuthenticationResult: issueTokens(deps, pool, client, user) };
}

function newPasswordChallenge(
  deps: Deps,
  pool: PoolState,
  client: ClientState,
  user: UserState,
): OperationResult {
  const session = newSession();
  deps.store.sessions.set(session, {
    poolId: pool.id,
    clientId: client.clientId,
    username: user.username,
    challengeName: 'NEW_PASSWORD_REQUIRED',
    expiresAt: deps.clock.now() + client.authSessionValidity * 60_000,
  });
  const readable = readableAttributes(pool, client);
  const userAttributes = Object.fromEntries(
    Object.entries(user.attributes).filter(([name]) => name !== 'sub' && readable.has(name)),
  );
  const missing = pool.schema.filter((a) => a.Required && a.Name !== 'sub' && !user.attributes[a.Name]);
  return {
    ChallengeName: 'NEW_PASSWORD_REQUIRED',
    Session: session,
    ChallengeParameters: {
      USER_ID_FOR_SRP: user.username,
      requiredAttributes: JSON.stringify(missing.map((a) => `userAttributes.${a.Name}`)),
      userAttributes: JSON.stringify(userAttributes),
    },
  };
}

function refreshAuth(deps: Deps, pool: PoolState, client: ClientState, params: Input): OperationResult {
  const token = requireParameter(params, 'REFRESH_TOKEN');
  const state = checkRefreshToken(deps, pool, client, token);
  const user = Object.values(pool.users).find((u) => u.username === state.username);
  if (!user) throw notAuthorized('Refresh Token has been revoked');
  if (client.clientSecret) {
    const named = params.optString('USERNAME');
    const names = [user.username, ...(named && findUser(pool, named) === user ? [named] : [])];
    checkSecretHash(client, names, params.optString('SECRET_HASH'));
  }
  if (!user.enabled) throw notAuthorized('User is disabled.');
  return { ChallengeParameters: {}, AuthenticationResult: issueTokens(deps, pool, client, user, state) };
}

const unsupportedFlow = (flow: string) => new UnsupportedFeatureError(`the ${flow} auth flow`);

export async function initiateAuth(deps: Deps, input: Input): Promise<OperationResult> {
  const flow = input.string('AuthFlow');
  const { pool, client } = getClient(deps, input.string('ClientId'));
  const params = parameters(input, 'AuthParameters');
  switch (flow) {
    case 'USER_PASSWORD_AUTH':
      requireFlowEnabled(client, 'USER_PASSWORD');
      return passwordAuth(deps, pool, client, params);
    case 'REFRESH_TOKEN_AUTH':
    case 'REFRESH_TOKEN':
      requireFlowEnabled(client, 'REFRESH');
      return refreshAuth(deps, pool, client, params);
    case 'ADMIN_USER_PASSWORD_AUTH':
    case 'ADMIN_NO_SRP_AUTH':
      throw invalidParameter('Initiate Auth method not supported.');
    default:
      throw unsupportedFlow(flow);
  }
}

export async function adminInitiateAuth(deps: Deps, input: Input): Promise<OperationResult> {
  const pool = getPool(deps, input.string('UserPoolId'));
  const client = getClientInPool(pool, input.string('ClientId'));
  const flow = input.string('AuthFlow');
  const params = parameters(input, 'AuthParameters');
  switch (flow) {
    case 'ADMIN_USER_PASSWORD_AUTH':
    case 'ADMIN_NO_SRP_AUTH':
      requireFlowEnabled(client, 'ADMIN_PASSWORD');
      return passwordAuth(deps, pool, client, params);
    case 'REFRESH_TOKEN_AUTH':
    case 'REFRESH_TOKEN':
      requireFlowEnabled(client, 'REFRESH');
      return refreshAuth(deps, pool, client, params);
    case 'USER_PASSWORD_AUTH':
      throw invalidParameter('Initiate Auth method not supported.');
    default:
      throw unsupportedFlow(flow);
  }
}

async function respond(
  deps: Deps,
  input: Input,
  pool: PoolState,
  client: ClientState,
): Promise<OperationResult> {
  const challengeName = input.string('ChallengeName');
  const sessionId = input.optString('Session');
  const responses = parameters(input, 'ChallengeResponses');
  const invalidSession = () => notAuthorized('Invalid session for the user.');
  const session = sessionId === undefined ? undefined : deps.store.sessions.get(sessionId);
  if (!sessionId || !session || session.poolId !== pool.id || session.clientId !== client.clientId)
    throw invalidSession();
  if (session.expiresAt <= deps.clock.now()) {
    deps.store.sessions.delete(sessionId);
    throw notAuthorized('Invalid session for the user, session is expired.');
  }
  if (challengeName !== session.challengeName) {
    if (challengeName === 'NEW_PASSWORD_REQUIRED') throw invalidSession();
    throw new UnsupportedFeatureError(`the ${challengeName} challenge`);
  }
  const name = requireParameter(responses, 'USERNAME');
  const user = findUser(pool, name);
  if (!user || user.username !== session.username) throw invalidSession();
  checkSecretHash(client, [name], responses.optString('SECRET_HASH'));
  if (!user.enabled) throw notAuthorized('User is disabled.');
  if (user.status !== 'FORCE_CHANGE_PASSWORD') throw invalidSession();
  const password = requireParameter(responses, 'NEW_PASSWORD');
  checkPasswordShape(password, 'NEW_PASSWORD');
  checkPasswordPolicy(password, pool.passwordPolicy);
  const writes = Object.entries(responses.body)
    .filter(([key]) => key.startsWith('userAttributes.'))
    .map(([key, value]) => ({ Name: key.slice('userAttributes.'.length), Value: String(value) }));
  checkAttributeWrites(pool, writes, 'client', client);
  const after = merged(user, writes);
  checkRequired(pool, after);
  const applyAliasMoves = checkSignInUniqueness(pool, user, after, false);
  const commitPassword = await preparePassword(pool, user, password);
  // Single use: consumed only once the answer has been accepted (and not twice by racing answers).
  if (!deps.store.sessions.delete(sessionId) || user.status !== 'FORCE_CHANGE_PASSWORD')
    throw invalidSession();
  commitPassword();
  applyAliasMoves();
  applyWrites(user, writes, deps.clock.now());
  user.status = 'CONFIRMED';
  delete user.temporaryPasswordExpiresAt;
  deps.store.changed();
  return { ChallengeParameters: {}, AuthenticationResult: issueTokens(deps, pool, client, user) };
}

export function respondToAuthChallenge(deps: Deps, input: Input): Promise<OperationResult> {
  const { pool, client } = getClient(deps, input.string('ClientId'));
  return respond(deps, input, pool, client);
}

export function adminRespondToAuthChallenge(deps: Deps, input: Input): Promise<OperationResult> {
  const pool = getPool(deps, input.string('UserPoolId'));
  return respond(deps, input, pool, getClientInPool(pool, input.string('ClientId')));
}
