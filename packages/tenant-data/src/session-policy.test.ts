import { describe, expect, it } from 'vitest';
import { buildTenantSessionPolicy, TENANT_DATA_ACTIONS } from './session-policy.js';

const TABLE = 'arn:aws:dynamodb:us-east-1:123456789012:table/tenantry-dev-products';

/** IAM `StringLike`: `*` matches any run of characters, `?` one character. */
const stringLike = (pattern: string, value: string) =>
  new RegExp(
    `^${[...pattern].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\#-]/g, '\\$&'))).join('')}$`,
  ).test(value);
const allows = (tenantId: string, pk: string) =>
  buildTenantSessionPolicy({ tenantId, tableArns: [TABLE] }).Statement[0]?.Condition[
    'ForAllValues:StringLike'
  ]['dynamodb:LeadingKeys'].some((pattern) => stringLike(pattern, pk));

describe('buildTenantSessionPolicy', () => {
  it("allows the item actions on the table for the tenant's partitions only", () => {
    expect(buildTenantSessionPolicy({ tenantId: 'acme', tableArns: [TABLE] })).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'TenantItems',
          Effect: 'Allow',
          Action: [...TENANT_DATA_ACTIONS],
          Resource: [TABLE],
          Condition: {
            'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['TENANT#acme', 'TENANT#acme#*'] },
          },
        },
      ],
    });
  });

  it('never allows Scan, PartiQL or a wildcard action', () => {
    const actions = buildTenantSessionPolicy({ tenantId: 'acme', tableArns: [TABLE] }).Statement.flatMap(
      (s) => s.Action,
    );
    expect(actions.some((action) => /Scan|Statement|PartiQL|\*/.test(action))).toBe(false);
  });

  it.each([
    ['acme', 'acme-corp'],
    ['acme-corp', 'acme'],
    ['a', 'ab'],
    ['ab', 'a'],
  ])("does not let %s reach %s's partitions", (tenant, other) => {
    for (const pk of [`TENANT#${other}`, `TENANT#${other}#0`, `TENANT#${other}#3`])
      expect(allows(tenant, pk)).toBe(false);
    for (const pk of [`TENANT#${tenant}`, `TENANT#${tenant}#0`, `TENANT#${tenant}#3`])
      expect(allows(tenant, pk)).toBe(true);
  });

  it.each(['acme#', 'acme*', 'a?', 'ACME', '', 'acme" , "*', 'x'.repeat(64)])(
    'refuses the invalid tenant id %j before building a policy',
    (tenantId) => {
      expect(() => buildTenantSessionPolicy({ tenantId, tableArns: [TABLE] })).toThrow(TypeError);
    },
  );

  it('refuses table ARNs with wildcards and an empty table list', () => {
    expect(() =>
      buildTenantSessionPolicy({
        tenantId: 'acme',
        tableArns: ['arn:aws:dynamodb:us-east-1:123456789012:table/*'],
      }),
    ).toThrow(/ARN/);
    expect(() => buildTenantSessionPolicy({ tenantId: 'acme', tableArns: [] })).toThrow(/empty/);
  });

  it('covers the indexes it is given', () => {
    const index = `${TABLE}/index/bySku`;
    const policy = buildTenantSessionPolicy({ tenantId: 'acme', tableArns: [TABLE], indexArns: [index] });
    expect(policy.Statement[0]?.Resource).toEqual([TABLE, index]);
  });

  it('fits in the 2,048 characters STS accepts for the longest tenant id', () => {
    const policy = buildTenantSessionPolicy({ tenantId: 'a'.repeat(63), tableArns: [TABLE] });
    expect(JSON.stringify(policy).length).toBeLessThan(2048);
  });
});
