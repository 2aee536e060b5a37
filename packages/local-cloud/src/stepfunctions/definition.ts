/**
 * State machine definitions: parsing, validation (asl-validator, as AWS would refuse), the check
 * for what the local interpreter cannot run, and the rewrite the interpreter actually runs.
 */
import aslValidator from 'asl-validator';
import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import { InvalidDefinitionError, UnsupportedDefinitionError } from './errors.js';

export type JsonObject = Record<string, unknown>;

/** How long a Wait state waits, from its original definition. */
export interface WaitSpec {
  Seconds?: number;
  SecondsPath?: string;
  Timestamp?: string;
  TimestampPath?: string;
}

export interface StateInfo {
  name: string;
  /** The state's type in the definition as written (Wait states run as Tasks inside the interpreter). */
  type: string;
  resource?: string;
  /** A Task's TimeoutSeconds as written. */
  timeoutSeconds?: number;
  wait?: WaitSpec;
}

export interface PreparedDefinition {
  /** The definition handed to aws-local-stepfunctions. */
  runnable: StateMachineDefinition;
  /** Every state by name (names are unique across the whole machine, branches included). */
  states: Map<string, StateInfo>;
  /** Parallel branches and Map processors of `runnable`, by object identity, to their enclosing state. */
  scopes: WeakMap<object, { parentState: string; kind: 'branch' | 'iteration' }>;
  /** The machine's `TimeoutSeconds`, enforced by the emulator on the execution's virtual clock. */
  timeoutSeconds?: number;
}

export const LAMBDA_INVOKE = /^arn:aws[a-z-]*:states:::lambda:invoke$/;
export const LAMBDA_FUNCTION_ARN =
  /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:(\$LATEST|[A-Za-z0-9_-]+))?$/;
