import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { attributesToClaims, readableAttributes } from './attributes.js';
import type { Deps, OperationResult } from './context.js';
import { notAuthorized, userNotFound } from './errors.js';
import { newSecret } from './ids.js';
import { decodeJwt, signJwt, verifyJwtSignature } from './jwt.js';
import {
  type ClientState,
  type PoolState,
  type RefreshTokenState,
  type UserState,
  usernameKey,
} from './model.js';
import { validitySeconds } from './pools.js';

/** The issuer AWS puts in tokens (never the local URL). */
export const issuerOf = (region: string, poolId: string): string =>
  `https://cognito-idp.${region}.amazonaws.com/${poolId}`;

const digest = (secret: string) => createHash('sha256').update(secret).digest('hex');

/** Group names for the `cognito:groups` claim, lowest precedence first. */
function groupClaims(pool: PoolState, user: UserState): Record<string, unknown> {
  const groups = user.groups
    .map((name) => pool.groups[name])
    .filter((g) => g !== undefined)
    .sort(
      (a, b) =>
        (a.precedence ?? Number.MAX_SAFE_INTEGER) - (b.precedence ?? Number.MAX_SAFE_INTEGER) ||
        a.name.localeCompare(b.name),
    );
  if (groups.length === 0) return {};
  const roles = groups.flatMap((g) => (g.roleArn ? [g.roleArn] : []));
  const preferred = groups.find((g) => g.roleArn)?.roleArn;
  return {
    'cognito:groups': groups.map((g) => g.name),
    ...(roles.length ? { 'cognito:roles': roles } : {}),
    ...(preferred ? { 'cognito:preferred_role': preferred } : {}),
  };
}

const lastPrune = new WeakMap<PoolState, number>();

/** Drops expired refresh tokens now and then (at most once a minute per pool). */
function pruneRefreshTokens(deps: Deps, pool: PoolState): void {
  const now = deps.clock.now();
  if ((lastPrune.get(pool) ?? 0) > now - 60_000) return;
  lastPrune.set(pool, now);
  // Kept a day past expiry: access tokens (up to 1 day) still point at their session.
  for (const [jti, token] of Object.entries(pool.refreshTokens)) {
    if (token.expiresAt + 86_400_000 <= now) delete pool.refreshTokens[jti];
  }
}

/**
 * Issues ID and access tokens (and, for a new sign-in, a refresh token). A refresh keeps the
 * session's origin_jti, auth_time and event_id and re-reads the user's current attributes/groups.
 */
export function issueTokens(
  deps: Deps,
  pool: PoolState,
  client: ClientState,
  user: UserState,
  refreshed?: RefreshTokenState,
): OperationResult {
  const now = deps.clock.now();
  const iat = Math.floor(now / 1000);
  const originJti = refreshed?.originJti ?? randomUUID();
  const authTime = refreshed?.authTime ?? iat;
  const eventId = refreshed?.eventId ?? randomUUID();
  const iss = issuerOf(deps.region, pool.id);
  const groups = groupClaims(pool, user);
  const accessSeconds = validitySeconds(client.accessTokenValidity, client.tokenValidityUnits.AccessToken);
  const idSeconds = validitySeconds(client.idTokenValidity, client.tokenValidityUnits.IdToken);
  const sub = user.attributes.sub;

  const idToken = signJwt(pool.keys.id, {
    sub,
    ...groups,
    ...attributesToClaims(pool, user.attributes, readableAttributes(pool, client)),
    iss,
    'cognito:username': user.username,
    origin_jti: originJti,
    aud: client.clientId,
    event_id: eventId,
    token_use: 'id',
    auth_time: authTime,
    exp: iat + idSeconds,
    iat,
    jti: randomUUID(),
  });
  const accessToken = signJwt(pool.keys.access, {
    sub,
    ...(groups['cognito:groups'] ? { 'cognito:groups': groups['cognito:groups'] } : {}),
    iss,
    client_id: client.clientId,
    origin_jti: originJti,
    event_id: eventId,
    token_use: 'access',
    scope: 'aws.cognito.signin.user.admin',
    auth_time: authTime,
    exp: iat + accessSeconds,
    iat,
    jti: randomUUID(),
    username: user.username,
  });
  const result: Record<string, unknown> = {
    AccessToken: accessToken,
    ExpiresIn: accessSeconds,
    TokenType: 'Bearer',
    IdToken: idToken,
  };
  if (!refreshed) {
    pruneRefreshTokens(deps, pool);
    const secret = newSecret();
    pool.refreshTokens[originJti] = {
      originJti,
      secretDigest: digest(secret),
      clientId: client.clientId,
      username: user.username,
      authTime,
      eventId,
      expiresAt:
        now + validitySeconds(client.refreshTokenValidity, client.tokenValidityUnits.RefreshToken) * 1000,
      revoked: false,
    };
    result.RefreshToken = Buffer.from(`${originJti}:${secret}`).toString('base64url');
    deps.store.changed();
  }
  return result;
}

/** The refresh token's state, or NotAuthorizedException as AWS words it. */
export function checkRefreshToken(
  deps: Deps,
  pool: PoolState,
  client: ClientState,
  token: string,
): RefreshTokenState {
  const [originJti = '', secret = ''] = Buffer.from(token, 'base64url').toString('utf8').split(':');
  const state = pool.refreshTokens[originJti];
  const given = Buffer.from(digest(secret));
  if (
    !state ||
    state.clientId !== client.clientId ||
    !timingSafeEqual(given, Buffer.from(state.secretDigest))
  ) {
    throw notAuthorized('Invalid Refresh Token');
  }
  if (state.revoked) throw notAuthorized('Refresh Token has been revoked');
  if (state.expiresAt <= deps.clock.now()) throw notAuthorized('Refresh Token has expired');
  return state;
}

export interface VerifiedAccess {
  pool: PoolState;
  user: UserState;
  client: ClientState;
}

/**
 * Verifies an access token as GetUser & co. do: signature by the pool's access key, token_use,
 * expiry (local clock), the user still existing and enabled, and the session not signed out.
 */
export function verifyAccessToken(deps: Deps, token: string): VerifiedAccess {
  const invalid = () => notAuthorized('Invalid Access Token');
  const jwt = decodeJwt(token);
  if (!jwt) throw invalid();
  const { iss, token_use: use, exp, username, sub, client_id: clientId, origin_jti: originJti } = jwt.payload;
  const poolId = typeof iss === 'string' ? iss.slice(iss.lastIndexOf('/') + 1) : '';
  const pool = deps.store.state.pools[poolId];
  if (
    !pool ||
    iss !== issuerOf(deps.region, poolId) ||
    !verifyJwtSignature(jwt, pool.keys.access) ||
    use !== 'access'
  ) {
    throw invalid();
  }
  if (typeof exp !== 'number' || exp * 1000 <= deps.clock.now())
    throw notAuthorized('Access Token has expired');
  const client = typeof clientId === 'string' ? pool.clients[clientId] : undefined;
  if (!client || typeof username !== 'string') throw invalid();
  const user = pool.users[usernameKey(pool, username)];
  if (!user || user.attributes.sub !== sub) throw userNotFound();
  const session = typeof originJti === 'string' ? pool.refreshTokens[originJti] : undefined;
  if (!session || session.revoked) throw notAuthorized('Access Token has been revoked');
  if (!user.enabled) throw notAuthorized('User is disabled.');
  return { pool, user, client };
}
