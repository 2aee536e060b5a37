import {
  cognitoIdTokenClaims,
  createTestSigningKey,
  type JwksServer,
  signJwt,
  startJwksServer,
} from '@tenantry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JwksUnavailableError, UnauthorizedError } from './errors.js';
import { createIdTokenVerifier, type IdTokenVerifier } from './verifier.js';

const region = 'us-east-1';
const pooled = { userPoolId: 'us-east-1_pooled', appClientId: 'pooled-client' };
const operations = { userPoolId: 'us-east-1_ops', appClientId: 'ops-client' };
const key = createTestSigningKey('kid-1');
const otherKey = createTestSigningKey('kid-1');

let server: JwksServer;
let verifier: IdTokenVerifier;

const claims = (overrides: Record<string, unknown> = {}, pool = pooled) =>
  cognitoIdTokenClaims({ region, ...pool, tenantId: 'tenant-a', role: 'TenantAdmin', overrides });

beforeAll(async () => {
  server = await startJwksServer([key]);
  verifier = createIdTokenVerifier({ region, pools: [pooled, operations], cognitoEndpoint: server.url });
});
afterAll(() => server.close());

describe('createIdTokenVerifier', () => {
  it('accepts an ID token of an accepted pool and returns its identity', async () => {
    const token = signJwt(key, claims({ sub: 'user-1' }));
    await expect(verifier.verify(token)).resolves.toMatchObject({
      userPoolId: pooled.userPoolId,
      sub: 'user-1',
      tenantId: 'tenant-a',
      role: 'TenantAdmin',
      email: 'user@example.com',
    });
  });

  it('tells which accepted pool issued the token', async () => {
    const token = signJwt(key, claims({}, operations));
    await expect(verifier.verify(token)).resolves.toMatchObject({ userPoolId: operations.userPoolId });
  });

  it('fetches the keys over http from the configured endpoint and caches them', async () => {
    const fresh = createIdTokenVerifier({ region, pools: [pooled], cognitoEndpoint: server.url });
    const before = server.requests();
    await fresh.verify(signJwt(key, claims()));
    await fresh.verify(signJwt(key, claims()));
    expect(server.requests() - before).toBe(1);
  });

  it.each([
    [
      'a token of a pool this API does not accept',
      () => signJwt(key, claims({}, { ...pooled, userPoolId: 'us-east-1_silo' })),
    ],
    [
      'a token with a local issuer',
      () => signJwt(key, claims({ iss: `${server.url}/${pooled.userPoolId}` })),
    ],
    ['a token for another app client', () => signJwt(key, claims({ aud: 'other-client' }))],
    [
      'a token of one pool for the client of the other',
      () => signJwt(key, claims({ aud: operations.appClientId })),
    ],
    ['an expired token', () => signJwt(key, claims({ exp: Math.floor(Date.now() / 1000) - 60 }))],
    ['an access token', () => signJwt(key, claims({ token_use: 'access', client_id: pooled.appClientId }))],
    ['an unsigned token (alg none)', () => signJwt(key, claims(), { alg: 'none' })],
    ['a token signed by another key with the same kid', () => signJwt(otherKey, claims())],
    [
      'a token with a tampered payload',
      () => {
        const [header, , signature] = signJwt(key, claims()).split('.');
        const payload = Buffer.from(JSON.stringify(claims({ 'custom:tenantId': 'tenant-b' }))).toString(
          'base64url',
        );
        return `${header}.${payload}.${signature}`;
      },
    ],
    ['garbage', () => 'not-a-jwt'],
  ])('rejects %s', async (_name, makeToken) => {
    await expect(verifier.verify(makeToken())).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it('reports unreachable keys as unavailable rather than as a bad token', async () => {
    const unreachable = createIdTokenVerifier({
      region,
      pools: [pooled],
      cognitoEndpoint: 'http://127.0.0.1:1',
    });
    await expect(unreachable.verify(signJwt(key, claims()))).rejects.toBeInstanceOf(JwksUnavailableError);
  });

  it('refetches the keys for an unknown kid at most once per 10 s', async () => {
    const fresh = createIdTokenVerifier({ region, pools: [pooled], cognitoEndpoint: server.url });
    await fresh.verify(signJwt(key, claims()));
    const before = server.requests();
    const unknown = createTestSigningKey('kid-unknown');
    for (let i = 0; i < 3; i += 1) {
      await expect(fresh.verify(signJwt(unknown, claims()))).rejects.toBeInstanceOf(UnauthorizedError);
    }
    expect(server.requests() - before).toBe(1);
  });

  it('chooses the pool from its allow-list, never from the unverified issuer claim', async () => {
    // Each pool has its own key, as in Cognito; a token signed by the pooled pool's key that claims
    // the operations pool's issuer is checked against the operations JWKS and fails.
    const opsKey = createTestSigningKey('ops-kid');
    const pooledKey = createTestSigningKey('pooled-kid');
    const siloKey = createTestSigningKey('silo-kid');
    const fetched: string[] = [];
    const jwksOf: Record<string, unknown> = {
      [operations.userPoolId]: { keys: [opsKey.publicJwk] },
      [pooled.userPoolId]: { keys: [pooledKey.publicJwk] },
      'us-east-1_silo': { keys: [siloKey.publicJwk] },
    };
    const separate = createIdTokenVerifier({
      region,
      pools: [pooled, operations],
      cognitoEndpoint: 'http://cognito.test',
      fetcher: {
        fetch: async (uri: string) => {
          fetched.push(uri);
          const poolId = new URL(uri).pathname.split('/')[1] ?? '';
          return new TextEncoder().encode(JSON.stringify(jwksOf[poolId])).buffer as ArrayBuffer;
        },
      },
    });
    await expect(separate.verify(signJwt(pooledKey, claims()))).resolves.toMatchObject({
      userPoolId: pooled.userPoolId,
    });
    const forged = signJwt(pooledKey, claims({}, operations), { kid: 'ops-kid' });
    await expect(separate.verify(forged)).rejects.toBeInstanceOf(UnauthorizedError);
    const foreign = signJwt(siloKey, claims({}, { ...pooled, userPoolId: 'us-east-1_silo' }));
    await expect(separate.verify(foreign)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(fetched.some((uri) => uri.includes('us-east-1_silo'))).toBe(false);
  });

  it('refuses to build a verifier that accepts no pool', () => {
    expect(() => createIdTokenVerifier({ region, pools: [] })).toThrow(TypeError);
  });
});
