/** The runtime-APIs section of docs/benchmarks.md and its terminal summary. */
import { CREATE_STACK_PLAN } from './create-stack.js';
import { END_TO_END_PLAN, GUARD_PLAN } from './iam.js';
import type { MicroLatency } from './micro.js';
import { mark, phaseHeader } from './report.js';
import {
  answersMet,
  burstCeiling,
  burstMet,
  clientAdmitted,
  floodRate,
  floodRateMet,
  RUNTIME_GOAL,
  type RuntimeResults,
  runtimeVerdicts,
} from './runtime-goals.js';
import type { Latency } from './types.js';

export const RUNTIME_MARKERS = {
  start: '<!-- bench:runtime-apis:start -->',
  end: '<!-- bench:runtime-apis:end -->',
};

const us = (value: number) => value.toFixed(2);
const ms = (value: number) => value.toFixed(2);
const micro = (m: MicroLatency) => `${us(m.medianUs)} | ${us(m.p99Us)}`;
const latencyRow = (what: string, l: Latency) =>
  `| ${what} | ${l.calls} | ${ms(l.median)} | ${ms(l.p90)} | ${ms(l.p99)} | ${ms(l.mean)} |`;

function iamLines(results: RuntimeResults): string[] {
  const { guard, endToEnd } = results.iam;
  const goalUs = RUNTIME_GOAL.iamAddedMedianMs * 1000;
  return [
    '### IAM evaluation per DynamoDB call',
    '',
    `The guard function alone, in the bench process: a role with a table-scoped policy and a tenant session ` +
      `policy (\`ForAllValues:StringLike\` on \`dynamodb:LeadingKeys\`). ${GUARD_PLAN.warmup} warm-up calls, then ` +
      `${GUARD_PLAN.blocks} rotating blocks of ${GUARD_PLAN.blockSize} sequential awaited calls of each kind. Times in µs.`,
    '',
    '| call | empty async function median | p99 | guard, root (not evaluated) median | p99 | guard, tenant role session median | p99 | added (median) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...guard.map(
      (row) =>
        `| ${row.operation === 'TransactWriteItems' ? 'TransactWriteItems (2 items)' : row.operation} | ${micro(row.baseline)} | ` +
        `${micro(row.root)} | ${micro(row.role)} | ${us(row.addedMedianUs)} ${mark(row.addedMedianUs < goalUs)} |`,
    ),
    '',
    `End to end: \`GetItem\` of one item through the local DynamoDB endpoint with the SDK, root credentials ` +
      `(allowed without evaluating policies) against the same role session, ${END_TO_END_PLAN.warmup} warm-up calls, ` +
      `then ${END_TO_END_PLAN.blocks} alternating blocks of ${END_TO_END_PLAN.blockSize}. The bench first checks that ` +
      `the session is refused another tenant's key. Times in ms.`,
    '',
    '| credentials | calls | median | p90 | p99 | mean |',
    '|---|---:|---:|---:|---:|---:|',
    latencyRow('root', endToEnd.root),
    latencyRow('tenant role session (IAM evaluated)', endToEnd.role),
    '',
    `Difference of medians: **${endToEnd.medianDifferenceMs.toFixed(3)} ms** (goal < ${RUNTIME_GOAL.iamAddedMedianMs} ms) ` +
      `${mark(endToEnd.medianDifferenceMs < RUNTIME_GOAL.iamAddedMedianMs)}`,
    '',
  ];
}

function createStackLines(results: RuntimeResults): string[] {
  const goalMs = RUNTIME_GOAL.createStackSeconds * 1000;
  return [
    '### CreateStack to CREATE_COMPLETE',
    '',
    `The packaged \`services/products\` and \`services/orders\` templates (the per-tenant template does not exist yet), ` +
      `code and template in the local S3 (\`TemplateURL\`), created through \`@aws-sdk/client-cloudformation\` in a ` +
      "fresh local cloud where only the platform stack is deployed. A stack that imports another's exports waits " +
      'for it (orders reads the product table: for the orders row products is deployed beforehand, untimed; ' +
      `products + orders creates them one after the other). \`DescribeStacks\` polled every ` +
      `${CREATE_STACK_PLAN.pollMs} ms (so the API figures include up to ${CREATE_STACK_PLAN.pollMs} ms of polling). ` +
      `Median of ${CREATE_STACK_PLAN.cycles} cycles, each deleting the stacks and waiting until they are gone. ` +
      'Baseline: the same templates deployed through the engine directly (`cloud.deploy`). Times in ms.',
    '',
    '| templates | resources | CreateStack → CREATE_COMPLETE | engine directly | API overhead | DeleteStack → gone | goal |',
    '|---|---:|---:|---:|---:|---:|---|',
    ...results.createStack.map(
      (row) =>
        `| ${row.what} | ${row.resources} | ${row.apiCreateMs.toFixed(1)} | ${row.engineCreateMs.toFixed(1)} | ` +
        `${(row.apiCreateMs - row.engineCreateMs).toFixed(1)} | ${row.apiDeleteMs.toFixed(1)} | ` +
        `< ${goalMs} ${mark(row.apiCreateMs < goalMs)} |`,
    ),
    '',
    `CreateStack samples: ${results.createStack.map((row) => `${row.what} ${row.apiCreateSamples.join(', ')}`).join('; ')} ms.`,
    '',
  ];
}

