import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClock } from '../clock.js';
import { createLambdaRuntime, type LambdaRuntime } from './runtime.js';

const fixtures = fileURLToPath(new URL('./__fixtures__', import.meta.url));
const ARN = 'arn:aws:lambda:us-east-1:000000000000:function';

let runtime: LambdaRuntime;
let server: Server;
let client: LambdaClient;
let endpoint: string;
let cacheDir: string;
const logs: string[] = [];

beforeAll(async () => {
  cacheDir = await mkdtemp(path.join(tmpdir(), 'lambda-api-'));
  runtime = createLambdaRuntime({
    region: 'us-east-1',
    accountId: '000000000000',
    clock: createClock(),
    baseEnvironment: () => ({}),
    codeCacheDir: cacheDir,
    log: (functionName, line) => logs.push(`[${functionName}] ${line}`),
  });
  runtime.register({ functionName: 'ctx', handler: 'handlers.context', codeDir: fixtures });
  runtime.register({ functionName: 'fail', handler: 'handlers.fail', codeDir: fixtures });
  runtime.register({ functionName: 'talker', handler: 'handlers.log', codeDir: fixtures });
  runtime.register({
    functionName: 'slow',
    handler: 'handlers.sleep',
    codeDir: fixtures,
    timeoutSeconds: 0.2,
  });
  runtime.register({
    functionName: 'off',
    handler: 'handlers.counter',
    codeDir: fixtures,
    reservedConcurrency: 0,
  });
  runtime.publishVersion('ctx');
  server = createServer((req, res) => void runtime.handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  client = new LambdaClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    // The SDK retries throttles by itself; the tests want to see the first answer.
    maxAttempts: 1,
  });
});

afterAll(async () => {
  client?.destroy();
  await new Promise((resolve) => server?.close(resolve));
  await runtime?.close();
  await rm(cacheDir, { recursive: true, force: true });
});

const json = (payload: Uint8Array | undefined): unknown =>
  payload ? JSON.parse(Buffer.from(payload).toString('utf8')) : undefined;
const encode = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('Invoke over HTTP', () => {
  it('invokes by name and returns the handler result', async () => {
    const out = await client.send(new InvokeCommand({ FunctionName: 'ctx', Payload: encode({ id: 1 }) }));
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBeUndefined();
    expect(out.ExecutedVersion).toBe('$LATEST');
    expect(json(out.Payload)).toMatchObject({
      functionName: 'ctx',
      event: { id: 1 },
      invokedFunctionArn: `${ARN}:ctx`,
    });
  });

  it.each([
    [`${ARN}:ctx`, undefined, '$LATEST', `${ARN}:ctx`],
    ['000000000000:function:ctx', undefined, '$LATEST', `${ARN}:ctx`],
    ['ctx:1', undefined, '1', `${ARN}:ctx:1`],
    [`${ARN}:ctx:1`, undefined, '1', `${ARN}:ctx:1`],
    ['ctx', '1', '1', `${ARN}:ctx:1`],
  ])('invokes %s (Qualifier %s) as version %s', async (FunctionName, Qualifier, version, invokedArn) => {
    const out = await client.send(new InvokeCommand({ FunctionName, Qualifier, Payload: encode({}) }));
    expect(out.ExecutedVersion).toBe(version);
    expect(json(out.Payload)).toMatchObject({ functionVersion: version, invokedFunctionArn: invokedArn });
  });

  it('passes an empty object when there is no payload', async () => {
    const out = await client.send(new InvokeCommand({ FunctionName: 'ctx' }));
    expect(json(out.Payload)).toMatchObject({ event: {} });
  });

  it('reports a function error as Unhandled with the error in the payload', async () => {
    const out = await client.send(new InvokeCommand({ FunctionName: 'fail', Payload: encode({}) }));
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBe('Unhandled');
    const body = json(out.Payload) as { errorType: string; errorMessage: string; trace: string[] };
    expect(body).toMatchObject({ errorType: 'ValidationError', errorMessage: 'price must be positive' });
    expect(body.trace[0]).toBe('ValidationError: price must be positive');
  });

  it('reports a timeout as Unhandled', async () => {
    const out = await client.send(new InvokeCommand({ FunctionName: 'slow', Payload: encode({ ms: 5000 }) }));
    expect(out.FunctionError).toBe('Unhandled');
    expect(json(out.Payload)).toMatchObject({
      errorType: 'Sandbox.Timedout',
      errorMessage: expect.stringMatching(/Task timed out after 0\.20 seconds$/),
    });
  });

  it('answers ResourceNotFoundException for an unknown function', async () => {
    const error = await client
      .send(new InvokeCommand({ FunctionName: 'nobody' }))
      .catch((err: unknown) => err);
    expect(error).toMatchObject({
      name: 'ResourceNotFoundException',
      message: `Function not found: ${ARN}:nobody`,
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('answers ResourceNotFoundException for an unknown version', async () => {
    const error = await client
      .send(new InvokeCommand({ FunctionName: 'ctx', Qualifier: '9' }))
      .catch((err) => err);
    expect(error).toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } });
  });

  it('answers TooManyRequestsException when the function is throttled', async () => {
    const error = await client.send(new InvokeCommand({ FunctionName: 'off' })).catch((err: unknown) => err);
    expect(error).toMatchObject({
      name: 'TooManyRequestsException',
      message: 'Rate Exceeded.',
      Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
      $metadata: { httpStatusCode: 429 },
    });
  });

  it('accepts an Event invocation with 202 and runs it in the background', async () => {
    const before = runtime.stats('talker').invocations;
    const out = await client.send(
      new InvokeCommand({
        FunctionName: 'talker',
        InvocationType: 'Event',
        Payload: encode({ name: 'async' }),
      }),
    );
    expect(out.StatusCode).toBe(202);
    await runtime.whenIdle();
    expect(runtime.stats('talker').invocations).toBe(before + 1);
    await expect.poll(() => logs).toContain('[talker] hello async');
  });

  it('answers 204 to a DryRun of an existing function', async () => {
    const out = await client.send(new InvokeCommand({ FunctionName: 'ctx', InvocationType: 'DryRun' }));
    expect(out.StatusCode).toBe(204);
    const error = await client
      .send(new InvokeCommand({ FunctionName: 'nobody', InvocationType: 'DryRun' }))
      .catch((e) => e);
    expect(error).toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('answers InvalidRequestContentException for a payload that is not JSON', async () => {
    const error = await client
      .send(new InvokeCommand({ FunctionName: 'ctx', Payload: Buffer.from('{not json') }))
      .catch((err: unknown) => err);
    expect(error).toMatchObject({
      name: 'InvalidRequestContentException',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('answers 404 for an operation it does not serve', async () => {
    const response = await fetch(`${endpoint}/2015-03-31/functions/ctx`);
    expect(response.status).toBe(404);
    expect(response.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
  });
});
