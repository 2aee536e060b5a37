import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../http.js';
import { createJsonProtocolHandler } from '../json-protocol.js';
import type { HttpHandler } from '../types.js';
import type { Deps, OperationResult } from './context.js';
import { toJwk } from './jwt.js';
import { issuerOf } from './tokens.js';

export type Invoke = (operation: string, body: Record<string, unknown>) => Promise<OperationResult>;

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
    targetPrefix: 'AWSCognitoIdentityProviderService.',
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
