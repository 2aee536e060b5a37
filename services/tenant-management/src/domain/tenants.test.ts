import type { TenantRecord } from '@tenantry/data';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  type TenantContext,
} from '@tenantry/tenant-middleware';
import { describe, expect, it } from 'vitest';
import {
  type ApiKeyStore,
  activateTenant,
  createTenantApiKey,
  createTenantRecord,
  deactivateTenant,
  deleteTenantApiKey,
  getTenant,
  reactivateTenant,
  type TenantChange,
  type TenantStore,
  toTenant,
  updateTenant,
} from './tenants.js';

const systemAdmin: TenantContext = { tenantId: 'operations', userId: 's', role: 'SystemAdmin' };
const adminOf = (tenantId: string): TenantContext => ({ tenantId, userId: 'a', role: 'TenantAdmin' });

function fakeTenants(...records: TenantRecord[]): TenantStore & { rows: Map<string, TenantRecord> } {
  const rows = new Map(records.map((record) => [record.tenantId, { ...record }]));
  return {
    rows,
    get: async (tenantId) => rows.get(tenantId),
    async create(record) {
      if (rows.has(record.tenantId)) return false;
      rows.set(record.tenantId, { ...record });
      return true;
    },
    async update(tenantId, change: TenantChange) {
      const current = rows.get(tenantId);
      if (!current) return undefined;
      if (change.onlyWhen && !change.onlyWhen.includes(current.status))
        throw new ConflictError(`tenant is ${current.status}`);
      const next = { ...current, ...change.set } as TenantRecord;
      for (const field of change.remove ?? []) delete next[field];
      rows.set(tenantId, next);
      return next;
    },
    remove: async (tenantId) => void rows.delete(tenantId),
    list: async () => ({ records: [...rows.values()] }),
  };
}

function fakeApiKeys(): ApiKeyStore & {
  keys: Map<string, { name: string; value: string }>;
  plans: Map<string, Set<string>>;
} {
  const keys = new Map<string, { name: string; value: string }>();
  const plans = new Map<string, Set<string>>();
  let seq = 0;
  return {
    keys,
    plans,
    async findByName(name) {
      const found = [...keys.entries()].find(([, key]) => key.name === name);
      return found && { id: found[0], value: found[1].value };
    },
    async create(name) {
      seq += 1;
      keys.set(`k${seq}`, { name, value: `v${seq}` });
      return { id: `k${seq}`, value: `v${seq}` };
    },
    async addToPlan(planId, keyId) {
      plans.set(planId, (plans.get(planId) ?? new Set()).add(keyId));
    },
    async valueOf(keyId) {
      return keys.get(keyId)?.value;
    },
    async remove(keyId) {
      keys.delete(keyId);
      for (const plan of plans.values()) plan.delete(keyId);
    },
  };
}

const acme: TenantRecord = {
  tenantId: 't1',
  tenantName: 'acme',
  tier: 'basic',
  status: 'ACTIVE',
  email: 'admin@acme.test',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  userPoolId: 'us-east-1_pooled',
  appClientId: 'client',
  apiUrl: 'https://app.example/dev',
  apiKeyId: 'key-id',
  apiKey: 'secret-key-value',
};
const now = () => new Date('2026-02-02T00:00:00.000Z');
const depsWith = (...records: TenantRecord[]) => ({ tenants: fakeTenants(...records), now });

describe('toTenant', () => {
  it('never shows the API key, its id or the identity wiring', () => {
    const shown = JSON.stringify(toTenant(acme));
    expect(shown).not.toContain('secret-key-value');
    expect(shown).not.toContain('key-id');
    expect(Object.keys(toTenant(acme)).sort()).toEqual(
      ['createdAt', 'email', 'status', 'tenantId', 'tenantName', 'tier', 'updatedAt'].sort(),
    );
  });
});

describe('getTenant', () => {
  it("answers not found to a TenantAdmin asking for another tenant's record, without a lookup", async () => {
    const deps = depsWith(acme, { ...acme, tenantId: 't2', tenantName: 'globex' });
    await expect(getTenant(deps, adminOf('t1'), 't2')).rejects.toThrow(NotFoundError);
    await expect(getTenant(deps, adminOf('t1'), 't1')).resolves.toMatchObject({ tenantName: 'acme' });
    await expect(getTenant(deps, systemAdmin, 't2')).resolves.toMatchObject({ tenantName: 'globex' });
  });
});

