import { describe, expect, it } from 'vitest';
import { UnauthorizedError } from './errors.js';
import { bearerToken, buildAllowPolicy, parseMethodArn } from './policy.js';

const methodArn = 'arn:aws:execute-api:us-east-1:123456789012:abc123/dev/GET/products/p-1';

describe('buildAllowPolicy', () => {
  it('allows every method of the calling API stage', () => {
    const result = buildAllowPolicy({
      principalId: 'user-1',
      methodArn,
      context: { tenantId: 't1', userId: 'user-1', role: 'TenantUser' },
    });
    expect(result.principalId).toBe('user-1');
    expect(result.policyDocument.Statement).toEqual([
      {
        Action: 'execute-api:Invoke',
        Effect: 'Allow',
        Resource: 'arn:aws:execute-api:us-east-1:123456789012:abc123/dev/*/*',
      },
    ]);
  });

  it('passes the identity as context and leaves out an unknown tier', () => {
    const context = { tenantId: 't1', userId: 'user-1', role: 'TenantAdmin' };
    expect(buildAllowPolicy({ principalId: 'user-1', methodArn, context }).context).toEqual(context);
    expect(
      buildAllowPolicy({ principalId: 'user-1', methodArn, context: { ...context, tier: 'premium' } })
        .context,
    ).toEqual({ ...context, tier: 'premium' });
  });

  it('adds the usage identifier key when given', () => {
    const result = buildAllowPolicy({
      principalId: 'u',
      methodArn,
      context: { tenantId: 't1', userId: 'u', role: 'TenantUser' },
      usageIdentifierKey: 'key-value',
    });
    expect(result.usageIdentifierKey).toBe('key-value');
  });

  it('refuses a malformed method ARN', () => {
    expect(() =>
      buildAllowPolicy({
        principalId: 'u',
        methodArn: 'arn:aws:lambda:x',
        context: { tenantId: 't', userId: 'u', role: 'r' },
      }),
    ).toThrow(UnauthorizedError);
  });
});

describe('parseMethodArn', () => {
  it('splits the ARN into API id, stage, method and path', () => {
    expect(parseMethodArn(methodArn)).toEqual({
      partition: 'aws',
      region: 'us-east-1',
      accountId: '123456789012',
      apiId: 'abc123',
      stage: 'dev',
      method: 'GET',
      resourcePath: '/products/p-1',
    });
  });
});

describe('bearerToken', () => {
  it('reads the token whatever the header name case', () => {
    expect(bearerToken({ authorization: 'Bearer a.b.c' })).toBe('a.b.c');
    expect(bearerToken({ Authorization: 'bearer a.b.c' })).toBe('a.b.c');
  });

  it.each([
    ['no header', {}],
    ['no Bearer scheme', { Authorization: 'a.b.c' }],
    ['a Basic credential', { Authorization: 'Basic dXNlcjpwYXNz' }],
    ['an empty token', { Authorization: 'Bearer ' }],
  ])('throws Unauthorized for %s', (_name, headers) => {
    expect(() => bearerToken(headers)).toThrow('Unauthorized');
  });
});
