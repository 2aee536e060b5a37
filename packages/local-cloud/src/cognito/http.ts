import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../http.js';
import { createJsonProtocolHandler } from '../json-protocol.js';
import type { HttpHandler } from '../types.js';
import type { Deps, OperationResult } from './context.js';
import { toJwk } from './jwt.js';
import { issuerOf } from './tokens.js';

export type Invoke = (operation: string, body: Record<string, unknown>) => Promise<OperationResult>;

const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';

/**
 * The operations AWS serves without SigV4 (the SDK sends them unsigned: `smithy.api#noAuth` in the
 * Cognito model): the end-user flows, authenticated by client id, tokens or session instead.
 */
export const PUBLIC_OPERATIONS: ReadonlySet<string> = new Set([
  'AssociateSoftwareToken',
  'ChangePassword',
  'CompleteWebAuthnRegistration',
  'ConfirmDevice',
  'ConfirmForgotPassword',
  'ConfirmSignUp',
  'DeleteUser',
  'DeleteUserAttributes',
  'DeleteWebAuthnCredential',
  'ForgetDevice',
  'ForgotPassword',
  'GetDevice',
  'GetTokensFromRefreshToken',
  'GetUser',
  'GetUserAttributeVerificationCode',
  'GetUserAuthFactors',
  'GlobalSignOut',
  'InitiateAuth',
  'ListDevices',
  'ListUserSessions',
  'ListWebAuthnCredentials',
  'ResendConfirmationCode',
  'RespondToAuthChallenge',
  'RevokeToken',
  'RevokeUserSession',
  'SetUserMFAPreference',
  'SetUserSettings',
  'SignUp',
  'StartWebAuthnRegistration',
  'UpdateAuthEventFeedback',
  'UpdateDeviceStatus',
  'UpdateUserAttributes',
  'VerifySoftwareToken',
  'VerifyUserAttribute',
]);

/**
 * Whether AWS would serve this request unsigned: a public operation, or a pool's
 * `/.well-known/` documents (anything but `POST`).
 */
export function isPublicRequest(req: IncomingMessage): boolean {
  if (req.method !== 'POST') return true;
  const target = String(req.headers['x-amz-target'] ?? '');
  return target.startsWith(TARGET_PREFIX) && PUBLIC_OPERATIONS.has(target.slice(TARGET_PREFIX.length));
}

function wellKnown(deps: Deps, req: IncomingMessage, res: ServerResponse): boolean {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  const match = /^\/([^/]+)\/\.well-known\/(jwks\.json|openid-configuration)$/.exec(path);
  if (!match) return false;
  const [, poolId = '', document] = match;
  const pool = deps.store.state.pools[poolId];
  if (!pool) {
    sendJson(res, 404, { message: `User pool ${poolId} does not exist.` });
    return true;
  }
  if (document === 'jwks.json') {
    sendJson(res, 200, { keys: [toJwk(pool.keys.id), toJwk(pool.keys.access)] });
  } else {
    sendJson(res, 200, {
      issuer: issuerOf(deps.region, pool.id),
      jwks_uri: `${deps.endpoint()}/${pool.id}/.well-known/jwks.json`,
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'token'],
      scopes_supported: ['openid', 'email', 'phone', 'profile'],
      subject_types_supported: ['public'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    });
  }
  return true;
}

/**
 * Serves the AWS JSON 1.1 protocol (`POST /` with `X-Amz-Target`) and each pool's
 * `/.well-known/jwks.json` and `/.well-known/openid-configuration`.
 */
export function createHttpHandler(deps: Deps, invoke: Invoke): HttpHandler {
  const json = createJsonProtocolHandler({
    service: 'Cognito',
    targetPrefix: TARGET_PREFIX,
    version: '1.1',
    maxBodyBytes: 1024 * 1024,
    internalErrorType: 'InternalErrorException',
    call: invoke,
  });
  return async (req, res) => {
    if ((req.method === 'GET' || req.method === 'HEAD') && wellKnown(deps, req, res)) return;
    if (req.method !== 'POST') {
      sendJson(res, 404, { message: 'Not found' });
      return;
    }
    await json(req, res);
  };
}
