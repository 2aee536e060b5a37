import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { invalidParameter } from './errors.js';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

export function randomString(alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet.charAt(randomInt(alphabet.length));
  return out;
}

/** `us-east-1_AbC123xyZ` */
export const newUserPoolId = (region: string): string => `${region}_${randomString(ALNUM, 9)}`;
/** 26 lowercase alphanumerics, as AWS app client ids. */
export const newClientId = (): string => randomString(LOWER_ALNUM, 26);
export const newClientSecret = (): string => randomString(LOWER_ALNUM, 51);
/** An opaque challenge session. */
export const newSession = (): string => randomBytes(96).toString('base64url');
export const newSecret = (): string => randomBytes(32).toString('base64url');

/**
 * Opaque, tamper-proof paging tokens: `base64url(json).hmac`, bound to a scope (operation, pool,
 * query) so that a token from one listing is refused by another.
 */
export function encodePageToken(secret: string, scope: string, position: string): string {
  const body = Buffer.from(JSON.stringify({ s: scope, p: position })).toString('base64url');
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

export function decodePageToken(secret: string, scope: string, token: string): string {
  const [body = '', mac = ''] = token.split('.');
  const expected = createHmac('sha256', secret).update(body).digest();
  const given = Buffer.from(mac, 'base64url');
  if (given.length === expected.length && timingSafeEqual(given, expected)) {
    const parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as {
      s?: unknown;
      p?: unknown;
    };
    if (parsed.s === scope && typeof parsed.p === 'string') return parsed.p;
  }
  throw invalidParameter('Invalid pagination token.');
}
