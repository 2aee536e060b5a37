import { describe, expect, it } from 'vitest';
import { decodePageToken, encodePageToken, newClientId, newUserPoolId } from './ids.js';

describe('ids', () => {
  it('shapes pool and client ids as AWS does', () => {
    expect(newUserPoolId('eu-west-1')).toMatch(/^eu-west-1_[A-Za-z0-9]{9}$/);
    expect(newClientId()).toMatch(/^[a-z0-9]{26}$/);
  });
});

describe('page tokens', () => {
  it('round-trips a position within its scope', () => {
    const token = encodePageToken('k', 'ListUsers:p', '0007');
    expect(decodePageToken('k', 'ListUsers:p', token)).toBe('0007');
  });

  it('refuses a token from another scope, another key or with a changed body', () => {
    const token = encodePageToken('k', 'ListUsers:p', '0007');
    expect(() => decodePageToken('k', 'ListUsers:q', token)).toThrow('Invalid pagination token.');
    expect(() => decodePageToken('other', 'ListUsers:p', token)).toThrow('Invalid pagination token.');
    const [, mac] = token.split('.');
    const forged = `${Buffer.from(JSON.stringify({ s: 'ListUsers:p', p: '0001' })).toString('base64url')}.${mac}`;
    expect(() => decodePageToken('k', 'ListUsers:p', forged)).toThrow('Invalid pagination token.');
  });
});
