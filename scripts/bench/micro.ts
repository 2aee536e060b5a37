/**
 * Microsecond-scale latency of in-process calls side by side: each kind is warmed, then timed call
 * by call in blocks whose order rotates, so drift of the machine hits every kind alike.
 */
import { median, percentile, round } from './stats.js';

/** Latency in microseconds. */
export interface MicroLatency {
  calls: number;
  medianUs: number;
  p99Us: number;
}

/**
 * One kind of call. `prepare(count)`, when given, readies the inputs of the next `count` calls
 * (fresh events, say) outside the timed section; `call` then takes the next one.
 */
export interface MicroKind {
  call: () => Promise<unknown>;
  prepare?: (count: number) => void;
}

export interface MicroPlan {
  warmup: number;
  blockSize: number;
  blocks: number;
}

export function micro(samplesMs: number[]): MicroLatency {
  return {
    calls: samplesMs.length,
    medianUs: round(median(samplesMs) * 1000, 2),
    p99Us: round(percentile(samplesMs, 99) * 1000, 2),
  };
}

async function run(kind: MicroKind, times: number, into?: number[]): Promise<void> {
  kind.prepare?.(times);
  for (let i = 0; i < times; i += 1) {
    const started = performance.now();
    await kind.call();
    into?.push(performance.now() - started);
  }
}

/** Warms every kind, then times them in rotating blocks; one array of samples (ms) per kind. */
export async function rotatingSamples(kinds: MicroKind[], plan: MicroPlan): Promise<number[][]> {
  for (const kind of kinds) await run(kind, plan.warmup);
  const samples = kinds.map((): number[] => []);
  for (let block = 0; block < plan.blocks; block += 1) {
    for (let offset = 0; offset < kinds.length; offset += 1) {
      const index = (block + offset) % kinds.length;
      await run(kinds[index] as MicroKind, plan.blockSize, samples[index]);
    }
  }
  return samples;
}
