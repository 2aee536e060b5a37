import type { Clock } from './types.js';

/**
 * `format`, computed once per period (second, day): what a hot path formats for the current time
 * on every request is the same until the period changes.
 *
 * @example
 * const utcDay = oncePerPeriod(86_400_000, (ms) => new Date(ms).toISOString().slice(0, 10));
 */
export function oncePerPeriod(periodMs: number, format: (ms: number) => string): (ms: number) => string {
  let period = Number.NaN;
  let text = '';
  return (ms) => {
    const current = Math.floor(ms / periodMs);
    if (current !== period) {
      text = format(ms);
      period = current;
    }
    return text;
  };
}

/** A clock that runs with real time and can be moved forward by tests (`advance`). */
export function createClock(initialOffsetMs = 0): Clock {
  let offsetMs = initialOffsetMs;
  return {
    now: () => Date.now() + offsetMs,
    advance(ms: number) {
      if (!Number.isFinite(ms) || ms < 0)
        throw new Error('the clock only moves forward: give a positive number of ms');
      offsetMs += ms;
    },
    offset: () => offsetMs,
  };
}
