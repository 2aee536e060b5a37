import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  InvalidDefinition,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterEach, describe, expect, it } from 'vitest';
import { INTERRUPTED_CAUSE } from './index.js';
import {
  ACCOUNT,
  FunctionError,
  fakeLambda,
  type Harness,
  REGION,
  ROLE_ARN,
  startStepFunctions,
} from './testing.js';

const fn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
const harnesses: Harness[] = [];
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((harness) => harness.close()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function start(options: Parameters<typeof startStepFunctions>[0]): Promise<Harness> {
  const harness = await startStepFunctions({ waitScale: 0.0001, ...options });
  harnesses.push(harness);
  return harness;
}

async function createMachine(harness: Harness, name: string, definition: object): Promise<string> {
  const created = await harness.client.send(
    new CreateStateMachineCommand({ name, definition: JSON.stringify(definition), roleArn: ROLE_ARN }),
  );
  return created.stateMachineArn as string;
}

async function run(harness: Harness, stateMachineArn: string, input: unknown, name?: string) {
  const { executionArn } = await harness.client.send(
    new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input), ...(name ? { name } : {}) }),
  );
  await harness.sfn.whenIdle();
  return harness.client.send(new DescribeExecutionCommand({ executionArn }));
}

async function history(harness: Harness, executionArn: string | undefined): Promise<HistoryEvent[]> {
  const page = await harness.client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
  return page.events ?? [];
}

const ORDER_FLOW = {
  StartAt: 'Reserve',
  States: {
    Reserve: {
      Type: 'Task',
      Resource: fn('reserve'),
      Retry: [{ ErrorEquals: ['Throttled'], IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2 }],
      Next: 'InStock',
    },
    InStock: {
      Type: 'Choice',
      Choices: [{ Variable: '$.inStock', BooleanEquals: true, Next: 'Charge' }],
      Default: 'OutOfStock',
    },
    Charge: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'charge', 'Payload.$': '$' },
      OutputPath: '$.Payload',
      Catch: [{ ErrorEquals: ['CardDeclined'], ResultPath: '$.failure', Next: 'Release' }],
      End: true,
    },
    Release: { Type: 'Task', Resource: fn('release'), End: true },
    OutOfStock: { Type: 'Fail', Error: 'OutOfStock', Cause: 'nothing left' },
  },
};

function orderLambda() {
  let reserveCalls = 0;
  return fakeLambda({
    reserve: (payload) => {
      reserveCalls += 1;
      if (reserveCalls <= 2) throw new FunctionError('Throttled', `attempt ${reserveCalls}`);
      return { ...(payload as object), inStock: (payload as { qty: number }).qty < 10 };
    },
    charge: () => {
      throw new FunctionError('CardDeclined', 'insufficient funds');
    },
    release: (payload) => ({ released: true, failure: (payload as { failure: unknown }).failure }),
  });
}

