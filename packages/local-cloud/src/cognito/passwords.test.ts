import { describe, expect, it } from 'vitest';
import {
  checkPasswordPolicy,
  checkPasswordShape,
  DEFAULT_PASSWORD_POLICY,
  generatePassword,
  hashPassword,
  verifyPassword,
} from './passwords.js';

describe('password hashing', () => {
  it('stores a salted scrypt hash that verifies only the right password', async () => {
    const a = await hashPassword('Secret#1');
    const b = await hashPassword('Secret#1');
    expect(a).toMatch(/^scrypt\$/);
    expect(a).not.toContain('Secret#1');
    expect(a).not.toBe(b);
    expect(await verifyPassword('Secret#1', a)).toBe(true);
    expect(await verifyPassword('Secret#2', a)).toBe(false);
    expect(await verifyPassword('Secret#1', 'plain')).toBe(false);
  });
});

describe('password policy', () => {
  it('names the first rule a password breaks, in AWS wording', () => {
    const policy = DEFAULT_PASSWORD_POLICY;
    expect(() => checkPasswordPolicy('Ab1!', policy)).toThrow(
      'Password did not conform with policy: Password not long enough',
    );
    expect(() => checkPasswordPolicy('abcdefg1!', policy)).toThrow('Password must have uppercase characters');
    expect(() => checkPasswordPolicy('ABCDEFG1!', policy)).toThrow('Password must have lowercase characters');
    expect(() => checkPasswordPolicy('Abcdefgh!', policy)).toThrow('Password must have numeric characters');
    expect(() => checkPasswordPolicy('Abcdefgh1', policy)).toThrow('Password must have symbol characters');
    expect(() => checkPasswordPolicy('Abcdefg1!', policy)).not.toThrow();
  });

  it('accepts what a relaxed policy allows', () => {
    const relaxed = {
      ...DEFAULT_PASSWORD_POLICY,
      RequireSymbols: false,
      RequireUppercase: false,
      MinimumLength: 6,
    };
    expect(() => checkPasswordPolicy('abcde1', relaxed)).not.toThrow();
  });

  it('refuses leading or trailing whitespace before the policy', () => {
    expect(() => checkPasswordShape(' Abcdefg1!', 'password')).toThrow(/regular expression/);
    expect(() => checkPasswordShape('Abc defg1!', 'password')).not.toThrow();
  });

  it('generates passwords that satisfy the policy they are generated for', () => {
    const strict = { ...DEFAULT_PASSWORD_POLICY, MinimumLength: 20 };
    for (let i = 0; i < 50; i++) {
      const password = generatePassword(strict);
      expect(password.length).toBeGreaterThanOrEqual(20);
      expect(() => checkPasswordPolicy(password, strict)).not.toThrow();
    }
  });
});
