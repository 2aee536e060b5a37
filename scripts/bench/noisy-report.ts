/** The noisy-neighbour section of docs/benchmarks.md and its terminal summary. */

import { NOISY_GOAL, type NoisyResults } from './noisy-neighbour.js';
import type { NoisyClientResult } from './noisy-types.js';
import { mark, phaseHeader } from './report.js';

export const NOISY_MARKERS = {
  start: '<!-- bench:noisy-neighbour:start -->',
  end: '<!-- bench:noisy-neighbour:end -->',
};

const change = (after: number, before: number) => (100 * (after - before)) / before;
const pct = (value: number) => `${value >= 0 ? '+' : ''}${value.toFixed(1)} %`;
const admittedRps = (r: NoisyClientResult) => r.admitted / (r.sendWindowMs / 1000);
const others = (r: NoisyClientResult) =>
  Object.entries(r.otherStatuses)
    .map(([status, count]) => `${count}× ${status}`)
    .join(', ') || 'none';

export function noisyVerdicts(results: NoisyResults) {
  const { quiet, flooded, flooder, plan } = results;
  const p50 = change(flooded.p50Ms, quiet.p50Ms);
  const p99 = change(flooded.p99Ms, quiet.p99Ms);
  return [
    {
      goal: `${plan.steadyTier} p50 within ${NOISY_GOAL.p50WithinPercent} % of its p50 without the flood`,
      measured: `${flooded.p50Ms.toFixed(2)} vs ${quiet.p50Ms.toFixed(2)} ms (${pct(p50)})`,
      met: p50 <= NOISY_GOAL.p50WithinPercent,
    },
    {
      goal: `${plan.steadyTier} p99 within ${NOISY_GOAL.p99WithinPercent} % of its p99 without the flood`,
      measured: `${flooded.p99Ms.toFixed(2)} vs ${quiet.p99Ms.toFixed(2)} ms (${pct(p99)})`,
      met: p99 <= NOISY_GOAL.p99WithinPercent,
    },
    {
      goal: `the ${plan.steadyTier} tenant gets no 429 and no error`,
      measured: `${flooded.throttled + quiet.throttled} × 429, other statuses: ${others(flooded)}`,
      met: flooded.throttled + quiet.throttled === 0 && flooded.admitted === flooded.sent,
    },
    {
      goal: `the ${plan.flooderTier} flooder is held to its rate (${plan.flooderRateLimit} rps + a burst of ${plan.flooderBurstLimit})`,
      measured: `${admittedRps(flooder).toFixed(1)} rps admitted (${flooder.admitted} of ${flooder.sent})`,
      met:
        flooder.admitted <=
        plan.flooderBurstLimit + plan.flooderRateLimit * (flooder.sendWindowMs / 1000) * 1.05,
    },
  ];
}

export function renderNoisySection(results: NoisyResults): string {
  const { machine, plan, quiet, flooded, flooder } = results;
  const row = (what: string, r: NoisyClientResult) =>
    `| ${what} | ${r.sent} | ${r.admitted} | ${r.throttled} | ${r.p50Ms.toFixed(2)} | ${r.p99Ms.toFixed(2)} |`;
  return [
    ...phaseHeader(NOISY_MARKERS.start, machine, noisyVerdicts(results)),
    '### Latency of the steady tenant, side by side',
    '',
    `\`GET /products\` on the pooled app API. The ${plan.steadyTier} tenant sends ${plan.steadyRps} rps for ` +
      `${plan.steadySeconds} s (after ${plan.warmupSeconds} s of warm-up, not counted), first alone, then while ` +
      `the ${plan.flooderTier} tenant sends ${plan.floodRps} rps for ${plan.floodSeconds} s from another process. ` +
      'Latencies of the 200s, in ms.',
    '',
    '| caller | sent | 200 | 429 | p50 | p99 |',
    '|---|---:|---:|---:|---:|---:|',
    row(`${plan.steadyTier}, alone`, quiet),
    row(`${plan.steadyTier}, during the flood`, flooded),
    row(`${plan.flooderTier} flooder`, flooder),
    '',
    `The flooder was admitted ${admittedRps(flooder).toFixed(1)} rps over its ${(flooder.sendWindowMs / 1000).toFixed(1)} s ` +
      `window against its tier's ${plan.flooderRateLimit} rps (the first ${plan.flooderBurstLimit} come from the full ` +
      `bucket); its 429 bodies: ${flooder.throttledBodies.map((b) => `\`${b}\``).join(', ') || 'none'}; other statuses: ${others(flooder)}.`,
    '',
    NOISY_MARKERS.end,
  ].join('\n');
}

export function noisySummary(results: NoisyResults): string {
  return [
    '',
    'Noisy neighbour',
    ...noisyVerdicts(results).map((v) => `  ${mark(v.met)} ${v.goal}: ${v.measured}`),
    '',
  ].join('\n');
}
