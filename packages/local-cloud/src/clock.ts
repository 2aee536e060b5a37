import type { Clock } from './types.js';

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
