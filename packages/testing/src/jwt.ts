import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An RSA signing key with the public half as a JWK, like a Cognito user pool's key. */
export interface TestSigningKey {
  kid: string;
  privateKey: KeyObject;
  publicJwk: Record<string, string>;
}

/** Generates a fresh RS256 key pair (about 50 ms; generate once per test file). */
export function createTestSigningKey(kid = 'test-key-1'): TestSigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' }) as Record<string, string>;
  return { kid, privateKey, publicJwk: { ...jwk, kid, alg: 'RS256', use: 'sig' } };
}

const base64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * Signs a JWT with RS256. `header` overrides the default header (e.g. `{ alg: 'none' }`; with
 * `alg: 'none'` the token is emitted unsigned).
 */
export function signJwt(
  key: TestSigningKey,
  payload: Record<string, unknown>,
  header: Record<string, unknown> = {},
): string {
  const fullHeader = { alg: 'RS256', typ: 'JWT', kid: key.kid, ...header };
  const signingInput = `${base64url(fullHeader)}.${base64url(payload)}`;
  if (fullHeader.alg === 'none') return `${signingInput}.`;
  const signature = createSign('RSA-SHA256').update(signingInput).sign(key.privateKey).toString('base64url');
  return `${signingInput}.${signature}`;
}

/** Claims of a Cognito ID token, valid for an hour from now unless overridden. */
export function cognitoIdTokenClaims(input: {
  region?: string;
  userPoolId: string;
  appClientId: string;
  sub?: string;
  tenantId?: string;
  role?: string;
  email?: string;
  overrides?: Record<string, unknown>;
}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    sub: input.sub ?? '11111111-2222-3333-4444-555555555555',
    iss: `https://cognito-idp.${input.region ?? 'us-east-1'}.amazonaws.com/${input.userPoolId}`,
    aud: input.appClientId,
    token_use: 'id',
    auth_time: now,
    iat: now,
    exp: now + 3600,
    email: input.email ?? 'user@example.com',
    ...(input.tenantId === undefined ? {} : { 'custom:tenantId': input.tenantId }),
    ...(input.role === undefined ? {} : { 'custom:userRole': input.role }),
    ...input.overrides,
  };
}

/** A JWKS endpoint on 127.0.0.1 serving `/<anything>/.well-known/jwks.json` like Cognito. */
export interface JwksServer {
  /** Base URL to use as the Cognito endpoint, e.g. `http://127.0.0.1:53123`. */
  url: string;
  /** How many JWKS requests the server answered. */
  requests: () => number;
  close: () => Promise<void>;
}

/** Starts a JWKS server on a free port of 127.0.0.1 serving the public halves of `keys`. */
export async function startJwksServer(keys: TestSigningKey[]): Promise<JwksServer> {
  let requests = 0;
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url?.endsWith('/.well-known/jwks.json')) {
      requests += 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: keys.map((key) => key.publicJwk) }));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
