/**
 * Runs one execution on aws-local-stepfunctions: Task states call the local Lambda runtime, Wait
 * states and `TimeoutSeconds` run on the execution's accelerated clock, and the history is
 * recorded as it happens.
 */
import './polyfill.js';
import { StateMachine } from 'aws-local-stepfunctions';
import type { Clock, LambdaInvoker } from '../types.js';
import { LAMBDA_INVOKE, type PreparedDefinition } from './definition.js';
import { HistoryRecorder } from './history.js';
import { listenToExecution } from './interpreter-events.js';
import type { ExecutionRecord, StateMachineRecord } from './model.js';
import { INTERRUPTED_CAUSE, INTERRUPTED_ERROR } from './store.js';
import { functionTask, lambdaInvokeTask, type TaskHandler, waitTask } from './tasks.js';
import { createVirtualTime } from './virtual-time.js';

export interface RunnerDeps {
  clock: Clock;
  lambda: LambdaInvoker;
  region: string;
  waitScale: number;
  /** The record changed (history grew, status changed): persist soon. */
  changed(): void;
}

export interface RunningExecution {
  /** StopExecution: ABORTED with the given error and cause (no-op once the execution has closed). */
  stop(error?: string, cause?: string): void;
  /** The local cloud stops: FAILED with `States.Runtime` and {@link INTERRUPTED_CAUSE}. */
  interrupt(): void;
  /** Settles once the execution has closed. */
  done: Promise<void>;
}

/** How often the watchdog of an execution with TimeoutSeconds looks at its clock. */
const TIMEOUT_POLL_MS = 20;
const FAIL_STATE_DEFAULT_ERROR = 'FailStateError';
const FAIL_STATE_DEFAULT_CAUSE = 'Execution failed because of a Fail state';

/** Error and cause of a failed run, as Step Functions reports them. */
function failureOf(error: unknown): { error?: string; cause?: string } {
  const inner =
    (error as { cause?: unknown })?.cause instanceof Error ? (error as { cause: Error }).cause : error;
  if (!(inner instanceof Error)) return { error: 'States.Runtime', cause: String(inner) };
  // A Fail state without Error/Cause closes the execution without them; the interpreter fills in defaults.
  const name = inner.name === FAIL_STATE_DEFAULT_ERROR ? undefined : inner.name;
  const cause =
    inner.message === FAIL_STATE_DEFAULT_CAUSE || inner.message === inner.name ? undefined : inner.message;
  return { ...(name === undefined ? {} : { error: name }), ...(cause === undefined ? {} : { cause }) };
}

export function runExecution(
  record: ExecutionRecord,
  stateMachine: StateMachineRecord,
  prepared: PreparedDefinition,
  deps: RunnerDeps,
): RunningExecution {
  const recorder = new HistoryRecorder(record, prepared, deps.region, () => deps.clock.now(), deps.changed);
  const time = createVirtualTime(deps.clock, deps.waitScale);
  const aborter = new AbortController();
  const startedAt = time.now();
  const timeoutAt =
    prepared.timeoutSeconds === undefined
      ? Number.POSITIVE_INFINITY
      : startedAt + prepared.timeoutSeconds * 1000;
  const context = {
    Execution: {
      Id: record.arn,
      Name: record.name,
      RoleArn: stateMachine.roleArn,
      StartTime: new Date(record.startDate).toISOString(),
      RedriveCount: 0,
    },
    StateMachine: { Id: stateMachine.arn, Name: stateMachine.name },
  };
  let input: unknown;
  try {
    input = JSON.parse(record.input);
  } catch {
    input = {};
  }
  let settle!: () => void;
  const done = new Promise<void>((resolve) => {
    settle = resolve;
  });
  let watchdog: NodeJS.Timeout | undefined;
  let stopListening = () => {};
  let abortRun = () => {};

  /** Closes the record; unless the interpreter itself finished (`byInterpreter`), its run is aborted. */
  const close = (
    status: ExecutionRecord['status'],
    fields: Partial<ExecutionRecord>,
    byInterpreter = false,
  ) => {
    if (record.status !== 'RUNNING') return;
    record.status = status;
    record.stopDate = deps.clock.now();
    Object.assign(record, fields);
    recorder.executionClosed();
    if (watchdog) clearInterval(watchdog);
    stopListening();
    aborter.abort();
    if (!byInterpreter) abortRun();
    deps.changed();
    settle();
  };
  const checkTimeout = () => {
    if (time.now() >= timeoutAt) close('TIMED_OUT', { error: 'States.Timeout' });
  };

  const wait = {
    now: () => time.now(),
    async until(deadline: number) {
      await time.waitUntil(Math.min(deadline, timeoutAt), aborter.signal);
      checkTimeout();
    },
    context: () => ({ ...context, Execution: { ...context.Execution, Input: input } }),
  };
  const taskContext = {
    lambda: deps.lambda,
    recorder,
    timeoutSeconds: (name: string) => prepared.states.get(name)?.timeoutSeconds,
  };
  const handlers: Record<string, TaskHandler> = {};
  for (const info of prepared.states.values()) {
    if (info.type === 'Wait') handlers[info.name] = waitTask(info, wait);
    else if (info.type === 'Task') {
      handlers[info.name] = LAMBDA_INVOKE.test(info.resource ?? '')
        ? lambdaInvokeTask(info, taskContext)
        : functionTask(info, taskContext);
    }
  }

  recorder.executionStarted(record.input, stateMachine.roleArn);
  stopListening = listenToExecution(record.arn, recorder);
  try {
    const machine = new StateMachine(prepared.runnable, { validationOptions: { noValidate: true } });
    const run = machine.run(input as never, {
      overrides: { taskResourceLocalHandlers: handlers as never },
      noThrowOnAbort: true,
      context,
    });
    abortRun = run.abort;
    run.result.then(
      (output) => close('SUCCEEDED', { output: JSON.stringify(output ?? null) }, true),
      (error: unknown) => close('FAILED', failureOf(error), true),
    );
  } catch (error) {
    close(
      'FAILED',
      { error: 'States.Runtime', cause: error instanceof Error ? error.message : String(error) },
      true,
    );
  }
  if (Number.isFinite(timeoutAt) && record.status === 'RUNNING') {
    watchdog = setInterval(checkTimeout, TIMEOUT_POLL_MS);
    watchdog.unref();
  }
  return {
    stop(error, cause) {
      close('ABORTED', {
        ...(error === undefined ? {} : { error }),
        ...(cause === undefined ? {} : { cause }),
      });
    },
    interrupt() {
      close('FAILED', { error: INTERRUPTED_ERROR, cause: INTERRUPTED_CAUSE });
    },
    done,
  };
}
