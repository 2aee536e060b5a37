/**
 * The local handlers of Task states: Lambda function ARNs and `arn:aws:states:::lambda:invoke`
 * call the local cloud's Lambda runtime; rewritten Wait states wait on the execution's clock.
 */
import { randomUUID } from 'node:crypto';
import type { LambdaInvoker } from '../types.js';
import type { StateInfo } from './definition.js';
import { StatesTaskError } from './errors.js';
import type { HistoryRecorder } from './history.js';
import { readReferencePath } from './reference-path.js';

export type TaskHandler = (input: unknown) => Promise<unknown>;

export interface TaskContext {
  lambda: LambdaInvoker;
  recorder: HistoryRecorder;
  /** The Task's TimeoutSeconds as written (for the history), when it has one. */
  timeoutSeconds(state: string): number | undefined;
}

const RFC3339 =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

/** A failure of Lambda itself (function not found, throttled...) as Step Functions names it. */
function serviceFailure(error: unknown): StatesTaskError {
  const code = (error as { code?: unknown }).code;
  const name = typeof code === 'string' && code ? `Lambda.${code}` : 'Lambda.ServiceException';
  return new StatesTaskError(name, error instanceof Error ? error.message : String(error));
}

async function invoke(
  lambda: LambdaInvoker,
  target: string,
  payload: unknown,
): Promise<{ ok: true; payload: unknown } | { ok: false; error: StatesTaskError }> {
  let result: Awaited<ReturnType<LambdaInvoker['invoke']>>;
  try {
    result = await lambda.invoke(target, payload);
  } catch (error) {
    return { ok: false, error: serviceFailure(error) };
  }
  if (result.ok) return { ok: true, payload: result.payload ?? null };
  // As in AWS: Error is the function's errorType, Cause the function's error payload as JSON.
  return { ok: false, error: new StatesTaskError(result.error.errorType, JSON.stringify(result.error)) };
}

/** A Task whose Resource is a Lambda function ARN: the result is the function's return value. */
export function functionTask(info: StateInfo, context: TaskContext): TaskHandler {
  const resource = info.resource as string;
  return async (input) => {
    const attempt = context.recorder.taskStarted(
      info.name,
      { kind: 'function', resource, input },
      context.timeoutSeconds(info.name),
    );
    const result = await invoke(context.lambda, resource, input);
    if (!result.ok) {
      context.recorder.taskFailed(attempt, result.error.name, result.error.message);
      throw result.error;
    }
    context.recorder.taskSucceeded(attempt, result.payload);
    return result.payload;
  };
}

function invokeResponse(payload: unknown, statusCode: number, version: string): Record<string, unknown> {
  const requestId = randomUUID();
  const body = payload === '' ? '' : JSON.stringify(payload);
  const headers: Record<string, string> = {
    Connection: 'keep-alive',
    'Content-Length': String(Buffer.byteLength(body)),
    'Content-Type': 'application/json',
    Date: new Date().toUTCString(),
    'X-Amz-Executed-Version': version,
    'x-amzn-Remapped-Content-Length': '0',
    'x-amzn-RequestId': requestId,
    'X-Amzn-Trace-Id': `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomUUID().replaceAll('-', '').slice(0, 24)};Sampled=0`,
  };
  return {
    ExecutedVersion: version,
    Payload: payload,
    SdkHttpMetadata: {
      AllHttpHeaders: Object.fromEntries(Object.entries(headers).map(([key, value]) => [key, [value]])),
      HttpHeaders: headers,
      HttpStatusCode: statusCode,
    },
    SdkResponseMetadata: { RequestId: requestId },
    StatusCode: statusCode,
  };
}

/**
 * `arn:aws:states:::lambda:invoke`: the input is the evaluated `Parameters`
 * (`FunctionName`, `Payload`, `Qualifier`, `InvocationType`...), the result the Invoke response
 * wrapper `{ExecutedVersion, Payload, SdkHttpMetadata, SdkResponseMetadata, StatusCode}`.
 */
export function lambdaInvokeTask(info: StateInfo, context: TaskContext): TaskHandler {
  return async (input) => {
    const attempt = context.recorder.taskStarted(
      info.name,
      { kind: 'invoke', parameters: input },
      context.timeoutSeconds(info.name),
    );
    const parameters = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
    const { FunctionName, Payload, Qualifier, InvocationType = 'RequestResponse' } = parameters;
    if (typeof FunctionName !== 'string' || FunctionName === '') {
      const error = new StatesTaskError(
        'States.Runtime',
        `An error occurred while executing the state '${info.name}': the field "FunctionName" must be a non-empty string`,
        { terminal: true },
      );
      context.recorder.taskFailed(attempt, error.name, error.message);
      throw error;
    }
    const target = typeof Qualifier === 'string' ? `${FunctionName}:${Qualifier}` : FunctionName;
    const version = typeof Qualifier === 'string' && /^\d+$/.test(Qualifier) ? Qualifier : '$LATEST';
    const payload = Payload === undefined ? {} : Payload;
    let output: Record<string, unknown>;
    if (InvocationType === 'Event') {
      void invoke(context.lambda, target, payload);
      output = invokeResponse('', 202, version);
    } else if (InvocationType === 'DryRun') {
      output = invokeResponse('', 204, version);
    } else {
      const result = await invoke(context.lambda, target, payload);
      if (!result.ok) {
        context.recorder.taskFailed(attempt, result.error.name, result.error.message);
        throw result.error;
      }
      output = invokeResponse(result.payload, 200, version);
    }
    context.recorder.taskSucceeded(attempt, output);
    return output;
  };
}

/** A Wait state (rewritten as a Task): resolves with its input once the wait is over. */
export function waitTask(
  info: StateInfo,
  wait: { now(): number; until(deadline: number): Promise<void>; context(): unknown },
): TaskHandler {
  const spec = info.wait ?? {};
  const runtimeError = (message: string) =>
    new StatesTaskError(
      'States.Runtime',
      `An error occurred while executing the state '${info.name}': ${message}`,
      {
        terminal: true,
      },
    );
  const timestamp = (value: unknown): number => {
    if (typeof value !== 'string' || !RFC3339.test(value)) {
      throw runtimeError(`${JSON.stringify(value)} is not an RFC3339 timestamp`);
    }
    return Date.parse(value);
  };
  return async (input) => {
    let deadline: number;
    if (spec.Seconds !== undefined) deadline = wait.now() + spec.Seconds * 1000;
    else if (spec.Timestamp !== undefined) deadline = timestamp(spec.Timestamp);
    else if (spec.SecondsPath !== undefined) {
      const seconds = readReferencePath(spec.SecondsPath, input, wait.context());
      if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0) {
        throw runtimeError(
          `the SecondsPath '${spec.SecondsPath}' must select a non-negative integer, not ${JSON.stringify(seconds)}`,
        );
      }
      deadline = wait.now() + seconds * 1000;
    } else if (spec.TimestampPath !== undefined) {
      deadline = timestamp(readReferencePath(spec.TimestampPath, input, wait.context()));
    } else throw runtimeError('the Wait state has no duration');
    await wait.until(deadline);
    return input;
  };
}
