import { beforeAll, describe, expect, it } from 'vitest';
import { createSigningKey, decodeJwt, signJwt, toJwk, verifyJwtSignature } from './jwt.js';
import type { SigningKey } from './model.js';

let a: SigningKey;
let b: SigningKey;

beforeAll(async () => {
  [a, b] = await Promise.all([createSigningKey(), createSigningKey()]);
});

describe('jwt', () => {
  it('creates distinct RSA keys with distinct kids', () => {
    expect(a.kid).not.toBe(b.kid);
    expect(toJwk(a)).toMatchObject({ alg: 'RS256', kty: 'RSA', use: 'sig', e: 'AQAB', kid: a.kid });
    expect(Buffer.from(a.publicJwk.n, 'base64url').length).toBe(256);
  });

  it('signs a token that verifies with its key only', () => {
    const jwt = decodeJwt(signJwt(a, { sub: 'x' }));
    expect(jwt?.header).toEqual({ kid: a.kid, alg: 'RS256' });
    expect(jwt && verifyJwtSignature(jwt, a)).toBe(true);
    expect(jwt && verifyJwtSignature(jwt, b)).toBe(false);
  });

  it('rejects a token whose payload was changed after signing', () => {
    const [h, , s] = signJwt(a, { sub: 'x' }).split('.');
    const jwt = decodeJwt(`${h}.${Buffer.from('{"sub":"y"}').toString('base64url')}.${s}`);
    expect(jwt && verifyJwtSignature(jwt, a)).toBe(false);
  });

  it('refuses to decode what is not a JWT', () => {
    expect(decodeJwt('a.b')).toBeUndefined();
    expect(decodeJwt('not.json.here')).toBeUndefined();
  });
});
