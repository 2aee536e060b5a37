import type { TenantRecord } from '@tenantry/data';
import { ConflictError, NotFoundError } from '@tenantry/tenant-middleware';
import { describe, expect, it } from 'vitest';
import {
  createTenantStack,
  describeTenantStack,
  type TenantStackRelease,
  type TenantStackState,
  type TenantStacks,
} from './tenant-stacks.js';
import type { TenantStore } from './tenants.js';

const release: TenantStackRelease = {
  templateUrl: 'https://bucket.s3.amazonaws.com/releases/r7/template.json',
  artifactBucket: 'bucket',
  artifactPrefix: 'releases/r7',
};

const platinum: TenantRecord = {
  tenantId: 't1',
  tenantName: 'acme',
  tier: 'platinum',
  status: 'PROVISIONING',
  email: 'a@acme.test',
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
};

function fakeStacks(state: TenantStackState = { status: 'NOT_FOUND' }) {
  const created: Array<{ tenantId: string; release: TenantStackRelease }> = [];
  const stacks: TenantStacks = {
    async create(tenantId, used) {
      created.push({ tenantId, release: used });
      return { stackName: `tenantry-silo-${tenantId}` };
    },
    describe: async () => state,
    remove: async () => undefined,
  };
  return Object.assign(stacks, { created });
}

function depsWith(record: TenantRecord | undefined, current: () => Promise<TenantStackRelease>) {
  const tenants = { get: async (id: string) => (id === record?.tenantId ? record : undefined) };
  let releaseReads = 0;
  return {
    tenants: tenants as unknown as TenantStore,
    now: () => new Date(),
    stacks: fakeStacks(),
    releases: {
      current: () => {
        releaseReads += 1;
        return current();
      },
    },
    releaseReads: () => releaseReads,
  };
}

describe('createTenantStack', () => {
  it("creates a platinum tenant's stack from the current release", async () => {
    const deps = depsWith(platinum, async () => release);
    await expect(createTenantStack(deps, { tenantId: 't1' })).resolves.toEqual({
      stackName: 'tenantry-silo-t1',
    });
    expect(deps.stacks.created).toEqual([{ tenantId: 't1', release }]);
  });

  it('answers 404 for an unknown tenant and 409 for a pooled one, without reading the release', async () => {
    const unknown = depsWith(undefined, async () => release);
    await expect(createTenantStack(unknown, { tenantId: 't1' })).rejects.toThrow(NotFoundError);
    const pooled = depsWith({ ...platinum, tier: 'premium' }, async () => release);
    await expect(createTenantStack(pooled, { tenantId: 't1' })).rejects.toThrow(ConflictError);
    expect(unknown.releaseReads() + pooled.releaseReads()).toBe(0);
    expect([...unknown.stacks.created, ...pooled.stacks.created]).toEqual([]);
  });

  it('creates no stack when nothing has been released', async () => {
    const deps = depsWith(platinum, async () => {
      throw new Error('the tenant stack has not been released (missing SSM values)');
    });
    await expect(createTenantStack(deps, { tenantId: 't1' })).rejects.toThrow('has not been released');
    expect(deps.stacks.created).toEqual([]);
  });
});

describe('describeTenantStack', () => {
  const outputs = {
    userPoolId: 'us-east-1_silo',
    appClientId: 'client',
    apiUrl: 'https://api.example/prod',
    apiKeyId: 'key1',
  };

  it('answers only the status while the stack is on its way', async () => {
    const stacks = fakeStacks({ status: 'CREATE_IN_PROGRESS' });
    await expect(describeTenantStack({ stacks }, { tenantId: 't1' })).resolves.toEqual({
      status: 'CREATE_IN_PROGRESS',
    });
  });

  it("answers the tenant's identity and API once the stack is complete", async () => {
    const stacks = fakeStacks({ status: 'CREATE_COMPLETE', outputs });
    await expect(describeTenantStack({ stacks }, { tenantId: 't1' })).resolves.toEqual({
      status: 'CREATE_COMPLETE',
      ...outputs,
    });
  });

  it('fails on a complete stack without outputs, so that the workflow compensates', async () => {
    const stacks = fakeStacks({ status: 'CREATE_COMPLETE' });
    await expect(describeTenantStack({ stacks }, { tenantId: 't1' })).rejects.toThrow(ConflictError);
  });
});
