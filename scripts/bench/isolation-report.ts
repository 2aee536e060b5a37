/** The identity-and-isolation section of docs/benchmarks.md and its terminal summary. */
import { AUTHORIZER_PLAN } from './authorizer.js';
import { coldStartMet, importGoalMs } from './goals.js';
import {
  ISOLATION_GOAL,
  type IsolationResults,
  isolationVerdicts,
  slowestProducts,
  stackAddedUs,
} from './isolation-goals.js';
import type { MicroLatency } from './micro.js';
import { MIDDLEWARE_PLAN, REQUEST_BODY } from './middleware.js';
import { mark, phaseHeader } from './report.js';
import { round } from './stats.js';

export const ISOLATION_MARKERS = {
  start: '<!-- bench:isolation:start -->',
  end: '<!-- bench:isolation:end -->',
};

const us = (value: number) => value.toFixed(2);
const cells = (m: MicroLatency) => `${us(m.medianUs)} | ${us(m.p99Us)}`;

function authorizerLines(results: IsolationResults): string[] {
  const a = results.authorizer;
  const plan = AUTHORIZER_PLAN;
  const added = (m: MicroLatency, base: MicroLatency) => us(round(m.medianUs - base.medianUs, 2));
  return [
    '### Warm authorizer',
    '',
    `${plan.warmup} warm-up calls of each kind, then ${plan.blocks} rotating blocks of ${plan.blockSize} sequential ` +
      `awaited calls of each, one valid ID token (RS256, 2048-bit key) for the pooled app API. Times in µs.`,
    '',
    '| what | median | p99 | median over aws-jwt-verify |',
    '|---|---:|---:|---:|',
    `| empty async function | ${cells(a.emptyAsync)} | |`,
    `| RS256 signature check alone (\`node:crypto\` verify, key object ready) | ${cells(a.signatureOnly)} | |`,
    `| aws-jwt-verify \`verify\`, JWKS cached (signature, \`iss\`, \`aud\`, \`exp\`) | ${cells(a.jwtVerify)} | baseline |`,
    `| \`createAuthorizer\`, decision log off | ${cells(a.authorizerNoLog)} | ${added(a.authorizerNoLog, a.jwtVerify)} |`,
    `| \`createAuthorizer\` as deployed (one decision line to stdout → /dev/null) | ${cells(a.authorizer)} | ` +
      `${added(a.authorizer, a.jwtVerify)} |`,
    '',
    `Authorizer median **${us(a.authorizer.medianUs)} µs** (goal < ${ISOLATION_GOAL.authorizerMedianUs} µs) ` +
      `${mark(a.authorizer.medianUs < ISOLATION_GOAL.authorizerMedianUs)}; ` +
      `${Math.round((100 * a.signatureOnly.medianUs) / a.authorizer.medianUs)} % of it is the RSA signature check. ` +
      `The local JWKS server answered ${a.jwksFetches} JWKS request${a.jwksFetches === 1 ? '' : 's'} in the whole run ` +
      '(one per authorizer instance, then cached).',
    '',
  ];
}

function middlewareLines(results: IsolationResults): string[] {
  const { silent, info } = results.middleware;
  const plan = MIDDLEWARE_PLAN;
  const row = (what: string, pick: 'bare' | 'stack' | 'stackWithBody') =>
    `| ${what} | ${cells(silent[pick])} | ${cells(info[pick])} |`;
  const addedRow = (what: string, pick: 'stack' | 'stackWithBody') => {
    const [s, i] = [stackAddedUs(silent, pick), stackAddedUs(info, pick)];
    const goal = ISOLATION_GOAL.middlewareAddedMedianUs;
    return `| ${what} | ${us(s)} ${mark(s < goal)} | | ${us(i)} ${mark(i < goal)} | |`;
  };
  return [
    '### Middleware stack per invocation',
    '',
    `A fresh \`POST /products\` event (authorizer context, ${Buffer.byteLength(JSON.stringify(REQUEST_BODY))}-byte ` +
      'JSON body) and Lambda context per call, made ' +
      `before the timed call. ${plan.warmup} warm-up calls of each kind, then ${plan.blocks} rotating blocks of ` +
      `${plan.blockSize}. Times in µs.`,
    '',
    '| handler | SILENT median | p99 | INFO median | p99 |',
    '|---|---:|---:|---:|---:|',
    row('constant 200, called bare', 'bare'),
    row('`httpHandler()` around it (body dropped unread)', 'stack'),
    row("`httpHandler({ body })` with createProduct's body validator", 'stackWithBody'),
    addedRow('added by `httpHandler()` (difference of medians)', 'stack'),
    addedRow('added with body validation (difference of medians)', 'stackWithBody'),
    '',
  ];
}

