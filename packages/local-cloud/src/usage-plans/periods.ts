/** Quota period arithmetic in UTC (API Gateway counts quotas per UTC day, week or month). */
import { oncePerPeriod } from '../clock.js';
import type { QuotaPeriod } from './model.js';

const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` of the UTC day holding `ms`. */
export const utcDay = oncePerPeriod(DAY_MS, (ms) => new Date(ms).toISOString().slice(0, 10));

/** Midnight UTC of a `YYYY-MM-DD` day; NaN when it is not a valid date. */
export function dayStart(day: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return Number.NaN;
  const ms = Date.parse(`${day}T00:00:00.000Z`);
  return Number.isNaN(ms) || utcDay(ms) !== day ? Number.NaN : ms;
}

/** The UTC days from `from` to `to` inclusive (empty when `to` is before `from`). */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  const end = dayStart(to);
  for (let ms = dayStart(from); ms <= end; ms += DAY_MS) days.push(utcDay(ms));
  return days;
}

/**
 * Where the quota period holding `ms` starts and ends (ms, end exclusive). WEEK offsets count from
 * Sunday (0) to Saturday (6); MONTH offsets from the 1st (0) to the 28th (27) of the month.
 */
export function quotaPeriod(ms: number, period: QuotaPeriod, offset: number): { start: number; end: number } {
  const today = Math.floor(ms / DAY_MS) * DAY_MS;
  if (period === 'DAY') return { start: today, end: today + DAY_MS };
  if (period === 'WEEK') {
    const back = (new Date(today).getUTCDay() - offset + 7) % 7;
    const start = today - back * DAY_MS;
    return { start, end: start + 7 * DAY_MS };
  }
  const date = new Date(today);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  const anchor = offset + 1;
  const startMonth = date.getUTCDate() >= anchor ? month : month - 1;
  return {
    start: Date.UTC(year, startMonth, anchor),
    end: Date.UTC(year, startMonth + 1, anchor),
  };
}

/** AWS's accepted offsets: DAY only 0, WEEK 0–6, MONTH 0–27. */
export function validOffset(period: QuotaPeriod, offset: number): boolean {
  if (!Number.isInteger(offset) || offset < 0) return false;
  return offset <= (period === 'DAY' ? 0 : period === 'WEEK' ? 6 : 27);
}
