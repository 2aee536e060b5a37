/**
 * The goals of the local cloud and the baselines they are judged against (docs/benchmarks.md and
 * /work/shared/local-stack.md): a missed goal is reported, never asserted.
 */
import type { ColdStartRow } from './cold-start.js';
import type { Machine } from './machine.js';
import type { StackMemory } from './memory.js';
import type { ClientArgs, ClientResult } from './types.js';

export const BASELINE = {
  /** 5 serverless-offline processes + emulators, authenticated requests/s, sequential (quoted). */
  offlineRps: { low: 60, high: 74 },
  offlineMemoryBytes: 1.65e9,
  offlineReadySeconds: { low: 17, high: 31 },
};

export const GOAL = {
  overheadMedianMs: 1,
  /** 3× the best serverless-offline figure. */
  routeRps: 3 * BASELINE.offlineRps.high,
  handlerImportMs: 80,
  authorizerImportMs: 20,
  timesFasterThanPython: 4,
  memoryBytes: 800e6,
  readySeconds: 20,
};

export interface BenchResults {
  machine: Machine;
  plan: Pick<ClientArgs, 'warmup' | 'blockSize' | 'overheadBlocks' | 'throughputBlocks'>;
  readyMs: number;
  client: ClientResult;
  memory: { afterOverhead: StackMemory; allWarm: StackMemory; warmFunctions: number; functions: number };
  coldStart: { rows: ColdStartRow[]; pythonMs: number | undefined };
}

export interface Verdict {
  goal: string;
  measured: string;
  met: boolean;
}

export const importGoalMs = (row: ColdStartRow): number =>
  row.kind === 'authorizer' ? GOAL.authorizerImportMs : GOAL.handlerImportMs;

/** Whether one function's import meets its own limit and the ratio to Python. */
export function coldStartMet(row: ColdStartRow, pythonMs: number | undefined): boolean {
  const fastEnough = pythonMs === undefined || pythonMs / row.importMs >= GOAL.timesFasterThanPython;
  return row.importMs <= importGoalMs(row) && fastEnough;
}

const mb = (bytes: number) => `${Math.round(bytes / 1e6)} MB`;

export function verdicts(results: BenchResults): Verdict[] {
  const { client, coldStart, memory } = results;
  const handlers = coldStart.rows.filter((row) => row.kind === 'handler');
  const authorizers = coldStart.rows.filter((row) => row.kind === 'authorizer');
  const slowest = (rows: ColdStartRow[]) => Math.max(...rows.map((row) => row.importMs));
  const slowestAll = slowest(coldStart.rows);
  return [
    {
      goal: `local cloud adds ≤ ${GOAL.overheadMedianMs} ms per authenticated request (median)`,
      measured: `${client.overhead.medianDifferenceMs.toFixed(2)} ms`,
      met: client.overhead.medianDifferenceMs <= GOAL.overheadMedianMs,
    },
    {
      goal: `≥ ${GOAL.routeRps} authenticated requests/s sequential (3× serverless-offline)`,
      measured: `${client.throughput.route} req/s`,
      met: client.throughput.route >= GOAL.routeRps,
    },
    {
      goal: `every handler imports in ≤ ${GOAL.handlerImportMs} ms`,
      measured: `slowest ${slowest(handlers).toFixed(1)} ms`,
      met: slowest(handlers) <= GOAL.handlerImportMs,
    },
    {
      goal: `every authorizer imports in ≤ ${GOAL.authorizerImportMs} ms`,
      measured: `slowest ${slowest(authorizers).toFixed(1)} ms`,
      met: slowest(authorizers) <= GOAL.authorizerImportMs,
    },
    {
      goal: `every function ≥ ${GOAL.timesFasterThanPython}× faster to import than Python (boto3)`,
      measured:
        coldStart.pythonMs === undefined
          ? 'no python3 with boto3 here'
          : `slowest ${(coldStart.pythonMs / slowestAll).toFixed(1)}×`,
      met: coldStart.pythonMs !== undefined && coldStart.pythonMs / slowestAll >= GOAL.timesFasterThanPython,
    },
    {
      goal: `whole stack resident memory < ${mb(GOAL.memoryBytes)}`,
      measured: `${mb(memory.allWarm.totalBytes)} (every function warm)`,
      met: Math.max(memory.allWarm.totalBytes, memory.afterOverhead.totalBytes) < GOAL.memoryBytes,
    },
    {
      goal: `READY in ≤ ${GOAL.readySeconds} s once packaged`,
      measured: `${(results.readyMs / 1000).toFixed(1)} s`,
      met: results.readyMs <= GOAL.readySeconds * 1000,
    },
  ];
}
