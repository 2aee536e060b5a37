import {
  BadRequestError,
  ConflictError,
  NotFoundError,
  type TenantContext,
} from '@tenantry/tenant-middleware';
import type { TierName } from '@tenantry/tiers';
import { checkAccess, TENANT_NOT_FOUND } from './tenants.js';

/** One UTC day of a tenant's traffic on its application API. */
export interface UsageDay {
  date: string;
  /** Requests served (counted against the quota). */
  requests: number;
  /** Requests refused with 429 (throttled or over quota). */
  throttled: number;
}

/** `GET /tenants/{tenantId}/usage` (contract §4). */
export interface TenantUsage {
  tenantId: string;
  tier: string;
  days: UsageDay[];
  /** The quota period holding today: `null` numbers when the plan has no quota. */
  quota: { limit: number | null; used: number | null; remaining: number | null; period: string | null };
}

/** A usage plan as far as usage reports need it. */
export interface UsagePlanInfo {
  id: string;
  quota?: { limit: number; period: string };
}

/** API Gateway's usage plans: which plans hold a key, and `GetUsage` for one key. */
export interface UsagePlanReader {
  /** The plans the key is in (a key moved between plans may briefly be in two). */
  plansOfKey(keyId: string): Promise<UsagePlanInfo[]>;
  /** Per day from `from` to `to` (inclusive): requests served and the quota left at the end of that day. */
  usage(
    planId: string,
    keyId: string,
    from: string,
    to: string,
  ): Promise<Map<string, { used: number; remaining: number }>>;
}

/**
 * Requests refused with 429 per API key per UTC day. API Gateway's `GetUsage` counts only served
 * requests: on AWS these come from the stage's access logs, on the local cloud from its gateway.
 */
export interface ThrottledCounts {
  /** Count per day (`YYYY-MM-DD`) from `from` to `to`; a day without 429s may be absent. */
  throttled(keyId: string, from: string, to: string): Promise<Map<string, number>>;
}

/** What a usage report reads of the tenant: its tier and its API key's id. */
export interface TenantKeyReader {
  get(tenantId: string): Promise<{ tier: string; apiKeyId?: string | undefined } | undefined>;
}

export interface UsageDeps {
  tenants: TenantKeyReader;
  now: () => Date;
  usagePlans: Record<TierName, string>;
  planReader: UsagePlanReader;
  throttledCounts: ThrottledCounts;
}

/** The longest range one request may ask for. */
export const MAX_USAGE_DAYS = 31;
const DAY_MS = 86_400_000;
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

const utcDay = (date: Date): string => date.toISOString().slice(0, 10);

function parseDay(value: string | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = DATE_PATTERN.test(value) ? Date.parse(`${value}T00:00:00Z`) : Number.NaN;
  // Date.parse rolls 2025-02-30 over to March: a real date formats back to itself.
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value)
    throw new BadRequestError(`${field} must be a date YYYY-MM-DD`, { field });
  return ms;
}

/**
 * The days a usage query covers: `from` and `to` inclusive, at most {@link MAX_USAGE_DAYS};
 * without them, today (UTC). `to` alone means that day only; `from` alone, from then to today.
 */
export function usageDays(query: { from?: string; to?: string }, now: Date): string[] {
  const today = Date.parse(`${utcDay(now)}T00:00:00Z`);
  const fromMs = parseDay(query.from, 'from');
  const toMs = parseDay(query.to, 'to') ?? (fromMs === undefined ? today : Math.max(today, fromMs));
  const start = fromMs ?? toMs;
  if (start > toMs) throw new BadRequestError('from must not be after to', { field: 'from' });
  const count = (toMs - start) / DAY_MS + 1;
  if (count > MAX_USAGE_DAYS)
    throw new BadRequestError(`to must be at most ${MAX_USAGE_DAYS} days from from`, { field: 'to' });
  return Array.from({ length: count }, (_, i) => utcDay(new Date(start + i * DAY_MS)));
}

const notAvailable = () =>
  new ConflictError('usage is not available yet for this tenant', { code: 'UsageNotAvailable' });

/**
 * `GET /tenants/{tenantId}/usage`: a SystemAdmin for any tenant, a TenantAdmin for their own (another
 * tenant's is "not found"). Served requests and the quota come from the usage plan holding the
 * tenant's key (its tier's plan; a silo tenant's own plan, or a test override, when the key is
 * there), 429s from {@link ThrottledCounts}. Before the tenant has a key in a plan: 409.
 */
export async function getTenantUsage(
  deps: UsageDeps,
  caller: TenantContext,
  tenantId: string,
  query: { from?: string; to?: string },
): Promise<TenantUsage> {
  checkAccess(caller, tenantId);
  const now = deps.now();
  const days = usageDays(query, now);
  const record = await deps.tenants.get(tenantId);
  if (!record) throw new NotFoundError(TENANT_NOT_FOUND);
  const keyId = record.apiKeyId;
  if (!keyId) throw notAvailable();
  const plans = await deps.planReader.plansOfKey(keyId);
  const tierPlan = deps.usagePlans[record.tier as TierName];
  const plan = plans.find((p) => p.id === tierPlan) ?? plans[0];
  if (!plan) throw notAvailable();

  const from = days[0] as string;
  const to = days.at(-1) as string;
  const today = utcDay(now);
  const [served, throttled, current] = await Promise.all([
    deps.planReader.usage(plan.id, keyId, from, to),
    deps.throttledCounts.throttled(keyId, from, to),
    days.includes(today) ? undefined : deps.planReader.usage(plan.id, keyId, today, today),
  ]);
  const todayUsage = (current ?? served).get(today);
  const quota: TenantUsage['quota'] = plan.quota
    ? (() => {
        const remaining = todayUsage?.remaining ?? plan.quota.limit;
        return {
          limit: plan.quota.limit,
          used: plan.quota.limit - remaining,
          remaining,
          period: plan.quota.period,
        };
      })()
    : { limit: null, used: null, remaining: null, period: null };
  return {
    tenantId,
    tier: record.tier,
    days: days.map((date) => ({
      date,
      requests: served.get(date)?.used ?? 0,
      throttled: throttled.get(date) ?? 0,
    })),
    quota,
  };
}
