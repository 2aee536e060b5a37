import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpHandler } from '../types.js';
import type { Deps, OperationResult } from './context.js';
import { CognitoServiceError } from './errors.js';
import { toJwk } from './jwt.js';
import { issuerOf } from './tokens.js';

const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';
const MAX_BODY_BYTES = 1024 * 1024;

export type Invoke = (operation: string, body: Record<string, unknown>) => Promise<OperationResult>;

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(json),
    'x-amzn-requestid': randomUUID(),
    ...headers,
  });
  res.end(json);
}

function sendError(res: ServerResponse, error: CognitoServiceError): void {
  send(
    res,
    error.statusCode,
    { __type: error.type, message: error.message },
    { 'x-amzn-errortype': error.type },
  );
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new CognitoServiceError('SerializationException', 'Request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function wellKnown(deps: Deps, req: IncomingMessage, res: ServerResponse): boolean {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  const match = /^\/([^/]+)\/\.well-known\/(jwks\.json|openid-configuration)$/.exec(path);
  if (!match) return false;
  const [, poolId = '', document] = match;
  const pool = deps.store.state.pools[poolId];
  if (!pool) {
    send(
      res,
      404,
      { message: `User pool ${poolId} does not exist.` },
      { 'content-type': 'application/json' },
    );
    return true;
  }
  const json = { 'content-type': 'application/json' };
  if (document === 'jwks.json') {
    send(res, 200, { keys: [toJwk(pool.keys.id), toJwk(pool.keys.access)] }, json);
  } else {
    send(
      res,
      200,
      {
        issuer: issuerOf(deps.region, pool.id),
        jwks_uri: `${deps.endpoint()}/${pool.id}/.well-known/jwks.json`,
        id_token_signing_alg_values_supported: ['RS256'],
        response_types_supported: ['code', 'token'],
        scopes_supported: ['openid', 'email', 'phone', 'profile'],
        subject_types_supported: ['public'],
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      },
      json,
    );
  }
  return true;
}

/**
 * Serves the AWS JSON 1.1 protocol (`POST /` with `X-Amz-Target`) and each pool's
 * `/.well-known/jwks.json` and `/.well-known/openid-configuration`.
 */
export function createHttpHandler(deps: Deps, invoke: Invoke): HttpHandler {
  return async (req, res) => {
    try {
      if ((req.method === 'GET' || req.method === 'HEAD') && wellKnown(deps, req, res)) return;
      if (req.method !== 'POST') {
        send(res, 404, { message: 'Not found' }, { 'content-type': 'application/json' });
        return;
      }
      const target = String(req.headers['x-amz-target'] ?? '');
      const text = await readBody(req);
      if (!target.startsWith(TARGET_PREFIX)) {
        throw new CognitoServiceError(
          'UnknownOperationException',
          `Unknown X-Amz-Target: ${target || '(none)'}`,
        );
      }
      let body: unknown;
      try {
        body = text.trim() === '' ? {} : JSON.parse(text);
      } catch (cause) {
        throw new CognitoServiceError('SerializationException', 'The request body is not valid JSON', {
          cause,
        });
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw new CognitoServiceError('SerializationException', 'The request body must be a JSON object');
      }
      send(res, 200, await invoke(target.slice(TARGET_PREFIX.length), body as Record<string, unknown>));
    } catch (error) {
      if (error instanceof CognitoServiceError) {
        sendError(res, error);
        return;
      }
      process.stderr.write(
        `cognito emulator: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      sendError(
        res,
        new CognitoServiceError('InternalErrorException', 'Internal server error.', { statusCode: 500 }),
      );
    }
  };
}
