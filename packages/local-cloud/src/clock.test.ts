import { describe, expect, it } from 'vitest';
import { oncePerPeriod } from './clock.js';

describe('oncePerPeriod', () => {
  it('formats once per period and again when the period changes', () => {
    const calls: number[] = [];
    const second = oncePerPeriod(1000, (ms) => {
      calls.push(ms);
      return String(Math.floor(ms / 1000));
    });
    expect([second(5_000), second(5_999), second(6_000), second(5_500)]).toEqual(['5', '5', '6', '5']);
    expect(calls).toEqual([5_000, 6_000, 5_500]);
  });

  it('remembers nothing when the format throws', () => {
    const day = oncePerPeriod(86_400_000, (ms) => new Date(ms).toISOString());
    expect(() => day(Number.NaN)).toThrow(RangeError);
    expect(day(0)).toBe('1970-01-01T00:00:00.000Z');
  });
});
