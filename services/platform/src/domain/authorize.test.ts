import { type IdTokenVerifier, UnauthorizedError, type VerifiedIdToken } from '@tenantry/identity';
import { OPERATIONS_TENANT_ID } from '@tenantry/tenant-middleware';
import { describe, expect, it } from 'vitest';
import { type AuthorizeDeps, authorize, identityOf } from './authorize.js';

const methodArn = (apiId: string) => `arn:aws:execute-api:us-east-1:123456789012:${apiId}/dev/GET/users/u-1`;
const token = (overrides: Partial<VerifiedIdToken> = {}): VerifiedIdToken => ({
  userPoolId: 'pooled',
  sub: 'user-1',
  email: 'a@example.com',
  tenantId: 'tenant-a',
  role: 'TenantAdmin',
  claims: {},
  ...overrides,
});
const verifierReturning = (verified: VerifiedIdToken): IdTokenVerifier => ({ verify: async () => verified });
const deps = (verified: VerifiedIdToken): AuthorizeDeps => ({
  verifierFor: (apiId) => (apiId === 'known' ? verifierReturning(verified) : undefined),
  operationsUserPoolId: 'ops',
});
const headers = { Authorization: 'Bearer a.b.c' };

describe('authorize', () => {
  it('allows a verified caller with the identity as context', async () => {
    const result = await authorize(deps(token()), { methodArn: methodArn('known'), headers });
    expect(result.principalId).toBe('user-1');
    expect(result.context).toEqual({ tenantId: 'tenant-a', userId: 'user-1', role: 'TenantAdmin' });
    expect(result.policyDocument.Statement[0]).toMatchObject({ Effect: 'Allow' });
  });

  it('refuses a request to an API it does not know', async () => {
    await expect(authorize(deps(token()), { methodArn: methodArn('other'), headers })).rejects.toThrow(
      UnauthorizedError,
    );
  });

  it('refuses a request without a bearer token', async () => {
    await expect(authorize(deps(token()), { methodArn: methodArn('known'), headers: {} })).rejects.toThrow(
      UnauthorizedError,
    );
  });
});

describe('identityOf', () => {
  it('makes an operations-pool SystemAdmin a member of no tenant', () => {
    expect(
      identityOf(token({ userPoolId: 'ops', role: 'SystemAdmin', tenantId: 'tenant-a' }), 'ops'),
    ).toEqual({
      tenantId: OPERATIONS_TENANT_ID,
      userId: 'user-1',
      role: 'SystemAdmin',
    });
  });

  it.each([
    ['an operations-pool user who is not a SystemAdmin', token({ userPoolId: 'ops', role: 'TenantAdmin' })],
    ['a tenant-pool user claiming SystemAdmin', token({ role: 'SystemAdmin' })],
    ['a tenant-pool user without a tenant', token({ tenantId: undefined })],
    ['a tenant-pool user without a role', token({ role: undefined })],
  ])('refuses %s', (_name, verified) => {
    expect(() => identityOf(verified, 'ops')).toThrow(UnauthorizedError);
  });
});
