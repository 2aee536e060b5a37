import type { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { buildTenantCredentials } from './credentials.js';
import { buildTenantSessionPolicy } from './session-policy.js';

const ROLE = 'arn:aws:iam::123456789012:role/tenantry-products-dev-data';
const TABLE = 'arn:aws:dynamodb:us-east-1:123456789012:table/tenantry-dev-products';

function fakeSts(now: () => number) {
  const calls: AssumeRoleCommand['input'][] = [];
  let fail = false;
  return {
    calls,
    failNext: () => {
      fail = true;
    },
    sts: {
      send: async (command: AssumeRoleCommand) => {
        calls.push(command.input);
        if (fail) {
          fail = false;
          throw new Error('throttled');
        }
        return {
          Credentials: {
            AccessKeyId: `ASIA${calls.length}`,
            SecretAccessKey: 'secret',
            SessionToken: 'token',
            Expiration: new Date(now() + (command.input.DurationSeconds ?? 900) * 1000),
          },
        };
      },
    },
  };
}

describe('buildTenantCredentials', () => {
  it("assumes the data role with the tenant's session policy, sent as JSON of the built object", async () => {
    const clock = { now: 1_000_000 };
    const { sts, calls } = fakeSts(() => clock.now);
    const credentialsFor = buildTenantCredentials({
      sts: sts as never,
      roleArn: ROLE,
      tableArns: [TABLE],
      now: () => clock.now,
    });
    const credentials = await credentialsFor('acme');
    expect(credentials).toMatchObject({
      accessKeyId: 'ASIA1',
      secretAccessKey: 'secret',
      sessionToken: 'token',
    });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ RoleArn: ROLE, RoleSessionName: 'tenant-acme', DurationSeconds: 900 });
    expect(JSON.parse(calls[0]?.Policy as string)).toEqual(
      buildTenantSessionPolicy({ tenantId: 'acme', tableArns: [TABLE] }),
    );
  });

  it('keeps credentials per tenant until 60 s before they expire', async () => {
    const clock = { now: 1_000_000 };
    const { sts, calls } = fakeSts(() => clock.now);
    const credentialsFor = buildTenantCredentials({
      sts: sts as never,
      roleArn: ROLE,
      tableArns: [TABLE],
      now: () => clock.now,
    });
    const first = await credentialsFor('acme');
    clock.now += 839_000; // 61 s before expiry
    expect(await credentialsFor('acme')).toBe(first);
    const other = await credentialsFor('globex');
    expect(other.accessKeyId).not.toBe(first.accessKeyId);
    clock.now += 2_000; // 59 s before expiry
    const renewed = await credentialsFor('acme');
    expect(renewed.accessKeyId).not.toBe(first.accessKeyId);
    expect(calls.map((call) => call.RoleSessionName)).toEqual([
      'tenant-acme',
      'tenant-globex',
      'tenant-acme',
    ]);
  });

  it('shares one AssumeRole between concurrent calls for a tenant', async () => {
    const { sts, calls } = fakeSts(() => 0);
    const credentialsFor = buildTenantCredentials({
      sts: sts as never,
      roleArn: ROLE,
      tableArns: [TABLE],
      now: () => 0,
    });
    const [a, b] = await Promise.all([credentialsFor('acme'), credentialsFor('acme')]);
    expect(a).toBe(b);
    expect(calls).toHaveLength(1);
  });

  it('asks again after a failed AssumeRole instead of caching the failure', async () => {
    const { sts, calls, failNext } = fakeSts(() => 0);
    const credentialsFor = buildTenantCredentials({
      sts: sts as never,
      roleArn: ROLE,
      tableArns: [TABLE],
      now: () => 0,
    });
    failNext();
    await expect(credentialsFor('acme')).rejects.toThrow('throttled');
    await expect(credentialsFor('acme')).resolves.toMatchObject({ accessKeyId: 'ASIA2' });
    expect(calls).toHaveLength(2);
  });

  it('never calls STS for an invalid tenant id', async () => {
    const { sts, calls } = fakeSts(() => 0);
    const credentialsFor = buildTenantCredentials({ sts: sts as never, roleArn: ROLE, tableArns: [TABLE] });
    for (const tenantId of ['acme#0', 'acme*', 'ACME', ''])
      expect(() => credentialsFor(tenantId)).toThrow(TypeError);
    expect(calls).toEqual([]);
  });
});
