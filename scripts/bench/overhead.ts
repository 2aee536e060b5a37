/**
 * Latency of two calls side by side: sequential calls in alternating blocks (the first kind of
 * each round alternates too), so drift of the machine during the run hits both alike.
 */
import type { Call } from './callers.js';
import { median, percentile, round } from './stats.js';
import type { Latency } from './types.js';

export interface BlockPlan {
  warmup: number;
  blockSize: number;
  blocks: number;
}

export async function repeat(call: Call, times: number): Promise<void> {
  for (let i = 0; i < times; i += 1) await call();
}

async function timedBlock(call: Call, times: number, samples: number[]): Promise<void> {
  for (let i = 0; i < times; i += 1) {
    const started = performance.now();
    await call();
    samples.push(performance.now() - started);
  }
}

export function latency(samples: number[]): Latency {
  const mean = samples.reduce((sum, value) => sum + value, 0) / samples.length;
  return {
    calls: samples.length,
    median: round(median(samples), 3),
    p90: round(percentile(samples, 90), 3),
    p99: round(percentile(samples, 99), 3),
    mean: round(mean, 3),
  };
}

/** Warms both calls, then measures them in interleaved blocks; returns the raw samples (ms). */
export async function interleavedLatency(a: Call, b: Call, plan: BlockPlan): Promise<[number[], number[]]> {
  await repeat(a, plan.warmup);
  await repeat(b, plan.warmup);
  const samplesA: number[] = [];
  const samplesB: number[] = [];
  for (let block = 0; block < plan.blocks; block += 1) {
    const order: [Call, number[]][] = [
      [a, samplesA],
      [b, samplesB],
    ];
    if (block % 2 === 1) order.reverse();
    for (const [call, samples] of order) await timedBlock(call, plan.blockSize, samples);
  }
  return [samplesA, samplesB];
}
