import type { JsonClient } from '@tenantry/lambda-aws';
import { describe, expect, it } from 'vitest';
import { buildTenantStackReleases } from './tenant-stack-releases.js';

const fakeSsm = (values: Record<string, string>) => {
  const calls: { operation: string; input: { Names?: string[] } }[] = [];
  const client: JsonClient = {
    call: async <T>(operation: string, input: { Names?: string[] }) => {
      calls.push({ operation, input });
      const names = input.Names ?? [];
      return {
        Parameters: names
          .filter((name) => name in values)
          .map((name) => ({ Name: name, Value: values[name] })),
        InvalidParameters: names.filter((name) => !(name in values)),
      } as T;
    },
  };
  return { calls, client };
};

const released = {
  '/tenantry/dev/tenant-stack/template-url': 'https://bucket.s3.amazonaws.com/releases/r7/template.json',
  '/tenantry/dev/tenant-stack/artifact-prefix': 'releases/r7',
  '/tenantry/dev/tenant-stack/artifact-bucket': 'bucket',
};

describe('buildTenantStackReleases', () => {
  it("reads the stage's current release at each call", async () => {
    const { calls, client } = fakeSsm(released);
    const releases = buildTenantStackReleases(client, 'dev');
    await expect(releases.current()).resolves.toEqual({
      templateUrl: 'https://bucket.s3.amazonaws.com/releases/r7/template.json',
      artifactPrefix: 'releases/r7',
      artifactBucket: 'bucket',
    });
    await releases.current();
    expect(calls).toHaveLength(2);
    expect(calls[0]?.operation).toBe('GetParameters');
    expect(calls[0]?.input.Names?.sort()).toEqual(Object.keys(released).sort());
  });

  it('throws naming the parameters a stage without a release lacks', async () => {
    const { '/tenantry/dev/tenant-stack/artifact-bucket': _bucket, ...partial } = released;
    const releases = buildTenantStackReleases(fakeSsm(partial).client, 'dev');
    await expect(releases.current()).rejects.toThrow(
      'the tenant stack has not been released (missing /tenantry/dev/tenant-stack/artifact-bucket)',
    );
  });
});
