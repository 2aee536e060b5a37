/**
 * What the shared Middy stack adds per invocation: `httpHandler()` of @tenantry/tenant-middleware
 * around a handler that answers a constant 200, against the same handler called bare, in process,
 * with a fresh API Gateway event (authorizer context, small JSON body) and Lambda context per call.
 */
import { randomUUID } from 'node:crypto';
import {
  httpHandler,
  integer,
  optional,
  sharedObservability,
  strictObject,
  string,
} from '@tenantry/tenant-middleware';
import { apiGatewayEvent, lambdaContext } from '@tenantry/testing';
import { type MicroLatency, type MicroPlan, micro, rotatingSamples } from './micro.js';

export const MIDDLEWARE_PLAN: MicroPlan = { warmup: 2000, blockSize: 500, blocks: 20 };

export interface MiddlewareResults {
  /** The level the stack's Powertools Logger runs at (from `POWERTOOLS_LOG_LEVEL`). */
  logLevel: string;
  bare: MicroLatency;
  /** `httpHandler()`: no body validator, so the body is dropped unread. */
  stack: MicroLatency;
  /** `httpHandler({ body })` with createProduct's body shape: the body is parsed and validated. */
  stackWithBody: MicroLatency;
}

interface Result {
  statusCode: number;
  body: string;
  headers?: Record<string, string | number | boolean>;
}

/** createProduct's body shape, built from the same validators (the service's own is not a package). */
const productBody = strictObject({
  name: string({ maxLength: 200 }),
  price: integer({ min: 0, max: 100_000_000 }),
  sku: string({ maxLength: 64, pattern: /^[A-Za-z0-9._-]+$/, description: 'letters, digits, ., _ and -' }),
  category: optional(string({ maxLength: 100 })),
});

const CONSTANT: Result = { statusCode: 200, body: '{"ok":true}' };

/** The request body of every call. */
export const REQUEST_BODY = { name: 'Anvil', price: 1999, sku: 'ANV-1' };

function freshEvent() {
  return apiGatewayEvent({
    method: 'POST',
    resource: '/products',
    headers: { authorization: 'Bearer header.payload.signature', 'user-agent': 'bench' },
    body: REQUEST_BODY,
    authorizer: { tenantId: 'bench-tenant', userId: 'bench-user', role: 'TenantUser', tier: 'premium' },
  });
}

/** Calls `invoke` with fresh inputs readied by `prepare`, outside the timed section. */
function kind(invoke: (event: unknown, context: unknown) => Promise<Result>) {
  let inputs: [unknown, unknown][] = [];
  let next = 0;
  return {
    prepare(count: number) {
      inputs = Array.from({ length: count }, () => [
        freshEvent(),
        lambdaContext({ awsRequestId: randomUUID() }),
      ]);
      next = 0;
    },
    async call() {
      const [event, context] = inputs[next++] as [unknown, unknown];
      const result = await invoke(event, context);
      if (result.statusCode !== 200)
        throw new Error(`the handler answered ${result.statusCode}: ${result.body}`);
    },
  };
}

export async function middlewareOverhead(plan: MicroPlan = MIDDLEWARE_PLAN): Promise<MiddlewareResults> {
  const constant = async () => CONSTANT;
  const stack = httpHandler().handler(constant) as unknown as (e: unknown, c: unknown) => Promise<Result>;
  const withBody = httpHandler({ body: productBody }).handler(constant) as unknown as (
    e: unknown,
    c: unknown,
  ) => Promise<Result>;
  const probe = await stack(freshEvent(), lambdaContext());
  if (probe.statusCode !== 200 || probe.headers?.['Access-Control-Allow-Origin'] !== '*')
    throw new Error(`the stack did not answer as deployed: ${JSON.stringify(probe)}`);
  const [bare = [], stacked = [], validated = []] = await rotatingSamples(
    [kind(constant), kind(stack), kind(withBody)],
    plan,
  );
  return {
    logLevel: (sharedObservability().logger as unknown as { getLevelName(): string }).getLevelName(),
    bare: micro(bare),
    stack: micro(stacked),
    stackWithBody: micro(validated),
  };
}
