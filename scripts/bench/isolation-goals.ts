/**
 * The goals of identity and isolation at run time (the warm authorizer, the middleware stack, the
 * products handlers' import) and how a run is judged against them: reported, never asserted.
 */
import type { ColdStartRow } from './cold-start.js';
import type { Verdict } from './goals.js';
import { GOAL } from './goals.js';
import type { IsolationMeasurements } from './isolation-run.js';
import type { MiddlewareResults } from './middleware.js';
import { round } from './stats.js';

export const ISOLATION_GOAL = {
  authorizerMedianUs: 100,
  middlewareAddedMedianUs: 30,
  productsImportMs: GOAL.handlerImportMs,
  timesFasterThanPython: GOAL.timesFasterThanPython,
};

export interface IsolationResults extends IsolationMeasurements {
  /** Cold starts of the products functions and Python, from the local-cloud phase of the same run. */
  coldStart: { rows: ColdStartRow[]; pythonMs: number | undefined };
}

/** stack median − bare median, µs. */
export const stackAddedUs = (m: MiddlewareResults, which: 'stack' | 'stackWithBody' = 'stack'): number =>
  round(m[which].medianUs - m.bare.medianUs, 2);

export const slowestProducts = (results: IsolationResults): ColdStartRow | undefined =>
  results.coldStart.rows
    .filter((row) => row.service === 'products')
    .reduce<ColdStartRow | undefined>((a, b) => (a && a.importMs >= b.importMs ? a : b), undefined);

export function isolationVerdicts(results: IsolationResults): Verdict[] {
  const { authorizer, middleware, coldStart } = results;
  const products = slowestProducts(results);
  const python = coldStart.pythonMs;
  const ratio = products && python !== undefined ? python / products.importMs : undefined;
  const stackGoal = (m: MiddlewareResults, label: string): Verdict => ({
    goal: `the middleware stack adds < ${ISOLATION_GOAL.middlewareAddedMedianUs} µs per invocation (median), ${label}`,
    measured: `${stackAddedUs(m).toFixed(1)} µs`,
    met: stackAddedUs(m) < ISOLATION_GOAL.middlewareAddedMedianUs,
  });
  return [
    {
      goal: `warm authorizer with cached keys < ${ISOLATION_GOAL.authorizerMedianUs} µs (median)`,
      measured: `${authorizer.authorizer.medianUs.toFixed(1)} µs (p99 ${authorizer.authorizer.p99Us.toFixed(1)} µs)`,
      met: authorizer.authorizer.medianUs < ISOLATION_GOAL.authorizerMedianUs,
    },
    stackGoal(middleware.silent, 'Powertools SILENT'),
    stackGoal(middleware.info, 'Powertools at INFO'),
    {
      goal: `every products handler imports in ≤ ${ISOLATION_GOAL.productsImportMs} ms`,
      measured: products
        ? `slowest ${products.importMs.toFixed(1)} ms (${products.fn})`
        : 'no products function packaged',
      met: products !== undefined && products.importMs <= ISOLATION_GOAL.productsImportMs,
    },
    {
      goal: `products handlers ≥ ${ISOLATION_GOAL.timesFasterThanPython}× faster to import than Python (boto3)`,
      measured: ratio === undefined ? 'not measured' : `${ratio.toFixed(1)}× (the slowest)`,
      met: ratio !== undefined && ratio >= ISOLATION_GOAL.timesFasterThanPython,
    },
  ];
}
