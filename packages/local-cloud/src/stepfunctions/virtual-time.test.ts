import { describe, expect, it } from 'vitest';
import { createClock } from '../clock.js';
import { createVirtualTime } from './virtual-time.js';

describe('createVirtualTime', () => {
  it('ends a wait after the declared time times the scale and moves its clock to the deadline', async () => {
    const time = createVirtualTime(createClock(), 0.001);
    const deadline = time.now() + 60_000;
    const started = Date.now();
    await time.waitUntil(deadline, new AbortController().signal);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    expect(time.now()).toBeGreaterThanOrEqual(deadline);
  });

  it('wakes a wait when the local cloud clock is advanced past its deadline', async () => {
    const clock = createClock();
    const time = createVirtualTime(clock, 1);
    const waiting = time.waitUntil(time.now() + 3_600_000, new AbortController().signal);
    setTimeout(() => clock.advance(3_600_000), 30);
    const started = Date.now();
    await waiting;
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('returns at once without moving the clock when aborted', async () => {
    const clock = createClock();
    const time = createVirtualTime(clock, 1);
    const aborter = new AbortController();
    const before = time.now();
    const waiting = time.waitUntil(before + 3_600_000, aborter.signal);
    aborter.abort();
    await waiting;
    expect(time.now() - before).toBeLessThan(1000);
  });
});
