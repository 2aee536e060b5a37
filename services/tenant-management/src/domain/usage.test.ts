import type { TenantRecord } from '@tenantry/data';
import {
  BadRequestError,
  ConflictError,
  NotFoundError,
  type TenantContext,
} from '@tenantry/tenant-middleware';
import { describe, expect, it } from 'vitest';
import type { TenantStore } from './tenants.js';
import { getTenantUsage, type UsageDeps, type UsagePlanInfo, usageDays } from './usage.js';

const systemAdmin: TenantContext = { tenantId: 'operations', userId: 's', role: 'SystemAdmin' };
const adminOf = (tenantId: string): TenantContext => ({ tenantId, userId: 'a', role: 'TenantAdmin' });
const now = new Date('2026-03-10T15:00:00Z');

const record: TenantRecord = {
  tenantId: 't1',
  tenantName: 'acme',
  tier: 'basic',
  status: 'ACTIVE',
  email: 'a@acme.test',
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  apiKeyId: 'key1',
  apiKey: 'secret',
};

function deps(plans: UsagePlanInfo[], tenant: TenantRecord | undefined = record) {
  const usageCalls: string[] = [];
  const tenants = { get: async (id: string) => (id === tenant?.tenantId ? tenant : undefined) };
  const built: UsageDeps = {
    tenants: tenants as unknown as TenantStore,
    now: () => now,
    usagePlans: { basic: 'plan-basic', standard: 'p2', premium: 'p3', platinum: 'p4' },
    planReader: {
      plansOfKey: async () => plans,
      async usage(planId, _keyId, from, to) {
        usageCalls.push(`${planId} ${from}..${to}`);
        return new Map([
          ['2026-03-09', { used: 7, remaining: 993 }],
          ['2026-03-10', { used: 3, remaining: 990 }],
        ]);
      },
    },
    throttledCounts: { throttled: async () => new Map([['2026-03-10', 4]]) },
  };
  return Object.assign(built, { usageCalls });
}

describe('usageDays', () => {
  it('covers today only by default', () => {
    expect(usageDays({}, now)).toEqual(['2026-03-10']);
  });

  it('covers from..to inclusive', () => {
    expect(usageDays({ from: '2026-02-27', to: '2026-03-01' }, now)).toEqual([
      '2026-02-27',
      '2026-02-28',
      '2026-03-01',
    ]);
  });

  it('names the field of a malformed or impossible date', () => {
    expect(() => usageDays({ from: '2026-02-30' }, now)).toThrow(/from/);
    expect(() => usageDays({ to: '10/03/2026' }, now)).toThrow(/to/);
  });

  it('refuses from after to, and more than 31 days', () => {
    expect(() => usageDays({ from: '2026-03-05', to: '2026-03-04' }, now)).toThrow(BadRequestError);
    expect(usageDays({ from: '2026-01-01', to: '2026-01-31' }, now)).toHaveLength(31);
    expect(() => usageDays({ from: '2026-01-01', to: '2026-02-01' }, now)).toThrow(/31 days/);
  });
});

describe('getTenantUsage', () => {
  const basicPlan = { id: 'plan-basic', quota: { limit: 1000, period: 'DAY' } };

  it("answers served, throttled and today's quota from the tier plan", async () => {
    const usage = await getTenantUsage(deps([basicPlan]), adminOf('t1'), 't1', {
      from: '2026-03-09',
      to: '2026-03-10',
    });
    expect(usage).toEqual({
      tenantId: 't1',
      tier: 'basic',
      days: [
        { date: '2026-03-09', requests: 7, throttled: 0 },
        { date: '2026-03-10', requests: 3, throttled: 4 },
      ],
      quota: { limit: 1000, used: 10, remaining: 990, period: 'DAY' },
    });
  });

  it('reads the quota of today separately when the range ends before today', async () => {
    const d = deps([basicPlan]);
    await getTenantUsage(d, systemAdmin, 't1', { from: '2026-03-01', to: '2026-03-02' });
    expect(d.usageCalls).toEqual(['plan-basic 2026-03-01..2026-03-02', 'plan-basic 2026-03-10..2026-03-10']);
  });

  it('uses the plan holding the key when it is not the tier plan', async () => {
    const d = deps([{ id: 'override', quota: { limit: 5, period: 'DAY' } }]);
    const usage = await getTenantUsage(d, systemAdmin, 't1', {});
    expect(d.usageCalls).toEqual(['override 2026-03-10..2026-03-10']);
    expect(usage.quota.limit).toBe(5);
  });

  it("answers 404 to a TenantAdmin asking for another tenant's usage", async () => {
    await expect(getTenantUsage(deps([basicPlan]), adminOf('t2'), 't1', {})).rejects.toThrow(NotFoundError);
  });

  it('answers 404 for an unknown tenant and 409 before the tenant has a key in a plan', async () => {
    await expect(getTenantUsage(deps([basicPlan]), systemAdmin, 'nope', {})).rejects.toThrow(NotFoundError);
    await expect(getTenantUsage(deps([]), systemAdmin, 't1', {})).rejects.toThrow(ConflictError);
  });
});
