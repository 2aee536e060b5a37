import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket.js';

describe('TokenBucket', () => {
  it('admits a full burst at once and refuses the next request', () => {
    const bucket = new TokenBucket(10, 5, 0);
    const admitted = Array.from({ length: 6 }, () => bucket.take(0));
    expect(admitted).toEqual([true, true, true, true, true, false]);
  });

  it('refills at the rate and never holds more than the burst', () => {
    const bucket = new TokenBucket(2, 3, 0);
    for (let i = 0; i < 3; i++) bucket.take(0);
    expect(bucket.take(400)).toBe(false);
    expect(bucket.take(500)).toBe(true);
    expect(bucket.available(60_000)).toBe(3);
  });

  it('admits rate × 10 + burst within 5 % of a 10 s flood at twice the rate', () => {
    const rate = 50;
    const burst = 50;
    const bucket = new TokenBucket(rate, burst, 0);
    let admitted = 0;
    const interval = 1000 / (rate * 2);
    for (let t = 0; t < 10_000; t += interval) if (bucket.take(t)) admitted++;
    const expected = rate * 10 + burst;
    expect(Math.abs(admitted - expected) / expected).toBeLessThan(0.05);
  });

  it('refuses everything when the burst is zero', () => {
    const bucket = new TokenBucket(100, 0, 0);
    expect(bucket.take(0)).toBe(false);
    expect(bucket.take(10_000)).toBe(false);
  });
});