function throttlingLines(results: RuntimeResults): string[] {
  const t = results.throttling;
  const { burst, flood } = t.client;
  const others = (statuses: Record<string, number>) =>
    Object.entries(statuses)
      .map(([status, count]) => `${count} × ${status}`)
      .join(', ') || 'none';
  const bodies = [...new Set([...burst.throttledBodies, ...flood.throttledBodies])]
    .map((body) => `\`${body}\``)
    .join(', ');
  return [
    '### Throttling fidelity',
    '',
    `A REST API deployed as a template with one \`GET /ping\` (\`ApiKeyRequired: true\`, key source HEADER, MOCK ` +
      `integration); the API key, a usage plan (rate ${t.plan.rateLimit} rps, burst ${t.plan.burstLimit}, no quota) and ` +
      'the plan key created at run time through `@aws-sdk/client-api-gateway`. A separate client process waits ' +
      `${t.plan.idleMs / 1000} s, fires ${t.plan.burstRequests} requests at once, then, as soon as they are answered, ` +
      `sends ${t.plan.floodRps} requests/s on a fixed schedule for ${t.plan.floodSeconds} s.`,
    '',
    '| phase | sent | 200 | 429 | other | expected 200s | met |',
    '|---|---:|---:|---:|---|---|---|',
    `| burst (answered within ${burst.windowMs.toFixed(0)} ms) | ${burst.sent} | ${burst.admitted} | ${burst.throttled} | ` +
      `${others(burst.otherStatuses)} | ${t.plan.burstLimit}–${burstCeiling(t)} (bucket + refill meanwhile) | ${mark(burstMet(t))} |`,
    `| flood (last sent at ${(flood.lastSentMs / 1000).toFixed(2)} s) | ${flood.sent} | ${flood.admitted} | ${flood.throttled} | ` +
      `${others(flood.otherStatuses)} | ${t.plan.rateLimit * t.plan.floodSeconds} ± ${RUNTIME_GOAL.floodRateTolerance * 100} % ` +
      `(${floodRate(t).toFixed(1)} rps) | ${mark(floodRateMet(t))} |`,
    '',
    `Flood, 200s per second sent (goal ${t.plan.rateLimit}): ${flood.perSecond.map((s) => s.admitted).join(', ')}; ` +
      `requests sent per second: ${flood.perSecond.map((s) => s.sent).join(', ')}.`,
    '',
    `Bodies of the 429s: ${bodies || 'none'} ${mark(answersMet(t))}. GetUsage served count for the key: ` +
      `**${t.usageServed}**; 200s counted by the client: **${clientAdmitted(t)}** ${mark(t.usageServed === clientAdmitted(t))}.`,
    '',
  ];
}

export function renderRuntimeSection(results: RuntimeResults): string {
  const { machine } = results;
  return [
    ...phaseHeader(RUNTIME_MARKERS.start, machine, runtimeVerdicts(results)),
    ...iamLines(results),
    ...createStackLines(results),
    ...throttlingLines(results),
    RUNTIME_MARKERS.end,
  ].join('\n');
}

export function runtimeSummary(results: RuntimeResults): string {
  const { iam, createStack, throttling: t } = results;
  return [
    '',
    'Runtime APIs',
    ...iam.guard.map(
      (row) =>
        `  guard ${row.operation.padEnd(20)} role ${us(row.role.medianUs)} µs, root ${us(row.root.medianUs)} µs, ` +
        `empty ${us(row.baseline.medianUs)} µs (median)`,
    ),
    `  GetItem end to end: role ${ms(iam.endToEnd.role.median)} ms, root ${ms(iam.endToEnd.root.median)} ms (median)`,
    ...createStack.map(
      (row) =>
        `  CreateStack ${row.what.padEnd(18)} ${row.apiCreateMs.toFixed(1)} ms via API, ${row.engineCreateMs.toFixed(1)} ms via engine`,
    ),
    `  throttling: burst ${t.client.burst.admitted}/${t.client.burst.sent}, flood ${t.client.flood.admitted}/${t.client.flood.sent} ` +
      `(${floodRate(t).toFixed(1)} rps), GetUsage ${t.usageServed}`,
    '',
    ...runtimeVerdicts(results).map((v) => `  ${mark(v.met)} ${v.goal}: ${v.measured}`),
    '',
  ].join('\n');
}
