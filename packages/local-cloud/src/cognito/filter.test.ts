import { describe, expect, it } from 'vitest';
import { matchesFilter, parseUserFilter } from './filter.js';

const user = {
  username: 'Ann',
  enabled: false,
  status: 'CONFIRMED',
  attributes: { email: 'ann@example.com', sub: 'abc' },
};

describe('parseUserFilter', () => {
  it('parses equality and prefix filters with escaped quotes', () => {
    expect(parseUserFilter('email = "ann@example.com"')).toEqual({
      attribute: 'email',
      operator: '=',
      value: 'ann@example.com',
    });
    expect(parseUserFilter('given_name ^= "A\\"n"')).toEqual({
      attribute: 'given_name',
      operator: '^=',
      value: 'A"n',
    });
  });

  it('treats an empty filter as no filter', () => {
    expect(parseUserFilter('  ')).toBeUndefined();
  });

  it('rejects unquoted values and custom attributes', () => {
    expect(() => parseUserFilter('email = ann')).toThrow('Error while parsing filter.');
    expect(() => parseUserFilter('custom:tenantId = "t1"')).toThrow(/custom:tenantId/);
  });
});

describe('matchesFilter', () => {
  it('compares status as Enabled/Disabled and cognito:user_status case-insensitively', () => {
    expect(matchesFilter(user, { attribute: 'status', operator: '=', value: 'Disabled' }, true)).toBe(true);
    expect(matchesFilter(user, { attribute: 'status', operator: '=', value: 'disabled' }, true)).toBe(false);
    expect(
      matchesFilter(user, { attribute: 'cognito:user_status', operator: '=', value: 'confirmed' }, true),
    ).toBe(true);
  });

  it('follows the pool case sensitivity for usernames only', () => {
    expect(matchesFilter(user, { attribute: 'username', operator: '=', value: 'ann' }, true)).toBe(false);
    expect(matchesFilter(user, { attribute: 'username', operator: '=', value: 'ann' }, false)).toBe(true);
    expect(matchesFilter(user, { attribute: 'email', operator: '^=', value: 'ANN' }, false)).toBe(false);
  });

  it('never matches a user without the attribute', () => {
    expect(matchesFilter(user, { attribute: 'phone_number', operator: '^=', value: '' }, true)).toBe(false);
  });
});
