/**
 * The noisy-neighbour phase of `pnpm bench`: the whole SaaS on the local cloud, a basic tenant and a
 * premium tenant in their tiers' usage plans. The premium tenant's steady calls are measured alone,
 * then again while the basic tenant floods at 10× its rate; each load runs in its own process.
 */

import { createTestTenant } from '@tenantry/testing';
import { tierOf } from '@tenantry/tiers';
import { type Machine, machine } from './machine.js';
import type { NoisyClientArgs, NoisyClientResult } from './noisy-types.js';
import { runScript } from './spawn-client.js';
import { startTimedStack, testStack } from './stack.js';

const FLOODER_TIER = 'basic';
const STEADY_TIER = 'premium';
export const NOISY_PLAN = {
  /** 10× the basic tier's rate. */
  floodRps: 10 * tierOf(FLOODER_TIER).rateLimit,
  /** The steady caller's warm-up plus its measured window. */
  floodSeconds: 13,
  steadyRps: 20,
  steadySeconds: 10,
  warmupSeconds: 3,
  flooderTier: FLOODER_TIER,
  steadyTier: STEADY_TIER,
  flooderRateLimit: tierOf(FLOODER_TIER).rateLimit,
  flooderBurstLimit: tierOf(FLOODER_TIER).burstLimit,
};
export const NOISY_GOAL = { p50WithinPercent: 10, p99WithinPercent: 25 };

export interface NoisyResults {
  machine: Machine;
  plan: typeof NOISY_PLAN;
  quiet: NoisyClientResult;
  flooded: NoisyClientResult;
  flooder: NoisyClientResult;
}

const client = (root: string, args: NoisyClientArgs) =>
  runScript<NoisyClientResult>(root, 'scripts/bench/noisy-client.ts', args);

export async function runNoisyNeighbour(root: string, step: (line: string) => void): Promise<NoisyResults> {
  const host = machine();
  step('noisy neighbour: starting the stack (in memory, free ports)');
  const { stack } = await startTimedStack(root);
  try {
    const described = testStack(stack);
    const [flooderTenant, steadyTenant] = await Promise.all([
      createTestTenant(described, { tier: FLOODER_TIER }),
      createTestTenant(described, { tier: STEADY_TIER }),
    ]);
    const [flooderUser, steadyUser] = await Promise.all([
      flooderTenant.user('TenantUser'),
      steadyTenant.user('TenantUser'),
    ]);
    const url = `${stack.endpoints.pooledAppUrl}/products`;
    const steady: NoisyClientArgs = {
      url,
      idToken: steadyUser.idToken,
      rps: NOISY_PLAN.steadyRps,
      seconds: NOISY_PLAN.steadySeconds,
      warmupSeconds: NOISY_PLAN.warmupSeconds,
      delaySeconds: 0,
    };
    step(`premium tenant alone: ${NOISY_PLAN.steadyRps} rps for ${NOISY_PLAN.steadySeconds} s`);
    const quiet = await client(root, steady);
    step(`premium tenant while a basic tenant floods at ${NOISY_PLAN.floodRps} rps (two processes)`);
    // The flood starts with the steady caller's warm-up and lasts until its measured calls end: the
    // flooder's first burst (and the cold starts of the environments it fills) falls in the
    // warm-up, so the measured window is the steady state of a running flood.
    const [flooded, flooder] = await Promise.all([
      client(root, steady),
      client(root, {
        url,
        idToken: flooderUser.idToken,
        rps: NOISY_PLAN.floodRps,
        seconds: NOISY_PLAN.floodSeconds,
        warmupSeconds: 0,
        delaySeconds: 0,
      }),
    ]);
    return { machine: host, plan: NOISY_PLAN, quiet, flooded, flooder };
  } finally {
    await stack.stop();
  }
}