/** The resource of a rewritten Wait state; never reaches Lambda. */
export const LOCAL_WAIT_RESOURCE = 'arn:aws:states:::local:wait';
/** The longest delay Node timers can hold (about 24.8 days); longer ones fire at once. */
export const MAX_TIMER_SECONDS = 2_147_483;
const LAMBDA_INVOKE_PARAMETERS = new Set([
  'FunctionName',
  'Payload',
  'Qualifier',
  'InvocationType',
  'ClientContext',
  'LogType',
]);
/** Fields of the newer ASL features the interpreter does not implement. */
const UNSUPPORTED_FIELDS: Record<string, string> = {
  Assign: 'variables (Assign)',
  Arguments: 'JSONata Arguments',
  Output: 'JSONata Output',
  Items: 'Map Items (JSONata)',
  ItemReader: 'Distributed Map ItemReader',
  ItemBatcher: 'Distributed Map ItemBatcher',
  ResultWriter: 'Distributed Map ResultWriter',
  ToleratedFailureCount: 'Distributed Map ToleratedFailureCount',
  ToleratedFailureCountPath: 'Distributed Map ToleratedFailureCountPath',
  ToleratedFailurePercentage: 'Distributed Map ToleratedFailurePercentage',
  ToleratedFailurePercentagePath: 'Distributed Map ToleratedFailurePercentagePath',
  Credentials: 'cross-account Task Credentials',
};

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Parses a definition string; bad JSON is an InvalidDefinition, as in AWS. */
export function parseDefinition(text: unknown): JsonObject {
  if (typeof text !== 'string')
    throw new InvalidDefinitionError('INVALID_JSON_DESCRIPTION: definition must be a string');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InvalidDefinitionError(
      `INVALID_JSON_DESCRIPTION: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (!isObject(parsed))
    throw new InvalidDefinitionError('INVALID_JSON_DESCRIPTION: the definition must be a JSON object');
  return parsed;
}

function describeResource(resource: string): string {
  if (resource.includes('.waitForTaskToken')) return 'the .waitForTaskToken callback pattern';
  if (/\.sync(:\d+)?$/.test(resource)) return 'the .sync (run a job) integration pattern';
  if (resource.includes(':::aws-sdk:')) return 'an AWS SDK integration (aws-sdk:*)';
  if (/:states:[^:]*:[^:]*:activity:/.test(resource)) return 'an activity';
  const integration = /:states:::([^:]+:[^:]+)$/.exec(resource);
  if (integration) return `the ${integration[1]} service integration`;
  return 'a resource that is neither a Lambda function ARN nor arn:aws:states:::lambda:invoke';
}

interface Findings {
  invalid: string[];
  unsupported: string[];
}

function scanStates(states: JsonObject, findings: Findings): void {
  for (const [name, state] of Object.entries(states)) {
    if (!isObject(state)) continue;
    if (state.QueryLanguage === 'JSONata') findings.unsupported.push(`state "${name}" uses JSONata`);
    for (const [field, label] of Object.entries(UNSUPPORTED_FIELDS)) {
      if (field in state) findings.unsupported.push(`state "${name}" uses ${label}`);
    }
    if (isObject(state.ProcessorConfig) && state.ProcessorConfig.Mode === 'DISTRIBUTED') {
      findings.unsupported.push(`state "${name}" is a Distributed Map`);
    }
    if (state.Type === 'Task' && typeof state.Resource === 'string') {
      const resource = state.Resource;
      if (LAMBDA_INVOKE.test(resource)) {
        const parameters = state.Parameters;
        if (!isObject(parameters)) {
          findings.invalid.push(
            `SCHEMA_VALIDATION_FAILED: The field "FunctionName" is required but was missing at /States/${name}/Parameters`,
          );
        } else {
          const fields = Object.keys(parameters).map((key) => key.replace(/\.\$$/, ''));
          if (!fields.includes('FunctionName')) {
            findings.invalid.push(
              `SCHEMA_VALIDATION_FAILED: The field "FunctionName" is required but was missing at /States/${name}/Parameters`,
            );
          }
          for (const field of fields) {
            if (!LAMBDA_INVOKE_PARAMETERS.has(field)) {
              findings.invalid.push(
                `SCHEMA_VALIDATION_FAILED: The field "${field}" is not supported by Step Functions at /States/${name}/Parameters`,
              );
            }
          }
        }
      } else if (!LAMBDA_FUNCTION_ARN.test(resource)) {
        findings.unsupported.push(`state "${name}" uses ${resource} (${describeResource(resource)})`);
      }
    }
    for (const branch of Array.isArray(state.Branches) ? state.Branches : []) {
      if (isObject(branch) && isObject(branch.States)) scanStates(branch.States, findings);
    }
    const processor = state.ItemProcessor ?? state.Iterator;
    if (isObject(processor) && isObject(processor.States)) scanStates(processor.States, findings);
  }
}

/**
 * Throws {@link InvalidDefinitionError} where AWS would refuse the definition and
 * {@link UnsupportedDefinitionError} naming every feature the local interpreter cannot run.
 */
export function checkDefinition(definition: JsonObject): void {
  // asl-validator writes defaults (QueryLanguage) into what it is given.
  const result = aslValidator(structuredClone(definition), { checkArn: true, checkPaths: true });
  if (!result.isValid) throw new InvalidDefinitionError(result.errorsText('; '));
  const findings: Findings = { invalid: [], unsupported: [] };
  if (definition.QueryLanguage === 'JSONata')
    findings.unsupported.push('the state machine uses JSONata (QueryLanguage)');
  if (isObject(definition.States)) scanStates(definition.States, findings);
  if (findings.invalid.length > 0) throw new InvalidDefinitionError(findings.invalid.join('; '));
  if (findings.unsupported.length > 0) throw new UnsupportedDefinitionError(findings.unsupported);
}

function scaleRetriers(state: JsonObject, waitScale: number): void {
  if (!Array.isArray(state.Retry)) return;
  // The interpreter computes IntervalSeconds × BackoffRate^attempt capped at MaxDelaySeconds (then
  // jitter): scaling the two durations scales every delay and keeps backoff, cap and jitter exact.
  state.Retry = state.Retry.map((retrier: JsonObject) => ({
    ...retrier,
    IntervalSeconds: ((retrier.IntervalSeconds as number | undefined) ?? 1) * waitScale,
    ...(typeof retrier.MaxDelaySeconds === 'number'
      ? { MaxDelaySeconds: retrier.MaxDelaySeconds * waitScale }
      : {}),
  }));
}

function prepareStates(
  states: JsonObject,
  prepared: Pick<PreparedDefinition, 'states' | 'scopes'>,
  waitScale: number,
): void {
  for (const [name, value] of Object.entries(states)) {
    const state = value as JsonObject;
    const info: StateInfo = { name, type: String(state.Type) };
    prepared.states.set(name, info);
    scaleRetriers(state, waitScale);
    if (state.Type === 'Task') {
      info.resource = String(state.Resource);
      if (typeof state.TimeoutSeconds === 'number') info.timeoutSeconds = state.TimeoutSeconds;
      // The interpreter's default Task timeout is 60 s where AWS allows 99999999 s.
      if (state.TimeoutSecondsPath === undefined) {
        state.TimeoutSeconds = Math.min(
          (state.TimeoutSeconds as number | undefined) ?? MAX_TIMER_SECONDS,
          MAX_TIMER_SECONDS,
        );
      }
    } else if (state.Type === 'Wait') {
      info.wait = {};
      for (const key of ['Seconds', 'SecondsPath', 'Timestamp', 'TimestampPath'] as const) {
        if (key in state) Object.assign(info.wait, { [key]: state[key] });
      }
      // A Wait runs as a Task whose local handler waits on the execution's accelerated clock.
      const task: JsonObject = {
        Type: 'Task',
        Resource: LOCAL_WAIT_RESOURCE,
        TimeoutSeconds: MAX_TIMER_SECONDS,
      };
      for (const key of ['Comment', 'InputPath', 'OutputPath', 'Next', 'End']) {
        if (key in state) task[key] = state[key];
      }
      states[name] = task;
    } else if (state.Type === 'Parallel' && Array.isArray(state.Branches)) {
      for (const branch of state.Branches as JsonObject[]) {
        prepared.scopes.set(branch, { parentState: name, kind: 'branch' });
        prepareStates(branch.States as JsonObject, prepared, waitScale);
      }
    } else if (state.Type === 'Map') {
      const processor = (state.ItemProcessor ?? state.Iterator) as JsonObject;
      prepared.scopes.set(processor, { parentState: name, kind: 'iteration' });
      prepareStates(processor.States as JsonObject, prepared, waitScale);
    }
  }
}

/** The definition the interpreter runs (a rewritten copy) and what the emulator needs to know about it. */
export function prepareDefinition(definition: JsonObject, waitScale: number): PreparedDefinition {
  const runnable = structuredClone(definition);
  const timeoutSeconds = typeof runnable.TimeoutSeconds === 'number' ? runnable.TimeoutSeconds : undefined;
  delete runnable.TimeoutSeconds;
  const prepared: PreparedDefinition = {
    runnable: runnable as unknown as StateMachineDefinition,
    states: new Map(),
    scopes: new WeakMap(),
    ...(timeoutSeconds === undefined ? {} : { timeoutSeconds }),
  };
  prepareStates(runnable.States as JsonObject, prepared, waitScale);
  return prepared;
}