describe('updateTenant', () => {
  it('lets a TenantAdmin change the profile of their own tenant', async () => {
    const deps = depsWith(acme);
    await expect(
      updateTenant(deps, adminOf('t1'), 't1', { companyName: 'Acme Inc.' }),
    ).resolves.toMatchObject({
      companyName: 'Acme Inc.',
      updatedAt: '2026-02-02T00:00:00.000Z',
    });
  });

  it('forbids a TenantAdmin to send a tier, even the current one', async () => {
    await expect(updateTenant(depsWith(acme), adminOf('t1'), 't1', { tier: 'basic' })).rejects.toThrow(
      ForbiddenError,
    );
  });

  it('answers 409 to a SystemAdmin changing the tier, and accepts the current tier', async () => {
    const deps = depsWith(acme);
    await expect(updateTenant(deps, systemAdmin, 't1', { tier: 'premium' })).rejects.toThrow(
      'tier changes are not yet supported',
    );
    await expect(
      updateTenant(deps, systemAdmin, 't1', { tier: 'basic', email: 'new@acme.test' }),
    ).resolves.toMatchObject({ tier: 'basic', email: 'new@acme.test' });
  });
});

describe('deactivateTenant', () => {
  it('makes the tenant INACTIVE', async () => {
    const deps = depsWith(acme);
    await expect(deactivateTenant(deps, systemAdmin, 't1')).resolves.toMatchObject({ status: 'INACTIVE' });
    expect(deps.tenants.rows.get('t1')).toMatchObject({ status: 'INACTIVE', updatedAt: now().toISOString() });
  });

  it('refuses a tenant that is still provisioning', async () => {
    const deps = depsWith({ ...acme, status: 'PROVISIONING' });
    await expect(deactivateTenant(deps, systemAdmin, 't1')).rejects.toThrow('tenant is PROVISIONING');
    expect(deps.tenants.rows.get('t1')?.status).toBe('PROVISIONING');
  });

  it('refuses a TenantAdmin, even for their own tenant', async () => {
    const deps = depsWith(acme);
    await expect(deactivateTenant(deps, adminOf('t1'), 't1')).rejects.toThrow(ForbiddenError);
    expect(deps.tenants.rows.get('t1')?.status).toBe('ACTIVE');
  });
});

describe('reactivateTenant', () => {
  it('makes an INACTIVE tenant ACTIVE again', async () => {
    const deps = depsWith({ ...acme, status: 'INACTIVE' });
    await expect(reactivateTenant(deps, systemAdmin, 't1')).resolves.toMatchObject({ status: 'ACTIVE' });
    expect(deps.tenants.rows.get('t1')?.status).toBe('ACTIVE');
  });

  it('answers not found for an unknown tenant, and 409 for one still provisioning', async () => {
    await expect(reactivateTenant(depsWith(acme), systemAdmin, 't2')).rejects.toThrow(NotFoundError);
    await expect(
      reactivateTenant(depsWith({ ...acme, status: 'PROVISIONING' }), systemAdmin, 't1'),
    ).rejects.toThrow('tenant is PROVISIONING');
  });
});

describe('provisioning steps', () => {
  const input = { tenantId: 't9', tenantName: 'initech', tier: 'standard' as const, email: 'a@initech.test' };

  it('creates the record PROVISIONING, and succeeds again on a retry', async () => {
    const deps = depsWith();
    await expect(createTenantRecord(deps, input)).resolves.toEqual({});
    await expect(createTenantRecord(deps, input)).resolves.toEqual({});
    expect(deps.tenants.rows.get('t9')).toMatchObject({ status: 'PROVISIONING', tier: 'standard' });
    await expect(createTenantRecord(deps, { ...input, tenantName: 'other' })).rejects.toThrow(ConflictError);
  });

  it("creates one API key however often it runs, in the tier's plan, stored on the record", async () => {
    const deps = {
      ...depsWith(),
      apiKeys: fakeApiKeys(),
      usagePlans: { basic: 'pb', standard: 'ps', premium: 'pp', platinum: 'pt' },
    };
    await createTenantRecord(deps, input);
    const first = await createTenantApiKey(deps, { tenantId: 't9', tier: 'standard' });
    const second = await createTenantApiKey(deps, { tenantId: 't9', tier: 'standard' });
    expect(second).toEqual(first);
    expect(deps.apiKeys.keys.size).toBe(1);
    expect([...(deps.apiKeys.plans.get('ps') ?? [])]).toEqual([first.apiKeyId]);
    expect(deps.tenants.rows.get('t9')).toMatchObject({ apiKeyId: first.apiKeyId, apiKey: 'v1' });

    await deleteTenantApiKey(deps, 't9');
    await deleteTenantApiKey(deps, 't9');
    expect(deps.apiKeys.keys.size).toBe(0);
    expect(deps.tenants.rows.get('t9')?.apiKey).toBeUndefined();
  });

  it('activates a provisioning tenant with its identity and API', async () => {
    const deps = { ...depsWith(), region: 'us-east-1' };
    await createTenantRecord(deps, input);
    const wiring = { tenantId: 't9', userPoolId: 'us-east-1_p', appClientId: 'c', apiUrl: 'https://x/dev' };
    await activateTenant(deps, wiring);
    await activateTenant(deps, wiring);
    expect(deps.tenants.rows.get('t9')).toMatchObject({ status: 'ACTIVE', userPoolId: 'us-east-1_p' });
    await expect(activateTenant(deps, { ...wiring, tenantId: 'nope' })).rejects.toThrow(NotFoundError);
  });
});
