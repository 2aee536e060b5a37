/** Sequential throughput of several calls, each timed over the same number of interleaved blocks. */
import type { Call } from './callers.js';
import { repeat } from './overhead.js';
import { round } from './stats.js';

/** Requests per second of each call (one in flight at a time), in the order given. */
export async function sequentialThroughput(
  calls: Call[],
  blockSize: number,
  blocks: number,
): Promise<number[]> {
  const elapsed = calls.map(() => 0);
  for (let block = 0; block < blocks; block += 1) {
    for (let offset = 0; offset < calls.length; offset += 1) {
      // Rotate the order each block so no call always runs right after another.
      const index = (block + offset) % calls.length;
      const started = performance.now();
      await repeat(calls[index] as Call, blockSize);
      elapsed[index] = (elapsed[index] as number) + performance.now() - started;
    }
  }
  return elapsed.map((ms) => round((blockSize * blocks * 1000) / ms, 0));
}