describe('Step Functions emulator through @aws-sdk/client-sfn', () => {
  it('retries a failing function, catches into a compensation branch and records the history', async () => {
    const lambda = orderLambda();
    const harness = await start({ lambda });
    const arn = await createMachine(harness, 'orders', ORDER_FLOW);

    const execution = await run(harness, arn, { qty: 2 });

    expect(execution.status).toBe('SUCCEEDED');
    const output = JSON.parse(execution.output as string);
    expect(output.released).toBe(true);
    expect(output.failure.Error).toBe('CardDeclined');
    expect(JSON.parse(output.failure.Cause)).toMatchObject({
      errorType: 'CardDeclined',
      errorMessage: 'insufficient funds',
    });
    expect(lambda.calls.map((call) => call.name)).toEqual([
      'reserve',
      'reserve',
      'reserve',
      'charge',
      'release',
    ]);

    const events = await history(harness, execution.executionArn);
    expect(events.map((event) => event.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      ...['LambdaFunctionScheduled', 'LambdaFunctionStarted', 'LambdaFunctionFailed'],
      ...['LambdaFunctionScheduled', 'LambdaFunctionStarted', 'LambdaFunctionFailed'],
      ...['LambdaFunctionScheduled', 'LambdaFunctionStarted', 'LambdaFunctionSucceeded'],
      'TaskStateExited',
      'ChoiceStateEntered',
      'ChoiceStateExited',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskFailed',
      'TaskStateExited',
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    expect(events.map((event) => event.id)).toEqual(events.map((_, index) => index + 1));
    expect(events[1]?.stateEnteredEventDetails).toMatchObject({ name: 'Reserve', input: '{"qty":2}' });
    expect(events[4]?.lambdaFunctionFailedEventDetails).toMatchObject({ error: 'Throttled' });
    expect(events.find((event) => event.type === 'TaskFailed')?.taskFailedEventDetails).toMatchObject({
      resourceType: 'lambda',
      resource: 'invoke',
      error: 'CardDeclined',
    });
    expect(events[0]?.timestamp).toBeInstanceOf(Date);
  });

  it('fails at a Fail state chosen by a Choice with its error and cause', async () => {
    const harness = await start({ lambda: orderLambda() });
    const arn = await createMachine(harness, 'orders', ORDER_FLOW);
    const execution = await run(harness, arn, { qty: 50 });
    expect(execution).toMatchObject({ status: 'FAILED', error: 'OutOfStock', cause: 'nothing left' });
    const events = await history(harness, execution.executionArn);
    expect(events.slice(-2).map((event) => event.type)).toEqual(['FailStateEntered', 'ExecutionFailed']);
  });

  it('fails with the function errorType and its error payload as cause when nothing catches it', async () => {
    const harness = await start({
      lambda: fakeLambda({
        boom: () => {
          throw new FunctionError('MyCustomError', 'bad input');
        },
      }),
    });
    const arn = await createMachine(harness, 'boom', {
      StartAt: 'Boom',
      States: { Boom: { Type: 'Task', Resource: fn('boom'), End: true } },
    });
    const execution = await run(harness, arn, {});
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('MyCustomError');
    expect(JSON.parse(execution.cause as string)).toEqual({
      errorType: 'MyCustomError',
      errorMessage: 'bad input',
    });
  });

  it('returns the same execution for the same name and input while it runs, and refuses other input', async () => {
    const harness = await start({ lambda: fakeLambda({}), waitScale: 1 });
    const arn = await createMachine(harness, 'slow', {
      StartAt: 'Hold',
      States: { Hold: { Type: 'Wait', Seconds: 3600, End: true } },
    });
    const send = (input: string) =>
      harness.client.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'tenant-42', input }));

    const first = await send('{"tenant":"42"}');
    const again = await send('{"tenant":"42"}');
    expect(again.executionArn).toBe(first.executionArn);
    expect(again.executionArn).toBe(`arn:aws:states:${REGION}:${ACCOUNT}:execution:slow:tenant-42`);
    await expect(send('{"tenant":"43"}')).rejects.toBeInstanceOf(ExecutionAlreadyExists);

    await harness.client.send(new StopExecutionCommand({ executionArn: first.executionArn }));
    // Once closed, AWS refuses the name whatever the input.
    await expect(send('{"tenant":"42"}')).rejects.toBeInstanceOf(ExecutionAlreadyExists);
  });

  it('refuses execution names AWS refuses', async () => {
    const harness = await start({ lambda: fakeLambda({}) });
    const arn = await createMachine(harness, 'names', {
      StartAt: 'P',
      States: { P: { Type: 'Pass', End: true } },
    });
    for (const name of ['has space', 'a/b', 'x'.repeat(81)]) {
      await expect(
        harness.client.send(new StartExecutionCommand({ stateMachineArn: arn, name })),
      ).rejects.toMatchObject({
        name: 'InvalidName',
      });
    }
  });

  it('runs a one-hour Wait at accelerated time', async () => {
    const harness = await start({ lambda: fakeLambda({}), waitScale: 0.0001 });
    const arn = await createMachine(harness, 'wait', {
      StartAt: 'Hour',
      States: {
        Hour: { Type: 'Wait', Seconds: 3600, Next: 'Path' },
        Path: { Type: 'Wait', SecondsPath: '$.delay', End: true },
      },
    });
    const started = Date.now();
    const execution = await run(harness, arn, { delay: 3600 });
    const elapsed = Date.now() - started;
    expect(execution.status).toBe('SUCCEEDED');
    expect(elapsed).toBeGreaterThanOrEqual(700);
    expect(elapsed).toBeLessThan(5000);
    const types = (await history(harness, execution.executionArn)).map((event) => event.type);
    expect(types).toEqual([
      'ExecutionStarted',
      'WaitStateEntered',
      'WaitStateExited',
      'WaitStateEntered',
      'WaitStateExited',
      'ExecutionSucceeded',
    ]);
  });

  it('wakes a Wait when the clock is advanced past it', async () => {
    const harness = await start({ lambda: fakeLambda({}), waitScale: 1 });
    const arn = await createMachine(harness, 'clocked', {
      StartAt: 'Day',
      States: { Day: { Type: 'Wait', Seconds: 86_400, End: true } },
    });
    const { executionArn } = await harness.client.send(new StartExecutionCommand({ stateMachineArn: arn }));
    harness.clock.advance(86_400_000);
    await harness.sfn.whenIdle();
    expect((await harness.client.send(new DescribeExecutionCommand({ executionArn }))).status).toBe(
      'SUCCEEDED',
    );
  });

  it('times the execution out on TimeoutSeconds even when its Wait is accelerated', async () => {
    const harness = await start({ lambda: fakeLambda({}), waitScale: 0.0001 });
    const arn = await createMachine(harness, 'late', {
      TimeoutSeconds: 60,
      StartAt: 'Hour',
      States: { Hour: { Type: 'Wait', Seconds: 3600, End: true } },
    });
    const execution = await run(harness, arn, {});
    expect(execution).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
    const events = await history(harness, execution.executionArn);
    expect(events.at(-1)?.type).toBe('ExecutionTimedOut');
  });

  it('runs Parallel branches and Map iterations', async () => {
    const harness = await start({
      lambda: fakeLambda({ double: (n) => (n as number) * 2, inc: (n) => (n as number) + 1 }),
    });
    const arn = await createMachine(harness, 'fanout', {
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          Branches: [
            {
              StartAt: 'Double',
              States: { Double: { Type: 'Task', Resource: fn('double'), InputPath: '$.n', End: true } },
            },
            {
              StartAt: 'Inc',
              States: { Inc: { Type: 'Task', Resource: fn('inc'), InputPath: '$.n', End: true } },
            },
          ],
          Next: 'Each',
        },
        Each: {
          Type: 'Map',
          MaxConcurrency: 2,
          ItemProcessor: {
            StartAt: 'Twice',
            States: { Twice: { Type: 'Task', Resource: fn('double'), End: true } },
          },
          End: true,
        },
      },
    });
    const execution = await run(harness, arn, { n: 5 });
    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output as string)).toEqual([20, 12]);
    const events = await history(harness, execution.executionArn);
    const types = events.map((event) => event.type);
    expect(types.indexOf('ParallelStateSucceeded')).toBeGreaterThan(
      types.lastIndexOf('LambdaFunctionSucceeded', types.indexOf('MapStateEntered')),
    );
    expect(events.find((event) => event.type === 'MapStateStarted')?.mapStateStartedEventDetails).toEqual({
      length: 2,
    });
    expect(
      events
        .filter((event) => event.type === 'MapIterationSucceeded')
        .map((event) => event.mapIterationSucceededEventDetails?.index)
        .sort(),
    ).toEqual([0, 1]);
    expect(types.at(-3)).toBe('MapStateSucceeded');
  });

  it('gives lambda:invoke the Invoke response wrapper as output', async () => {
    const harness = await start({
      lambda: fakeLambda({ greet: (payload) => ({ hello: (payload as { who: string }).who }) }),
    });
    const arn = await createMachine(harness, 'invoke', {
      StartAt: 'Greet',
      States: {
        Greet: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: fn('greet'), 'Payload.$': '$' },
          End: true,
        },
      },
    });
    const execution = await run(harness, arn, { who: 'tenant' });
    const output = JSON.parse(execution.output as string);
    expect(output).toMatchObject({
      ExecutedVersion: '$LATEST',
      Payload: { hello: 'tenant' },
      StatusCode: 200,
      SdkHttpMetadata: { HttpStatusCode: 200 },
      SdkResponseMetadata: { RequestId: expect.any(String) },
    });
  });

  it('stops a running execution as ABORTED with its error and cause', async () => {
    const harness = await start({ lambda: fakeLambda({}), waitScale: 1 });
    const arn = await createMachine(harness, 'stoppable', {
      StartAt: 'Hold',
      States: { Hold: { Type: 'Wait', Seconds: 3600, End: true } },
    });
    const { executionArn } = await harness.client.send(new StartExecutionCommand({ stateMachineArn: arn }));
    const stopped = await harness.client.send(
      new StopExecutionCommand({ executionArn, error: 'Cancelled', cause: 'tenant deleted' }),
    );
    expect(stopped.stopDate).toBeInstanceOf(Date);
    const execution = await harness.client.send(new DescribeExecutionCommand({ executionArn }));
    expect(execution).toMatchObject({ status: 'ABORTED', error: 'Cancelled', cause: 'tenant deleted' });
    const events = await history(harness, executionArn);
    expect(events.at(-1)).toMatchObject({
      type: 'ExecutionAborted',
      executionAbortedEventDetails: { error: 'Cancelled', cause: 'tenant deleted' },
    });
  });

  it('pages ListExecutions newest first and filters by status', async () => {
    const harness = await start({ lambda: fakeLambda({}) });
    const arn = await createMachine(harness, 'many', {
      StartAt: 'P',
      States: { P: { Type: 'Pass', End: true } },
    });
    for (let index = 0; index < 5; index += 1) {
      await run(harness, arn, { index }, `run-${index}`);
      harness.clock.advance(1000);
    }
    const first = await harness.client.send(
      new ListExecutionsCommand({ stateMachineArn: arn, maxResults: 2 }),
    );
    expect(first.executions?.map((execution) => execution.name)).toEqual(['run-4', 'run-3']);
    const second = await harness.client.send(
      new ListExecutionsCommand({ stateMachineArn: arn, maxResults: 2, nextToken: first.nextToken }),
    );
    const third = await harness.client.send(
      new ListExecutionsCommand({ stateMachineArn: arn, maxResults: 2, nextToken: second.nextToken }),
    );
    expect(
      [...(second.executions ?? []), ...(third.executions ?? [])].map((execution) => execution.name),
    ).toEqual(['run-2', 'run-1', 'run-0']);
    expect(third.nextToken).toBeUndefined();
    const running = await harness.client.send(
      new ListExecutionsCommand({ stateMachineArn: arn, statusFilter: 'RUNNING' }),
    );
    expect(running.executions).toEqual([]);
    const succeeded = await harness.client.send(
      new ListExecutionsCommand({ stateMachineArn: arn, statusFilter: 'SUCCEEDED' }),
    );
    expect(succeeded.executions).toHaveLength(5);
  });

  it('pages the history in reverse order', async () => {
    const harness = await start({ lambda: fakeLambda({}) });
    const arn = await createMachine(harness, 'pages', {
      StartAt: 'A',
      States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', End: true } },
    });
    const execution = await run(harness, arn, {});
    const page = await harness.client.send(
      new GetExecutionHistoryCommand({
        executionArn: execution.executionArn,
        reverseOrder: true,
        maxResults: 2,
      }),
    );
    expect(page.events?.map((event) => event.type)).toEqual(['ExecutionSucceeded', 'PassStateExited']);
    const next = await harness.client.send(
      new GetExecutionHistoryCommand({
        executionArn: execution.executionArn,
        reverseOrder: true,
        maxResults: 10,
        nextToken: page.nextToken,
      }),
    );
    expect(next.events?.map((event) => event.id)).toEqual([4, 3, 2, 1]);
  });

  it('answers ExecutionDoesNotExist for an unknown execution', async () => {
    const harness = await start({ lambda: fakeLambda({}) });
    await expect(
      harness.client.send(
        new DescribeExecutionCommand({
          executionArn: `arn:aws:states:${REGION}:${ACCOUNT}:execution:none:x`,
        }),
      ),
    ).rejects.toBeInstanceOf(ExecutionDoesNotExist);
  });

  it('refuses a state machine using an unsupported integration, naming it', async () => {
    const harness = await start({ lambda: fakeLambda({}) });
    const attempt = createMachine(harness, 'callback', {
      StartAt: 'Approve',
      States: {
        Approve: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Parameters: { FunctionName: fn('approve'), Payload: { 'token.$': '$$.Task.Token' } },
          End: true,
        },
      },
    });
    await expect(attempt).rejects.toBeInstanceOf(InvalidDefinition);
    await expect(attempt).rejects.toThrow(
      'state "Approve" uses arn:aws:states:::lambda:invoke.waitForTaskToken',
    );
    const listed = await harness.client.send(new ListStateMachinesCommand({}));
    expect(listed.stateMachines).toEqual([]);
  });

  it('keeps state machines and histories across a restart and fails executions that were running', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sfn-'));
    dirs.push(dir);
    const dataFile = join(dir, 'stepfunctions.json');
    const first = await startStepFunctions({ lambda: orderLambda(), dataFile, waitScale: 0.0001 });
    const ordersArn = await createMachine(first, 'orders', ORDER_FLOW);
    const finished = await run(first, ordersArn, { qty: 1 }, 'done');
    const finishedHistory = await history(first, finished.executionArn);
    const slowArn = await createMachine(first, 'slow', {
      StartAt: 'Hold',
      States: { Hold: { Type: 'Wait', Seconds: 86_400_000, End: true } },
    });
    const { executionArn: interrupted } = await first.client.send(
      new StartExecutionCommand({ stateMachineArn: slowArn, name: 'interrupted' }),
    );
    await first.close();

    const second = await start({ lambda: orderLambda(), dataFile });
    const machines = await second.client.send(new ListStateMachinesCommand({}));
    expect(machines.stateMachines?.map((machine) => machine.name)).toEqual(['orders', 'slow']);
    const kept = await second.client.send(
      new DescribeExecutionCommand({ executionArn: finished.executionArn }),
    );
    expect(kept).toMatchObject({ status: 'SUCCEEDED', output: finished.output });
    expect(await history(second, finished.executionArn)).toEqual(finishedHistory);
    const stopped = await second.client.send(new DescribeExecutionCommand({ executionArn: interrupted }));
    expect(stopped).toMatchObject({ status: 'FAILED', error: 'States.Runtime', cause: INTERRUPTED_CAUSE });
    expect((await history(second, interrupted)).at(-1)?.type).toBe('ExecutionFailed');
    const rerun = await run(second, ordersArn, { qty: 1 });
    expect(rerun.status).toBe('SUCCEEDED');
  });
});
