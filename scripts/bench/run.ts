/**
 * One bench run: starts the stack (timed), sets up a tenant user and a product, lets the client
 * process measure against it, reads the stack's memory, stops it, then measures cold starts on
 * the idle machine.
 */
import { coldStarts } from './cold-start.js';
import type { BenchResults } from './goals.js';
import { machine } from './machine.js';
import { stackMemory } from './memory.js';
import { runClient } from './spawn-client.js';
import {
  functionNames,
  functionVariables,
  setUpFixture,
  startTimedStack,
  warmEveryFunction,
} from './stack.js';

/** 2,000 warm-up calls of each kind: V8 optimises the gateway's request path only after a few thousand requests. */
const PLAN = { warmup: 2000, blockSize: 100, overheadBlocks: 25, throughputBlocks: 20 };

export async function runBench(root: string, step: (line: string) => void): Promise<BenchResults> {
  const host = machine();
  step('starting the stack (in memory, free ports)');
  const { stack, readyMs } = await startTimedStack(root);
  step(`ready in ${(readyMs / 1000).toFixed(1)} s`);
  let measured: Omit<BenchResults, 'machine' | 'plan' | 'readyMs' | 'coldStart'>;
  let variables: Record<string, Record<string, string>>;
  try {
    variables = functionVariables(stack);
    const args = await setUpFixture(root, stack, PLAN);
    step('client process: overhead and throughput (about 30 s)');
    const client = await runClient(root, args);
    const afterOverhead = stackMemory();
    const warm = await warmEveryFunction(stack);
    const allWarm = stackMemory();
    measured = {
      client,
      memory: { afterOverhead, allWarm, warmFunctions: warm.length, functions: functionNames(stack).length },
    };
  } finally {
    await stack.stop();
  }
  step('cold starts of every function and of Python (stack stopped)');
  // Each probe gets its function's own variables, as Lambda gives them.
  const coldStart = coldStarts(root, (name) => {
    const own = variables[name];
    if (!own) throw new Error(`no deployed function ${name} to take the variables of`);
    return own;
  });
  return { machine: host, plan: PLAN, readyMs, ...measured, coldStart };
}
