/**
 * A Step Functions emulator for the local cloud: the JSON API (`@aws-sdk/client-sfn` works
 * against it), executions run by aws-local-stepfunctions with Task states on the local Lambda
 * runtime, AWS-shaped execution histories, persistence, and the CloudFormation provider of
 * `AWS::StepFunctions::StateMachine`.
 *
 * @example
 * ```ts
 * const sfn = createStepFunctions({ region: 'us-east-1', accountId: '000000000000', clock, lambda,
 *   dataFile: join(dataDir, 'stepfunctions.json') });
 * createAwsRouter({ lambda: lambda.handle, states: sfn.handle });
 * const stacks = new StackEngine({ providers: { ...sfn.providers, ... }, ... });
 * // on shutdown
 * await sfn.close();
 * ```
 */
import './polyfill.js';
import type { Clock, HttpHandler, LambdaInvoker, ProviderMap } from '../types.js';
import { SfnServiceError } from './errors.js';
import { createHttpHandler } from './http.js';
import { type Deps, type OperationInput, type OperationResult, operations } from './operations.js';
import { createStepFunctionsProviders } from './providers.js';
import { createStore, INTERRUPTED_CAUSE, INTERRUPTED_ERROR } from './store.js';

export { InvalidDefinitionError, SfnServiceError, UnsupportedDefinitionError } from './errors.js';
export type { ExecutionRecord, HistoryEvent, StateMachineRecord } from './model.js';
export { INTERRUPTED_CAUSE, INTERRUPTED_ERROR };

export interface StepFunctionsOptions {
  region: string;
  accountId: string;
  clock: Clock;
  lambda: LambdaInvoker;
  /** JSON persistence path; everything stays in memory when absent. */
  dataFile?: string;
  /**
   * Wait states (and Retry intervals) run at accelerated time: real sleep = declared × waitScale.
   * Default 0.001 (a one-hour Wait takes 3.6 s). Advancing the clock past a Wait's end wakes it too.
   */
  waitScale?: number;
}

export interface StepFunctions {
  /** The AWS JSON 1.0 API; mount it under the signing name `states` of the AWS router. */
  handle: HttpHandler;
  /** CloudFormation provider for AWS::StepFunctions::StateMachine. */
  providers: ProviderMap;
  /**
   * Runs an operation in-process with the request and response shapes of the AWS API (dates as
   * epoch seconds). Rejects with {@link SfnServiceError} exactly where the HTTP API answers an error.
   */
  call(operation: string, input: OperationInput): Promise<OperationResult>;
  /** Persists now (no-op in memory). */
  flush(): Promise<void>;
  /**
   * Stops: executions still running are closed as FAILED (`States.Runtime`, {@link INTERRUPTED_CAUSE})
   * since the interpreter cannot resume them, then everything is persisted.
   */
  close(): Promise<void>;
  /** Settles when no execution is running (those started meanwhile included). */
  whenIdle(): Promise<void>;
}

export function createStepFunctions(opts: StepFunctionsOptions): StepFunctions {
  const waitScale = opts.waitScale ?? 0.001;
  if (!Number.isFinite(waitScale) || waitScale < 0) throw new Error('waitScale must be a number ≥ 0');
  const store = createStore(opts.dataFile, () => opts.clock.now());
  const deps: Deps = {
    region: opts.region,
    accountId: opts.accountId,
    clock: opts.clock,
    lambda: opts.lambda,
    waitScale,
    store,
    running: new Map(),
    prepared: new Map(),
  };
  const restored = new Set(Object.keys(store.state.stateMachines));
  let closed = false;
  const call = async (operation: string, input: OperationInput): Promise<OperationResult> => {
    if (closed)
      throw new SfnServiceError('ServiceUnavailable', 'the local Step Functions emulator is closed', {
        statusCode: 503,
      });
    const run = Object.hasOwn(operations, operation) ? operations[operation] : undefined;
    if (!run) {
      throw new SfnServiceError(
        'UnknownOperationException',
        `The local Step Functions emulator does not support the ${operation} operation`,
      );
    }
    return run(deps, input);
  };
  return {
    handle: createHttpHandler(call),
    providers: createStepFunctionsProviders(deps, restored),
    call,
    flush: () => store.flush(),
    async close() {
      closed = true;
      for (const running of deps.running.values()) running.interrupt();
      deps.running.clear();
      store.changed();
      await store.flush();
    },
    async whenIdle() {
      while (deps.running.size > 0)
        await Promise.all([...deps.running.values()].map((running) => running.done));
    },
  };
}
