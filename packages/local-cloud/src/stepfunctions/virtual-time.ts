/**
 * An execution's clock. Wait states (and the execution's `TimeoutSeconds`) run on it: it follows the
 * local cloud's clock (so a test that advances the clock wakes a Wait), and each Wait that ends
 * early because of acceleration moves it on to the Wait's deadline, as if the time had passed.
 */
import type { Clock } from '../types.js';

/** How often a sleeping Wait looks at the local cloud's clock. */
const CLOCK_POLL_MS = 10;

export interface VirtualTime {
  /** Milliseconds since the epoch on the execution's clock. */
  now(): number;
  /**
   * Waits until `deadline` (execution clock), sleeping for `(deadline − now) × waitScale` real ms
   * at most, and earlier when the local cloud's clock reaches the deadline. Resolves early (without
   * moving the clock) when `signal` aborts.
   */
  waitUntil(deadline: number, signal: AbortSignal): Promise<void>;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

export function createVirtualTime(clock: Clock, waitScale: number): VirtualTime {
  let skew = 0;
  const now = () => clock.now() + skew;
  return {
    now,
    async waitUntil(deadline, signal) {
      const realEnd = Date.now() + Math.max(0, deadline - now()) * waitScale;
      while (!signal.aborted && now() < deadline) {
        const remainingReal = realEnd - Date.now();
        if (remainingReal <= 0) break;
        await sleep(Math.min(remainingReal, CLOCK_POLL_MS), signal);
      }
      if (!signal.aborted) skew = Math.max(skew, deadline - clock.now());
    },
  };
}
