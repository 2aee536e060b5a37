import { describe, expect, it } from 'vitest';
import { daysBetween, quotaPeriod, utcDay, validOffset } from './periods.js';

const at = (iso: string) => Date.parse(iso);
const span = (p: { start: number; end: number }) => [
  new Date(p.start).toISOString(),
  new Date(p.end).toISOString(),
];

describe('quotaPeriod', () => {
  it('starts a DAY period at midnight UTC', () => {
    expect(span(quotaPeriod(at('2026-03-10T23:59:59Z'), 'DAY', 0))).toEqual([
      '2026-03-10T00:00:00.000Z',
      '2026-03-11T00:00:00.000Z',
    ]);
  });

  it('starts a WEEK period on Sunday with offset 0 and on Tuesday with offset 2', () => {
    // 2026-03-10 is a Tuesday.
    expect(span(quotaPeriod(at('2026-03-10T12:00:00Z'), 'WEEK', 0))[0]).toBe('2026-03-08T00:00:00.000Z');
    expect(span(quotaPeriod(at('2026-03-10T12:00:00Z'), 'WEEK', 2))).toEqual([
      '2026-03-10T00:00:00.000Z',
      '2026-03-17T00:00:00.000Z',
    ]);
    expect(span(quotaPeriod(at('2026-03-09T12:00:00Z'), 'WEEK', 2))[0]).toBe('2026-03-03T00:00:00.000Z');
  });

  it('starts a MONTH period on the 1st with offset 0 and on the 15th of the previous month before it', () => {
    expect(span(quotaPeriod(at('2026-03-10T12:00:00Z'), 'MONTH', 0))).toEqual([
      '2026-03-01T00:00:00.000Z',
      '2026-04-01T00:00:00.000Z',
    ]);
    expect(span(quotaPeriod(at('2026-01-05T12:00:00Z'), 'MONTH', 14))).toEqual([
      '2025-12-15T00:00:00.000Z',
      '2026-01-15T00:00:00.000Z',
    ]);
    expect(span(quotaPeriod(at('2026-02-28T12:00:00Z'), 'MONTH', 27))[0]).toBe('2026-02-28T00:00:00.000Z');
  });
});

describe('period helpers', () => {
  it('accepts only the offsets AWS accepts for each period', () => {
    expect([validOffset('DAY', 0), validOffset('DAY', 1)]).toEqual([true, false]);
    expect([validOffset('WEEK', 6), validOffset('WEEK', 7)]).toEqual([true, false]);
    expect([validOffset('MONTH', 27), validOffset('MONTH', 28), validOffset('MONTH', 1.5)]).toEqual([
      true,
      false,
      false,
    ]);
  });

  it('lists UTC days inclusively across a month end', () => {
    expect(daysBetween('2026-02-27', '2026-03-01')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01']);
    expect(utcDay(at('2026-03-01T00:00:00Z') - 1)).toBe('2026-02-28');
  });
});
