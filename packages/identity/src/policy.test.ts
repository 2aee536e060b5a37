import { describe, expect, it } from 'vitest';
import { UnauthorizedError } from './errors.js';
import { bearerToken, buildDenyPolicy, buildRolePolicy, parseMethodArn } from './policy.js';

const methodArn = 'arn:aws:execute-api:us-east-1:123456789012:abc123/dev/GET/products/p-1';
const prefix = 'arn:aws:execute-api:us-east-1:123456789012:abc123/dev';
const resources = (result: ReturnType<typeof buildRolePolicy>) =>
  result.policyDocument.Statement.flatMap((statement) =>
    'Resource' in statement ? [statement.Resource ?? []].flat() : [],
  );

describe('buildRolePolicy', () => {
  it('allows exactly the app routes of a TenantUser, as ARNs of the calling API stage', () => {
    const result = buildRolePolicy({
      api: 'app',
      principalId: 'user-1',
      methodArn,
      context: { tenantId: 't1', userId: 'user-1', role: 'TenantUser' },
    });
    expect(result.principalId).toBe('user-1');
    expect(result.policyDocument.Statement).toHaveLength(1);
    expect(result.policyDocument.Statement[0]).toMatchObject({
      Effect: 'Allow',
      Action: 'execute-api:Invoke',
    });
    expect(resources(result)).toEqual([
      `${prefix}/GET/products`,
      `${prefix}/POST/products`,
      `${prefix}/GET/products/*`,
      `${prefix}/PUT/products/*`,
      `${prefix}/GET/orders`,
      `${prefix}/POST/orders`,
      `${prefix}/GET/orders/*`,
      `${prefix}/PUT/orders/*`,
    ]);
  });

  it('covers no DELETE for a TenantUser and both DELETEs for a TenantAdmin', () => {
    const policyOf = (role: string) =>
      resources(
        buildRolePolicy({
          api: 'app',
          principalId: 'u',
          methodArn,
          context: { tenantId: 't1', userId: 'u', role },
        }),
      );
    expect(policyOf('TenantUser').filter((arn) => arn.includes('/DELETE/'))).toEqual([]);
    expect(policyOf('TenantAdmin').filter((arn) => arn.includes('/DELETE/'))).toEqual([
      `${prefix}/DELETE/products/*`,
      `${prefix}/DELETE/orders/*`,
    ]);
  });

  it('gives a SystemAdmin the control-plane routes and nothing on the app API', () => {
    const context = { tenantId: 'operations', userId: 'a', role: 'SystemAdmin' };
    const control = buildRolePolicy({ api: 'controlPlane', principalId: 'a', methodArn, context });
    expect(resources(control)).toContain(`${prefix}/POST/tenants/*/deactivate`);
    expect(resources(control)).toContain(`${prefix}/GET/tenants`);
    const app = buildRolePolicy({ api: 'app', principalId: 'a', methodArn, context });
    expect(app.policyDocument.Statement).toEqual([
      { Action: 'execute-api:Invoke', Effect: 'Deny', Resource: `${prefix}/*/*` },
    ]);
  });

  it('never uses a wildcard for the method or the whole stage in an Allow', () => {
    for (const role of ['SystemAdmin', 'TenantAdmin', 'TenantUser']) {
      for (const api of ['controlPlane', 'app'] as const) {
        const result = buildRolePolicy({
          api,
          principalId: 'u',
          methodArn,
          context: { tenantId: 't', userId: 'u', role },
        });
        if (result.policyDocument.Statement[0]?.Effect !== 'Allow') continue;
        for (const arn of resources(result)) {
          expect(arn).toMatch(
            /^arn:aws:execute-api:us-east-1:123456789012:abc123\/dev\/(GET|POST|PUT|PATCH|DELETE)\/[a-z]/,
          );
        }
      }
    }
  });

  it('passes the identity as context and the usage identifier key when given', () => {
    const context = { tenantId: 't1', userId: 'user-1', role: 'TenantAdmin', tier: 'premium' };
    const result = buildRolePolicy({
      api: 'app',
      principalId: 'user-1',
      methodArn,
      context,
      usageIdentifierKey: 'k',
    });
    expect(result.context).toEqual(context);
    expect(result.usageIdentifierKey).toBe('k');
  });

  it('refuses a malformed method ARN', () => {
    expect(() =>
      buildRolePolicy({
        api: 'app',
        principalId: 'u',
        methodArn: 'arn:aws:lambda:x',
        context: { tenantId: 't', userId: 'u', role: 'TenantUser' },
      }),
    ).toThrow(UnauthorizedError);
  });
});

describe('buildDenyPolicy', () => {
  it('denies every method of the calling API stage', () => {
    expect(buildDenyPolicy({ principalId: 'u', methodArn }).policyDocument.Statement).toEqual([
      { Action: 'execute-api:Invoke', Effect: 'Deny', Resource: `${prefix}/*/*` },
    ]);
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
