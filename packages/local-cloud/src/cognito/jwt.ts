import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import type { SigningKey } from './model.js';

/** A fresh RSA 2048 key; the kid is derived from the public modulus, like AWS's base64 kids. */
export function createSigningKey(): Promise<SigningKey> {
  return new Promise((resolve, reject) => {
    generateKeyPair('rsa', { modulusLength: 2048 }, (error, publicKey, privateKey) => {
      if (error) return reject(error);
      const jwk = publicKey.export({ format: 'jwk' });
      if (typeof jwk.n !== 'string' || typeof jwk.e !== 'string')
        return reject(new Error('RSA key without n/e'));
      resolve({
        kid: createHash('sha256').update(jwk.n).digest('base64'),
        privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
        publicJwk: { kty: 'RSA', n: jwk.n, e: jwk.e },
      });
    });
  });
}

/** The JWKS entry AWS publishes for a key. */
export const toJwk = (key: SigningKey) => ({
  alg: 'RS256',
  e: key.publicJwk.e,
  kid: key.kid,
  kty: 'RSA',
  n: key.publicJwk.n,
  use: 'sig',
});

const privateKeys = new Map<string, KeyObject>();
const publicKeys = new Map<string, KeyObject>();

function privateKeyOf(key: SigningKey): KeyObject {
  let k = privateKeys.get(key.kid);
  if (!k) {
    k = createPrivateKey(key.privateKeyPem);
    privateKeys.set(key.kid, k);
  }
  return k;
}

function publicKeyOf(key: SigningKey): KeyObject {
  let k = publicKeys.get(key.kid);
  if (!k) {
    k = createPublicKey({ key: toJwk(key), format: 'jwk' });
    publicKeys.set(key.kid, k);
  }
  return k;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Signs claims as an RS256 JWT with header `{kid, alg}` (AWS's header has no `typ`). */
export function signJwt(key: SigningKey, claims: Record<string, unknown>): string {
  const input = `${b64({ kid: key.kid, alg: 'RS256' })}.${b64(claims)}`;
  return `${input}.${sign('RSA-SHA256', Buffer.from(input), privateKeyOf(key)).toString('base64url')}`;
}

export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signingInput: string;
  signature: Buffer;
}

/** Splits a compact JWT without trusting it; undefined when it is not one. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [h = '', p = '', s = ''] = parts;
  try {
    const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as unknown;
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as unknown;
    if (!isObject(header) || !isObject(payload)) return undefined;
    return { header, payload, signingInput: `${h}.${p}`, signature: Buffer.from(s, 'base64url') };
  } catch {
    return undefined;
  }
}

/** Whether the token carries this key's kid, alg RS256 and a valid signature by it. */
export function verifyJwtSignature(jwt: DecodedJwt, key: SigningKey): boolean {
  if (jwt.header.alg !== 'RS256' || jwt.header.kid !== key.kid) return false;
  return verify('RSA-SHA256', Buffer.from(jwt.signingInput), publicKeyOf(key), jwt.signature);
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
