import { randomBytes, randomInt, scrypt, timingSafeEqual } from 'node:crypto';
import { invalidParameter, invalidPassword } from './errors.js';
import type { PasswordPolicy } from './model.js';

/**
 * scrypt with a deliberately small cost: this is a local emulator, the point is that no plaintext
 * password is ever stored, and logins must stay fast (a benchmark logs in hundreds of times).
 */
const SCRYPT = { N: 1024, r: 8, p: 1, keyLength: 32 } as const;

/** Cognito's symbol set for RequireSymbols. */
const SYMBOLS = '^$*.[]{}()?"!@#%&/\\,><\':;|_~`=+-';

export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = {
  MinimumLength: 8,
  RequireUppercase: true,
  RequireLowercase: true,
  RequireNumbers: true,
  RequireSymbols: true,
  TemporaryPasswordValidityDays: 7,
};

function derive(password: string, salt: Buffer, N: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, SCRYPT.keyLength, { N, r, p }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** `scrypt$N$r$p$salt$hash` (base64url parts). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, SCRYPT.N, SCRYPT.r, SCRYPT.p);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join(
    '$',
  );
}

export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = encoded.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'), Number(n), Number(r), Number(p));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** The request-model check AWS applies to every password field before the policy. */
export function checkPasswordShape(password: string, field: string): void {
  if (password.length === 0 || password.length > 256 || !/^\S(?:.*\S)?$/su.test(password)) {
    throw invalidParameter(
      `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[\\S]+.*[\\S]+$`,
    );
  }
}

/** Throws InvalidPasswordException (with AWS's wording) when the password breaks the policy. */
export function checkPasswordPolicy(password: string, policy: PasswordPolicy): void {
  const fail = (reason: string) => invalidPassword(`Password did not conform with policy: ${reason}`);
  if ([...password].length < policy.MinimumLength) throw fail('Password not long enough');
  if (policy.RequireUppercase && !/[A-Z]/.test(password))
    throw fail('Password must have uppercase characters');
  if (policy.RequireLowercase && !/[a-z]/.test(password))
    throw fail('Password must have lowercase characters');
  if (policy.RequireNumbers && !/[0-9]/.test(password)) throw fail('Password must have numeric characters');
  if (policy.RequireSymbols && ![...password].some((c) => SYMBOLS.includes(c))) {
    throw fail('Password must have symbol characters');
  }
}

/** A random password that satisfies the policy, as Cognito generates for AdminCreateUser. */
export function generatePassword(policy: PasswordPolicy): string {
  const upper = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
  const lower = 'abcdefghijkmnopqrstuvwxyz';
  const digits = '23456789';
  const symbols = '!#$%&*+-=?@^_~';
  const pick = (set: string) => set.charAt(randomInt(set.length));
  const chars = [pick(upper), pick(lower), pick(digits), pick(symbols)];
  const all = upper + lower + digits + symbols;
  while (chars.length < Math.max(policy.MinimumLength, 12)) chars.push(pick(all));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j] as string, chars[i] as string];
  }
  return chars.join('');
}
