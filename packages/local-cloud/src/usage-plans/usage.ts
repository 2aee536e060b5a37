/** Daily counters per plan and key (served, throttled), quota use per period, and GetUsage's report. */
import { badRequest } from './errors.js';
import type { UsagePlanRecord } from './model.js';
import { dayStart, daysBetween, quotaPeriod, utcDay } from './periods.js';
import type { Store } from './store.js';

/** GetUsage's answer, as API Gateway returns it: per key, one `[used, remaining]` per day. */
export interface UsageReport {
  usagePlanId: string;
  startDate: string;
  endDate: string;
  items: Record<string, Array<[number, number]>>;
  position?: string;
}

export interface DailyCount {
  date: string;
  /** Requests admitted (counted against the quota). */
  requests: number;
  /** Requests refused with 429, throttled or over quota. */
  throttled: number;
}

const MAX_REPORT_DAYS = 366;

export type UsageMeter = ReturnType<typeof createUsageMeter>;

export function createUsageMeter(store: Store) {
  const { state } = store;

  function counter(planId: string, keyId: string, day: string): [number, number] {
    const byKey = state.usage[planId] ?? {};
    state.usage[planId] = byKey;
    const byDay = byKey[keyId] ?? {};
    byKey[keyId] = byDay;
    const entry = byDay[day] ?? [0, 0];
    byDay[day] = entry;
    return entry;
  }

  const served = (planId: string, keyId: string, day: string): number =>
    state.usage[planId]?.[keyId]?.[day]?.[0] ?? 0;

  /** Requests counted against the plan's quota in the period holding `ms`, up to and including that day. */
  function usedInPeriod(plan: UsagePlanRecord, keyId: string, ms: number): number {
    const quota = plan.quota;
    if (!quota) return 0;
    const { start } = quotaPeriod(ms, quota.period, quota.offset);
    let used = 0;
    for (const day of daysBetween(utcDay(start), utcDay(ms))) used += served(plan.id, keyId, day);
    return used;
  }

  return {
    usedInPeriod,
    recordServed(planId: string, keyId: string, ms: number): void {
      counter(planId, keyId, utcDay(ms))[0] += 1;
      store.changed();
    },
    recordThrottled(planId: string, keyId: string, ms: number): void {
      counter(planId, keyId, utcDay(ms))[1] += 1;
      store.changed();
    },
    /** GetUsage: `remaining` is the quota left in each day's period at the end of that day (0 without a quota). */
    report(
      plan: UsagePlanRecord,
      input: { startDate?: string; endDate?: string; keyId?: string; limit?: number; position?: string },
    ): UsageReport {
      const { startDate, endDate } = input;
      if (!startDate || !endDate) throw badRequest('startDate and endDate are required');
      if (Number.isNaN(dayStart(startDate)) || Number.isNaN(dayStart(endDate))) {
        throw badRequest('Invalid date format: startDate and endDate must be yyyy-MM-dd');
      }
      if (endDate < startDate) throw badRequest('The endDate must not be before the startDate');
      const days = daysBetween(startDate, endDate);
      if (days.length > MAX_REPORT_DAYS)
        throw badRequest(`The date range must not exceed ${MAX_REPORT_DAYS} days`);
      let keyIds = input.keyId === undefined ? plan.keyIds : plan.keyIds.filter((k) => k === input.keyId);
      const offset = input.position === undefined ? 0 : Number(input.position);
      if (!Number.isInteger(offset) || offset < 0) throw badRequest('Invalid position');
      const limit = input.limit ?? 25;
      const page = keyIds.slice(offset, offset + limit);
      const more = offset + limit < keyIds.length;
      keyIds = page;
      const items: UsageReport['items'] = {};
      for (const keyId of keyIds) {
        items[keyId] = days.map((day) => {
          const used = served(plan.id, keyId, day);
          const remaining = plan.quota
            ? Math.max(0, plan.quota.limit - usedInPeriod(plan, keyId, dayStart(day)))
            : 0;
          return [used, remaining];
        });
      }
      const report: UsageReport = { usagePlanId: plan.id, startDate, endDate, items };
      if (more) report.position = String(offset + limit);
      return report;
    },
    /** Per UTC day from `from` to `to`: requests served and refused with 429, over every plan of the key (or one). */
    dailyCounts(keyId: string, from: string, to: string, usagePlanId?: string): DailyCount[] {
      const planIds = usagePlanId === undefined ? Object.keys(state.usage) : [usagePlanId];
      return daysBetween(from, to).map((date) => {
        let requests = 0;
        let throttled = 0;
        for (const planId of planIds) {
          const entry = state.usage[planId]?.[keyId]?.[date];
          if (entry) {
            requests += entry[0];
            throttled += entry[1];
          }
        }
        return { date, requests, throttled };
      });
    },
  };
}
