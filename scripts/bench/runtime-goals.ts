/**
 * The goals of the runtime APIs (IAM on DynamoDB calls, CreateStack, usage-plan throttling) and
 * how a run is judged against them: a missed goal is reported, never asserted.
 */
import type { CreateStackRow } from './create-stack.js';
import type { Verdict } from './goals.js';
import type { IamResults } from './iam.js';
import type { Machine } from './machine.js';
import type { ThrottleResults } from './throttling.js';

export const RUNTIME_GOAL = {
  iamAddedMedianMs: 0.2,
  createStackSeconds: 3,
  /** Admitted rate over the flood within this share of the plan's rate. */
  floodRateTolerance: 0.05,
  throttledBody: '{"message":"Too Many Requests"}',
};

export interface RuntimeResults {
  machine: Machine;
  iam: IamResults;
  createStack: CreateStackRow[];
  throttling: ThrottleResults;
}

/** The most the burst can admit: the full bucket plus what refills while it is answered. */
export function burstCeiling(t: ThrottleResults): number {
  return Math.floor(t.plan.burstLimit + (t.plan.rateLimit * t.client.burst.windowMs) / 1000);
}

export const floodRate = (t: ThrottleResults): number => t.client.flood.admitted / t.plan.floodSeconds;

export function floodRateMet(t: ThrottleResults): boolean {
  return Math.abs(floodRate(t) - t.plan.rateLimit) <= RUNTIME_GOAL.floodRateTolerance * t.plan.rateLimit;
}

export function burstMet(t: ThrottleResults): boolean {
  const { admitted } = t.client.burst;
  return admitted >= t.plan.burstLimit && admitted <= burstCeiling(t);
}

/** Every 429 of both phases has API Gateway's body, and nothing but 200 or 429 came back. */
export function answersMet(t: ThrottleResults): boolean {
  const { burst, flood } = t.client;
  return (
    [...burst.throttledBodies, ...flood.throttledBodies].every(
      (body) => body === RUNTIME_GOAL.throttledBody,
    ) && Object.keys(burst.otherStatuses).length + Object.keys(flood.otherStatuses).length === 0
  );
}

export const clientAdmitted = (t: ThrottleResults): number =>
  t.client.burst.admitted + t.client.flood.admitted;

export const slowestGuardUs = (iam: IamResults): number =>
  Math.max(...iam.guard.map((row) => row.addedMedianUs));

export function runtimeVerdicts(results: RuntimeResults): Verdict[] {
  const { iam, createStack, throttling: t } = results;
  const slowestGuard = iam.guard.find((row) => row.addedMedianUs === slowestGuardUs(iam));
  const slowestCreate = createStack.reduce((a, b) => (b.apiCreateMs > a.apiCreateMs ? b : a));
  const goalMs = RUNTIME_GOAL.iamAddedMedianMs;
  return [
    {
      goal: `IAM evaluation adds < ${goalMs} ms per DynamoDB call, guard alone (median)`,
      measured: `${slowestGuardUs(iam).toFixed(1)} µs (${slowestGuard?.operation}, the slowest)`,
      met: slowestGuardUs(iam) / 1000 < goalMs,
    },
    {
      goal: `IAM evaluation adds < ${goalMs} ms per DynamoDB call, GetItem end to end (median)`,
      measured: `${iam.endToEnd.medianDifferenceMs.toFixed(3)} ms`,
      met: iam.endToEnd.medianDifferenceMs < goalMs,
    },
    {
      goal: `CreateStack → CREATE_COMPLETE of the application-plane templates < ${RUNTIME_GOAL.createStackSeconds} s (median)`,
      measured: `${(slowestCreate.apiCreateMs / 1000).toFixed(3)} s (${slowestCreate.what}, the slowest)`,
      met: slowestCreate.apiCreateMs < RUNTIME_GOAL.createStackSeconds * 1000,
    },
    {
      goal: `admitted rate over a ${t.plan.floodSeconds} s flood within ${RUNTIME_GOAL.floodRateTolerance * 100} % of the plan's ${t.plan.rateLimit} rps`,
      measured: `${floodRate(t).toFixed(1)} rps`,
      met: floodRateMet(t),
    },
    {
      goal: `burst admits burstLimit (${t.plan.burstLimit}) plus at most the refill meanwhile`,
      measured: `${t.client.burst.admitted} of ${t.client.burst.sent} (allowed ${t.plan.burstLimit}–${burstCeiling(t)})`,
      met: burstMet(t),
    },
    {
      goal: `every throttled answer is 429 \`${RUNTIME_GOAL.throttledBody}\``,
      measured: answersMet(t) ? 'yes' : 'no (see below)',
      met: answersMet(t),
    },
    {
      goal: 'GetUsage counts exactly the 200s the client saw',
      measured: `${t.usageServed} vs ${clientAdmitted(t)}`,
      met: t.usageServed === clientAdmitted(t),
    },
  ];
}
