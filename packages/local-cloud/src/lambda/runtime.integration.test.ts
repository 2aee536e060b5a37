import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createClock } from '../clock.js';
import type { Clock } from '../types.js';
import { ResourceNotFoundError, TooManyRequestsError } from './errors.js';
import {
  createLambdaRuntime,
  type FunctionDefinition,
  type LambdaRuntime,
  type LambdaRuntimeOptions,
} from './runtime.js';

const fixtures = fileURLToPath(new URL('./__fixtures__', import.meta.url));
const open: Array<{ runtime: LambdaRuntime; cacheDir: string }> = [];

interface Harness {
  runtime: LambdaRuntime;
  clock: Clock;
  logs: Array<{ functionName: string; line: string; stream: string }>;
  add(functionName: string, handler: string, extra?: Partial<FunctionDefinition>): void;
}

async function harness(options: Partial<LambdaRuntimeOptions> = {}): Promise<Harness> {
  const clock = createClock();
  const logs: Harness['logs'] = [];
  const cacheDir = await mkdtemp(path.join(tmpdir(), 'lambda-runtime-'));
  const runtime = createLambdaRuntime({
    region: 'eu-west-1',
    accountId: '123456789012',
    clock,
    baseEnvironment: () => ({
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000',
      AWS_ACCESS_KEY_ID: 'local',
    }),
    codeCacheDir: cacheDir,
    log: (functionName, line, stream) => logs.push({ functionName, line, stream }),
    ...options,
  });
  open.push({ runtime, cacheDir });
  return {
    runtime,
    clock,
    logs,
    add: (functionName, handler, extra) =>
      runtime.register({ functionName, handler, codeDir: fixtures, ...extra }),
  };
}

afterEach(async () => {
  for (const { runtime, cacheDir } of open.splice(0)) {
    await runtime.close();
    await rm(cacheDir, { recursive: true, force: true });
  }
});