function coldStartLines(results: IsolationResults): string[] {
  const { rows, pythonMs } = results.coldStart;
  const shown = rows.filter((row) => row.service === 'products' || row.fn === 'authorizer');
  const products = slowestProducts(results);
  return [
    '### Cold start after the isolation work',
    '',
    'From the cold-start table of the local-cloud section (same run): the products handlers carry token ' +
      'vending (STS), the scoped client and Powertools, and listProducts also the page-token key (SSM); the ' +
      'authorizer reads the tenant and the user through the small signed JSON client of packages/lambda-aws.',
    '',
    '| function | bundle KB | import ms | goal | × faster than Python | met |',
    '|---|---:|---:|---:|---:|---|',
    ...shown.map(
      (row) =>
        `| ${row.service}/${row.fn} | ${(row.bundleBytes / 1024).toFixed(1)} | ${row.importMs.toFixed(1)} | ` +
        `≤ ${importGoalMs(row)} | ${pythonMs === undefined ? 'n/a' : `${(pythonMs / row.importMs).toFixed(1)}×`} ` +
        `(≥ ${ISOLATION_GOAL.timesFasterThanPython}×) | ${mark(coldStartMet(row, pythonMs))} |`,
    ),
    `| Python \`import boto3\` + DynamoDB client | | ${pythonMs === undefined ? 'n/a' : pythonMs.toFixed(1)} | | | |`,
    '',
    products && pythonMs !== undefined
      ? `The slowest products handler imports in ${products.importMs.toFixed(1)} ms: within ${ISOLATION_GOAL.productsImportMs} ms ` +
        `${mark(products.importMs <= ISOLATION_GOAL.productsImportMs)}, and ${(pythonMs / products.importMs).toFixed(1)}× ` +
        `faster than Python's boto3 init against the ${ISOLATION_GOAL.timesFasterThanPython}× goal ` +
        `${mark(pythonMs / products.importMs >= ISOLATION_GOAL.timesFasterThanPython)}.`
      : 'No products handler or no Python with boto3 in this run.',
    '',
  ];
}

export function renderIsolationSection(results: IsolationResults): string {
  const { machine } = results;
  return [
    ...phaseHeader(ISOLATION_MARKERS.start, machine, isolationVerdicts(results)),
    ...authorizerLines(results),
    ...middlewareLines(results),
    ...coldStartLines(results),
    ISOLATION_MARKERS.end,
  ].join('\n');
}

export function isolationSummary(results: IsolationResults): string {
  const { authorizer: a, middleware } = results;
  return [
    '',
    'Identity and isolation',
    `  authorizer ${us(a.authorizer.medianUs)} µs (no log ${us(a.authorizerNoLog.medianUs)}), aws-jwt-verify ` +
      `${us(a.jwtVerify.medianUs)} µs, RS256 alone ${us(a.signatureOnly.medianUs)} µs, empty ${us(a.emptyAsync.medianUs)} µs (median)`,
    ...(['silent', 'info'] as const).map(
      (level) =>
        `  middleware (${middleware[level].logLevel}): bare ${us(middleware[level].bare.medianUs)} µs, httpHandler ` +
        `${us(middleware[level].stack.medianUs)} µs, with body ${us(middleware[level].stackWithBody.medianUs)} µs (median)`,
    ),
    '',
    ...isolationVerdicts(results).map((v) => `  ${mark(v.met)} ${v.goal}: ${v.measured}`),
    '',
  ].join('\n');
}