const payloadOf = (result: Awaited<ReturnType<LambdaRuntime['invoke']>>) => {
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result.error)}`);
  return result.payload as Record<string, unknown>;
};

describe('execution environments', () => {
  it('runs overlapping calls in separate environments with their own module state and environment', async () => {
    const { runtime, add } = await harness();
    add('counter', 'handlers.counter', { environment: { X: 'from-config' } });
    const [a, b] = (await Promise.all([
      runtime.invoke('counter', { delayMs: 150, setEnv: 'written-by-a' }),
      runtime.invoke('counter', { delayMs: 150 }),
    ]).then((results) => results.map(payloadOf))) as [Record<string, unknown>, Record<string, unknown>];
    expect(a.threadId).not.toBe(b.threadId);
    expect([a.invocations, b.invocations]).toEqual([1, 1]);
    expect([a.x, b.x]).toEqual(['from-config', 'from-config']);
    expect(a.setByHandler).toBe('written-by-a');
    expect(b.setByHandler).toBeUndefined();
    expect(process.env.SET_BY_HANDLER).toBeUndefined();
    expect(runtime.stats('counter')).toMatchObject({ environments: 2, coldStarts: 2, invocations: 2 });
  });

  it('keeps functions apart even when they share code', async () => {
    const { runtime, add } = await harness();
    add('tenant-a', 'handlers.counter', { environment: { X: 'a' } });
    add('tenant-b', 'handlers.counter', { environment: { X: 'b' } });
    await runtime.invoke('tenant-a', {});
    const a = payloadOf(await runtime.invoke('tenant-a', {}));
    const b = payloadOf(await runtime.invoke('tenant-b', {}));
    expect(a).toMatchObject({ x: 'a', invocations: 2 });
    expect(b).toMatchObject({ x: 'b', invocations: 1 });
  });

  it('reuses a warm environment for sequential calls', async () => {
    const { runtime, add } = await harness();
    add('counter', 'handlers.counter');
    const results = [];
    for (let i = 0; i < 3; i++) results.push(payloadOf(await runtime.invoke('counter', {})));
    expect(results.map((r) => r.invocations)).toEqual([1, 2, 3]);
    expect(new Set(results.map((r) => r.threadId)).size).toBe(1);
    const stats = runtime.stats('counter');
    expect(stats).toMatchObject({ environments: 1, coldStarts: 1, invocations: 3, busy: 0 });
    expect(stats.coldStartMs).toHaveLength(1);
  });

  it('gives the handler a Lambda context and the runtime variables', async () => {
    const { runtime, add } = await harness();
    add('ctx', 'handlers.context', {
      memorySize: 512,
      timeoutSeconds: 6,
      environment: { TABLE_NAME: 'products' },
    });
    const payload = payloadOf(await runtime.invoke('ctx', { hello: 'world' }));
    expect(payload).toMatchObject({
      functionName: 'ctx',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:ctx',
      memoryLimitInMB: '512',
      logGroupName: '/aws/lambda/ctx',
      event: { hello: 'world' },
      env: {
        AWS_REGION: 'eu-west-1',
        AWS_DEFAULT_REGION: 'eu-west-1',
        AWS_LAMBDA_FUNCTION_NAME: 'ctx',
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
        AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/ctx',
        _HANDLER: 'handlers.context',
        LAMBDA_TASK_ROOT: fixtures,
        TZ: ':UTC',
        AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
        AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000',
        AWS_ACCESS_KEY_ID: 'local',
        TABLE_NAME: 'products',
      },
    });
    expect(payload.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(payload.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(payload.remainingMs).toBeGreaterThan(5000);
    expect(payload.remainingMs).toBeLessThanOrEqual(6000);
  });

  it('loads an ES module handler with import()', async () => {
    const { runtime, add } = await harness();
    add('esm', 'esm-handler.handler');
    expect(await runtime.invoke('esm', { value: 42 })).toEqual({
      ok: true,
      payload: { esm: true, echo: 42 },
    });
  });

  it('finds a nested export', async () => {
    const { runtime, add } = await harness();
    add('nested', 'handlers.nested.handler');
    expect(await runtime.invoke('nested', {})).toEqual({ ok: true, payload: 'nested export' });
  });

  it('supports callback-style handlers and context.succeed', async () => {
    const { runtime, add } = await harness();
    add('cb', 'handlers.callback');
    add('succeed', 'handlers.contextSucceed');
    add('cbError', 'handlers.callbackError');
    expect(await runtime.invoke('cb', { value: 7 })).toEqual({
      ok: true,
      payload: { via: 'callback', echo: 7 },
    });
    expect(await runtime.invoke('succeed', {})).toEqual({ ok: true, payload: { via: 'context.succeed' } });
    expect(await runtime.invoke('cbError', {})).toMatchObject({
      ok: false,
      error: { errorType: 'TypeError', errorMessage: 'callback failed' },
    });
  });

  it('answers null for a plain function that returns without a promise or callback', async () => {
    const { runtime, add } = await harness();
    add('sync', 'handlers.syncValue');
    expect(await runtime.invoke('sync', { a: 1 })).toEqual({ ok: true, payload: null });
  });

  it('sends console output to the log with the function name', async () => {
    const { runtime, add, logs } = await harness();
    add('talker', 'handlers.log');
    await runtime.invoke('talker', { name: 'Ada' });
    await expect.poll(() => logs.length).toBeGreaterThanOrEqual(2);
    expect(logs).toContainEqual({ functionName: 'talker', line: 'hello Ada', stream: 'stdout' });
    expect(logs).toContainEqual({ functionName: 'talker', line: 'something on stderr', stream: 'stderr' });
  });

  it('lets handlers see the local clock when tests move it forward', async () => {
    const { runtime, add, clock } = await harness();
    add('now', 'handlers.now');
    clock.advance(3_600_000);
    const { now, constructed } = payloadOf(await runtime.invoke('now', {})) as {
      now: number;
      constructed: number;
    };
    expect(now - Date.now()).toBeGreaterThan(3_590_000);
    expect(constructed - Date.now()).toBeGreaterThan(3_590_000);
  });

  it('serialises the result as JSON, as Lambda does', async () => {
    const { runtime, add } = await harness();
    add('odd', 'handlers.unserialisable');
    expect(await runtime.invoke('odd', {})).toEqual({
      ok: true,
      payload: { keep: 1, when: '1970-01-01T00:00:00.000Z' },
    });
  });

  it('fails the invocation when the result cannot be serialised, and keeps the environment', async () => {
    const { runtime, add } = await harness();
    add('loop', 'handlers.circular');
    expect(await runtime.invoke('loop', {})).toMatchObject({
      ok: false,
      error: { errorType: 'Error', errorMessage: 'Unable to stringify response body' },
    });
    expect(runtime.stats('loop')).toMatchObject({ errors: 1, environments: 1 });
  });

  it('hands the handler the event as JSON gives it, fixed when the call is made', async () => {
    const { runtime, add } = await harness();
    add('describe', 'handlers.describeEvent');
    const event: Record<string, unknown> = { kept: 1, dropped: undefined, when: new Date(0) };
    const pending = runtime.invoke('describe', event);
    event.late = true;
    expect(await pending).toEqual({ ok: true, payload: { keys: ['kept', 'when'], whenType: 'string' } });
  });

  it('runs a published version with its own version number', async () => {
    const { runtime, add } = await harness();
    add('ctx', 'handlers.context');
    const { version, functionArn } = runtime.publishVersion('ctx');
    expect(functionArn).toBe('arn:aws:lambda:eu-west-1:123456789012:function:ctx:1');
    const payload = payloadOf(await runtime.invoke(`ctx:${version}`, {}));
    expect(payload).toMatchObject({ functionVersion: '1', invokedFunctionArn: functionArn });
    expect(payload.env).toMatchObject({ AWS_LAMBDA_FUNCTION_VERSION: '1' });
    await expect(runtime.invoke('ctx:2', {})).rejects.toBeInstanceOf(ResourceNotFoundError);
  });
});

describe('errors', () => {
  it('reports a thrown error with its name and message and keeps the environment warm', async () => {
    const { runtime, add } = await harness();
    add('fail', 'handlers.fail');
    const result = await runtime.invoke('fail', {});
    expect(result).toMatchObject({
      ok: false,
      error: { errorType: 'ValidationError', errorMessage: 'price must be positive' },
    });
    expect(!result.ok && (result.error as { trace?: string[] }).trace?.[0]).toBe(
      'ValidationError: price must be positive',
    );
    await runtime.invoke('fail', {});
    expect(runtime.stats('fail')).toMatchObject({ coldStarts: 1, errors: 2, environments: 1 });
  });

  it('reports a thrown string as Lambda does', async () => {
    const { runtime, add } = await harness();
    add('str', 'handlers.throwString');
    expect(await runtime.invoke('str', {})).toMatchObject({
      ok: false,
      error: { errorType: 'string', errorMessage: 'plain string' },
    });
  });

  it('ends the invocation after the timeout and cold starts the next call', async () => {
    const { runtime, add } = await harness();
    add('slow', 'handlers.sleep', { timeoutSeconds: 0.3 });
    const started = Date.now();
    const result = await runtime.invoke('slow', { ms: 10_000 });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.errorType).toBe('Sandbox.Timedout');
    expect(result.error.errorMessage).toMatch(
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z [0-9a-f-]{36} Task timed out after 0\.30 seconds$/,
    );
    await expect.poll(() => runtime.stats('slow').environments).toBe(0);
    expect(await runtime.invoke('slow', { ms: 1 })).toEqual({ ok: true, payload: 'woke up' });
    expect(runtime.stats('slow')).toMatchObject({ coldStarts: 2, timeouts: 1 });
  });

  it('kills only the environment that calls process.exit', async () => {
    const { runtime, add } = await harness();
    add('exit', 'handlers.exit');
    add('counter', 'handlers.counter');
    await runtime.invoke('counter', {});
    const result = await runtime.invoke('exit', {});
    expect(result).toMatchObject({ ok: false, error: { errorType: 'Runtime.ExitError' } });
    expect(!result.ok && result.error.errorMessage).toMatch(/Runtime exited with error: exit status 3/);
    expect(runtime.stats('exit').environments).toBe(0);
    expect(payloadOf(await runtime.invoke('counter', {})).invocations).toBe(2);
  });

  it('reports an uncaught exception as an exit and cold starts the next call', async () => {
    const { runtime, add } = await harness();
    add('uncaught', 'handlers.uncaught');
    const result = await runtime.invoke('uncaught', {});
    expect(result).toMatchObject({ ok: false, error: { errorType: 'Runtime.ExitError' } });
    expect(!result.ok && result.error.errorMessage).toMatch(/thrown from a timer/);
    await runtime.invoke('uncaught', {});
    expect(runtime.stats('uncaught').coldStarts).toBe(2);
  });

  it('reports a module that fails to load and retries the init on the next call', async () => {
    const { runtime, add } = await harness();
    add('broken', 'broken.handler');
    const result = await runtime.invoke('broken', {});
    expect(result).toMatchObject({
      ok: false,
      error: { errorType: 'Error', errorMessage: 'init failed while loading the module' },
    });
    await runtime.invoke('broken', {});
    expect(runtime.stats('broken')).toMatchObject({ coldStarts: 2, environments: 0 });
  });

  it('reports a missing module and a missing export with the runtime error types', async () => {
    const { runtime, add } = await harness();
    add('noModule', 'src/functions/absent/handler.handler');
    add('noExport', 'handlers.absent');
    add('badName', 'handlers');
    expect(await runtime.invoke('noModule', {})).toMatchObject({
      ok: false,
      error: { errorType: 'Runtime.ImportModuleError' },
    });
    expect(await runtime.invoke('noExport', {})).toMatchObject({
      ok: false,
      error: {
        errorType: 'Runtime.HandlerNotFound',
        errorMessage: 'handlers.absent is undefined or not exported',
      },
    });
    expect(await runtime.invoke('badName', {})).toMatchObject({
      ok: false,
      error: { errorType: 'Runtime.MalformedHandlerName' },
    });
  });

  it('rejects an unknown function with ResourceNotFoundError', async () => {
    const { runtime } = await harness();
    await expect(runtime.invoke('nobody', {})).rejects.toMatchObject({
      code: 'ResourceNotFoundException',
      statusCode: 404,
      message: 'Function not found: arn:aws:lambda:eu-west-1:123456789012:function:nobody',
    });
  });
});

describe('concurrency', () => {
  it('throttles a synchronous call beyond the reserved concurrency', async () => {
    const { runtime, add } = await harness();
    add('one', 'handlers.sleep', { reservedConcurrency: 1 });
    const first = runtime.invoke('one', { ms: 200 });
    await expect(runtime.invoke('one', { ms: 1 })).rejects.toBeInstanceOf(TooManyRequestsError);
    expect(await first).toEqual({ ok: true, payload: 'woke up' });
    expect(await runtime.invoke('one', { ms: 1 })).toEqual({ ok: true, payload: 'woke up' });
    expect(runtime.stats('one')).toMatchObject({ throttles: 1, invocations: 2, coldStarts: 1 });
  });

  it('throttles every call when reserved concurrency is 0', async () => {
    const { runtime, add } = await harness();
    add('off', 'handlers.counter', { reservedConcurrency: 0 });
    await expect(runtime.invoke('off', {})).rejects.toMatchObject({
      code: 'TooManyRequestsException',
      message: 'Rate Exceeded.',
      reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
    });
    expect(runtime.stats('off')).toMatchObject({ environments: 0, invocations: 0 });
  });

  it('starts no more environments than maxEnvironmentsPerFunction and queues calls beyond it', async () => {
    const { runtime, add } = await harness({ maxEnvironmentsPerFunction: 2 });
    add('sleep', 'handlers.sleep');
    const running = [runtime.invoke('sleep', { ms: 200 }), runtime.invoke('sleep', { ms: 200 })];
    const waiting = runtime.invoke('sleep', { ms: 1 });
    expect(runtime.stats('sleep')).toMatchObject({ queued: 1, busy: 2 });
    await expect(waiting).resolves.toMatchObject({ ok: true });
    await Promise.all(running);
    expect(runtime.stats('sleep')).toMatchObject({ environments: 2, coldStarts: 2, throttles: 0 });
  });

  it('queues asynchronous invocations beyond the concurrency and runs them later', async () => {
    const { runtime, add } = await harness();
    add('one', 'handlers.counter', { reservedConcurrency: 1 });
    for (let i = 0; i < 3; i++) runtime.invokeEvent('one', { delayMs: 20 });
    expect(runtime.stats('one')).toMatchObject({ queued: 2, busy: 1 });
    await runtime.whenIdle();
    expect(runtime.stats('one')).toMatchObject({ queued: 0, invocations: 3, coldStarts: 1, throttles: 0 });
  });

  it('logs a failed asynchronous invocation', async () => {
    const { runtime, add, logs } = await harness();
    add('fail', 'handlers.fail');
    const { requestId } = runtime.invokeEvent('fail', {});
    await runtime.whenIdle();
    expect(logs).toContainEqual({
      functionName: 'fail',
      stream: 'stderr',
      line: `asynchronous invocation ${requestId} failed: ValidationError: price must be positive`,
    });
  });
});

describe('lifecycle', () => {
  it('evicts environments idle for longer than idleTimeoutMs', async () => {
    const { runtime, add } = await harness({ idleTimeoutMs: 100 });
    add('counter', 'handlers.counter');
    await runtime.invoke('counter', {});
    expect(runtime.stats('counter').environments).toBe(1);
    await expect.poll(() => runtime.stats('counter').environments, { timeout: 2000 }).toBe(0);
    expect(payloadOf(await runtime.invoke('counter', {})).invocations).toBe(1);
  });

  it('keeps at most maxIdleEnvironments idle, ending the least recently used first', async () => {
    const { runtime, add, clock } = await harness({ maxIdleEnvironments: 2 });
    for (const name of ['first', 'second', 'third']) {
      add(name, 'handlers.counter');
      await runtime.invoke(name, {});
      clock.advance(1);
    }
    expect(['first', 'second', 'third'].map((name) => runtime.stats(name).environments)).toEqual([0, 1, 1]);
    expect(payloadOf(await runtime.invoke('first', {})).invocations).toBe(1);
    expect(runtime.stats('first').coldStarts).toBe(2);
  });

  it('treats an environment as expired once the local clock passes the idle timeout', async () => {
    const { runtime, add, clock } = await harness({ idleTimeoutMs: 60_000 });
    add('counter', 'handlers.counter');
    await runtime.invoke('counter', {});
    clock.advance(60_000);
    expect(payloadOf(await runtime.invoke('counter', {})).invocations).toBe(1);
    expect(runtime.stats('counter').coldStarts).toBe(2);
  });

  it('ends running invocations and refuses new ones once closed', async () => {
    const { runtime, add } = await harness();
    add('slow', 'handlers.sleep', { timeoutSeconds: 30 });
    const running = runtime.invoke('slow', { ms: 20_000 });
    await expect.poll(() => runtime.stats('slow').coldStartMs.length).toBe(1);
    await runtime.close();
    expect(await running).toMatchObject({ ok: false, error: { errorType: 'Runtime.ExitError' } });
    await expect(runtime.invoke('slow', { ms: 1 })).rejects.toThrow(/closed/);
  });

  it('removes an unregistered function', async () => {
    const { runtime, add } = await harness();
    add('counter', 'handlers.counter');
    await runtime.invoke('counter', {});
    runtime.unregister('arn:aws:lambda:eu-west-1:123456789012:function:counter');
    await expect(runtime.invoke('counter', {})).rejects.toBeInstanceOf(ResourceNotFoundError);
    expect(() => runtime.stats('counter')).toThrow(ResourceNotFoundError);
  });

  it('refuses a second function of the same name', async () => {
    const { add } = await harness();
    add('counter', 'handlers.counter');
    expect(() => add('counter', 'handlers.counter')).toThrow(/already exist/);
  });

  it('keeps a warm invocation well under a millisecond (median)', async () => {
    const { runtime, add } = await harness();
    add('counter', 'handlers.counter');
    await runtime.invoke('counter', {});
    const samples: number[] = [];
    for (let i = 0; i < 300; i++) {
      const started = performance.now();
      await runtime.invoke('counter', { i, body: '{"name":"a product","price":12}' });
      samples.push(performance.now() - started);
    }
    samples.sort((a, b) => a - b);
    expect(samples[150]).toBeLessThan(1);
  });
});
