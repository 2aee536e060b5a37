/** The Step Functions API operations, with AWS's request validation, idempotency and errors. */
import { randomUUID } from 'node:crypto';
import type { Clock, LambdaInvoker } from '../types.js';
import {
  checkExecutionArn,
  checkName,
  checkRoleArn,
  checkStateMachineArn,
  executionArn,
  isExpressExecutionArn,
  stateMachineArn,
} from './arns.js';
import {
  checkDefinition,
  type PreparedDefinition,
  parseDefinition,
  prepareDefinition,
} from './definition.js';
import {
  InvalidDefinitionError,
  invalidArn,
  notFound,
  SfnServiceError,
  UnsupportedDefinitionError,
  validation,
} from './errors.js';
import type { ExecutionRecord, HistoryEvent, StateMachineRecord, StateMachineType } from './model.js';
import { paginate } from './paging.js';
import { type RunningExecution, runExecution } from './runner.js';
import type { Store } from './store.js';

export type OperationInput = Record<string, unknown>;
export type OperationResult = Record<string, unknown>;

export interface Deps {
  region: string;
  accountId: string;
  clock: Clock;
  lambda: LambdaInvoker;
  waitScale: number;
  store: Store;
  running: Map<string, RunningExecution>;
  prepared: Map<string, { revisionId: string; prepared: PreparedDefinition }>;
}

const MAX_INPUT_BYTES = 262_144;
const STATUSES = new Set(['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE']);
const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);
const optional = <T>(key: string, value: T | undefined) => (value === undefined ? {} : { [key]: value });

function stateMachineOf(deps: Deps, arn: string): StateMachineRecord {
  const record = deps.store.state.stateMachines[arn];
  if (!record) throw notFound('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
  return record;
}

function executionOf(deps: Deps, arn: string): ExecutionRecord {
  if (isExpressExecutionArn(arn)) {
    throw invalidArn(`Invalid Arn: 'Resource type not valid in this context: express' (${arn})`);
  }
  const record = deps.store.state.executions[arn];
  if (!record) throw notFound('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
  return record;
}

/** Parses, validates and prepares a definition; AWS's InvalidDefinition for both invalid and unsupported ones. */
function definitionFor(text: unknown, waitScale: number): PreparedDefinition {
  try {
    const definition = parseDefinition(text);
    checkDefinition(definition);
    return prepareDefinition(definition, waitScale);
  } catch (error) {
    if (error instanceof InvalidDefinitionError || error instanceof UnsupportedDefinitionError) {
      throw new SfnServiceError('InvalidDefinition', error.message, { cause: error });
    }
    throw error;
  }
}

function preparedOf(deps: Deps, record: StateMachineRecord): PreparedDefinition {
  const cached = deps.prepared.get(record.arn);
  if (cached && cached.revisionId === record.revisionId) return cached.prepared;
  const prepared = definitionFor(record.definition, deps.waitScale);
  deps.prepared.set(record.arn, { revisionId: record.revisionId, prepared });
  return prepared;
}

function checkType(type: unknown): StateMachineType {
  if (type === undefined) return 'STANDARD';
  if (type === 'STANDARD' || type === 'EXPRESS') return type;
  throw validation(
    `1 validation error detected: Value '${String(type)}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]`,
  );
}

function checkTags(tags: unknown): { key: string; value: string }[] {
  if (tags === undefined) return [];
  if (!Array.isArray(tags)) throw validation("'tags' must be a list of {key, value}");
  return tags.map((tag: { key?: unknown; value?: unknown }) => {
    if (typeof tag?.key !== 'string') throw validation("every tag needs a string 'key'");
    return { key: tag.key, value: typeof tag.value === 'string' ? tag.value : '' };
  });
}

export function createStateMachine(deps: Deps, input: OperationInput): OperationResult {
  const name = checkName(input.name, 'state machine');
  const roleArn = checkRoleArn(input.roleArn);
  const type = checkType(input.type);
  const prepared = definitionFor(input.definition, deps.waitScale);
  const arn = stateMachineArn(deps.region, deps.accountId, name);
  const loggingConfiguration = input.loggingConfiguration as Record<string, unknown> | undefined;
  const tracingConfiguration = input.tracingConfiguration as Record<string, unknown> | undefined;
  const existing = deps.store.state.stateMachines[arn];
  if (existing) {
    const same =
      existing.definition === input.definition &&
      existing.roleArn === roleArn &&
      existing.type === type &&
      JSON.stringify(existing.loggingConfiguration ?? null) ===
        JSON.stringify(loggingConfiguration ?? null) &&
      JSON.stringify(existing.tracingConfiguration ?? null) === JSON.stringify(tracingConfiguration ?? null);
    if (!same)
      throw new SfnServiceError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`);
    return { stateMachineArn: arn, creationDate: seconds(existing.creationDate) };
  }
  const record: StateMachineRecord = {
    arn,
    name,
    type,
    definition: input.definition as string,
    roleArn,
    creationDate: deps.clock.now(),
    revisionId: randomUUID(),
    ...optional('loggingConfiguration', loggingConfiguration),
    ...optional('tracingConfiguration', tracingConfiguration),
    tags: checkTags(input.tags),
  };
  deps.store.state.stateMachines[arn] = record;
  deps.prepared.set(arn, { revisionId: record.revisionId, prepared });
  deps.store.changed();
  return { stateMachineArn: arn, creationDate: seconds(record.creationDate) };
}

function describeStateMachine(deps: Deps, input: OperationInput): OperationResult {
  const record = stateMachineOf(deps, checkStateMachineArn(input.stateMachineArn));
  return {
    stateMachineArn: record.arn,
    name: record.name,
    status: 'ACTIVE',
    definition: record.definition,
    roleArn: record.roleArn,
    type: record.type,
    creationDate: seconds(record.creationDate),
    loggingConfiguration: record.loggingConfiguration ?? { level: 'OFF', includeExecutionData: false },
    tracingConfiguration: record.tracingConfiguration ?? { enabled: false },
    revisionId: record.revisionId,
  };
}

export function updateStateMachine(deps: Deps, input: OperationInput): OperationResult {
  const record = stateMachineOf(deps, checkStateMachineArn(input.stateMachineArn));
  if (
    input.definition === undefined &&
    input.roleArn === undefined &&
    input.loggingConfiguration === undefined &&
    input.tracingConfiguration === undefined
  ) {
    throw new SfnServiceError(
      'MissingRequiredParameter',
      'Either the definition, the roleArn, the loggingConfiguration or the tracingConfiguration must be specified',
    );
  }
  const prepared =
    input.definition === undefined ? undefined : definitionFor(input.definition, deps.waitScale);
  if (input.roleArn !== undefined) record.roleArn = checkRoleArn(input.roleArn);
  if (prepared) record.definition = input.definition as string;
  if (input.loggingConfiguration !== undefined)
    record.loggingConfiguration = input.loggingConfiguration as Record<string, unknown>;
  if (input.tracingConfiguration !== undefined)
    record.tracingConfiguration = input.tracingConfiguration as Record<string, unknown>;
  record.revisionId = randomUUID();
  if (prepared) deps.prepared.set(record.arn, { revisionId: record.revisionId, prepared });
  deps.store.changed();
  return { updateDate: seconds(deps.clock.now()), revisionId: record.revisionId };
}

/** Deletes a state machine; its running executions are aborted (their history is kept). */
export function deleteStateMachine(deps: Deps, input: OperationInput): OperationResult {
  const arn = checkStateMachineArn(input.stateMachineArn);
  if (!deps.store.state.stateMachines[arn]) return {};
  for (const execution of Object.values(deps.store.state.executions)) {
    if (execution.stateMachineArn === arn && execution.status === 'RUNNING') {
      deps.running.get(execution.arn)?.stop('States.Aborted', 'the state machine was deleted');
    }
  }
  delete deps.store.state.stateMachines[arn];
  deps.prepared.delete(arn);
  deps.store.changed();
  return {};
}

function listStateMachines(deps: Deps, input: OperationInput): OperationResult {
  const all = Object.values(deps.store.state.stateMachines).sort((a, b) => a.name.localeCompare(b.name));
  const page = paginate(all, 'ListStateMachines', input.maxResults, input.nextToken);
  return {
    stateMachines: page.items.map((record) => ({
      stateMachineArn: record.arn,
      name: record.name,
      type: record.type,
      creationDate: seconds(record.creationDate),
    })),
    ...optional('nextToken', page.nextToken),
  };
}

function checkInput(input: unknown): string {
  const text = input === undefined ? '{}' : input;
  if (typeof text !== 'string')
    throw new SfnServiceError(
      'InvalidExecutionInput',
      'Invalid State Machine Execution Input: input must be a string',
    );
  if (Buffer.byteLength(text) > MAX_INPUT_BYTES) {
    throw new SfnServiceError(
      'InvalidExecutionInput',
      `Invalid State Machine Execution Input: the input is larger than ${MAX_INPUT_BYTES} bytes`,
    );
  }
  try {
    JSON.parse(text);
  } catch (error) {
    throw new SfnServiceError(
      'InvalidExecutionInput',
      `Invalid State Machine Execution Input: '${error instanceof Error ? error.message : String(error)}'`,
    );
  }
  return text;
}

function start(deps: Deps, input: OperationInput): ExecutionRecord {
  const machine = stateMachineOf(deps, checkStateMachineArn(input.stateMachineArn));
  const name = input.name === undefined ? randomUUID() : checkName(input.name, 'execution');
  const text = checkInput(input.input);
  const arn = executionArn(deps.region, deps.accountId, machine.name, name, machine.type);
  const existing = deps.store.state.executions[arn];
  if (existing) {
    // AWS: same name and input as an open execution is the same call; anything else is a conflict.
    if (existing.status === 'RUNNING' && existing.input === text) return existing;
    throw new SfnServiceError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
  }
  const prepared = preparedOf(deps, machine);
  const record: ExecutionRecord = {
    arn,
    stateMachineArn: machine.arn,
    name,
    status: 'RUNNING',
    input: text,
    startDate: deps.clock.now(),
    ...optional('traceHeader', typeof input.traceHeader === 'string' ? input.traceHeader : undefined),
    events: [],
  };
  deps.store.state.executions[arn] = record;
  const running = runExecution(record, machine, prepared, {
    clock: deps.clock,
    lambda: deps.lambda,
    region: deps.region,
    waitScale: deps.waitScale,
    changed: () => deps.store.changed(),
  });
  deps.running.set(arn, running);
  void running.done.then(() => deps.running.delete(arn));
  deps.store.changed();
  return record;
}

function startExecution(deps: Deps, input: OperationInput): OperationResult {
  const record = start(deps, input);
  return { executionArn: record.arn, startDate: seconds(record.startDate) };
}

async function startSyncExecution(deps: Deps, input: OperationInput): Promise<OperationResult> {
  const machine = stateMachineOf(deps, checkStateMachineArn(input.stateMachineArn));
  if (machine.type !== 'EXPRESS') {
    throw new SfnServiceError(
      'StateMachineTypeNotSupported',
      'This operation is not supported by this type of state machine',
    );
  }
  const record = start(deps, input);
  await deps.running.get(record.arn)?.done;
  // Synchronous Express executions are not kept (AWS does not list or describe them).
  delete deps.store.state.executions[record.arn];
  deps.store.changed();
  return {
    executionArn: record.arn,
    stateMachineArn: record.stateMachineArn,
    name: record.name,
    startDate: seconds(record.startDate),
    stopDate: seconds(record.stopDate),
    status: record.status,
    input: record.input,
    inputDetails: { included: true },
    ...optional('output', record.output),
    ...(record.output === undefined ? {} : { outputDetails: { included: true } }),
    ...optional('error', record.error),
    ...optional('cause', record.cause),
    ...optional('traceHeader', record.traceHeader),
    billingDetails: {
      billedMemoryUsedInMB: 64,
      billedDurationInMilliseconds: (record.stopDate ?? 0) - record.startDate,
    },
  };
}

function describeExecution(deps: Deps, input: OperationInput): OperationResult {
  const record = executionOf(deps, checkExecutionArn(input.executionArn));
  return {
    executionArn: record.arn,
    stateMachineArn: record.stateMachineArn,
    name: record.name,
    status: record.status,
    startDate: seconds(record.startDate),
    ...optional('stopDate', seconds(record.stopDate)),
    input: record.input,
    inputDetails: { included: true },
    ...optional('output', record.output),
    ...(record.output === undefined ? {} : { outputDetails: { included: true } }),
    ...optional('error', record.error),
    ...optional('cause', record.cause),
    ...optional('traceHeader', record.traceHeader),
    redriveCount: 0,
    redriveStatus: 'NOT_REDRIVABLE',
  };
}

function stopExecution(deps: Deps, input: OperationInput): OperationResult {
  const record = executionOf(deps, checkExecutionArn(input.executionArn));
  const { error, cause } = input;
  if (error !== undefined && (typeof error !== 'string' || error.length > 256))
    throw validation("'error' must be a string of at most 256 characters");
  if (cause !== undefined && (typeof cause !== 'string' || cause.length > 32_768))
    throw validation("'cause' must be a string of at most 32768 characters");
  if (record.status === 'RUNNING')
    deps.running.get(record.arn)?.stop(error as string | undefined, cause as string | undefined);
  return { stopDate: seconds(record.stopDate ?? deps.clock.now()) };
}

const DATA_FIELDS = ['input', 'output', 'parameters'];

function withoutData(event: HistoryEvent): HistoryEvent {
  const copy: HistoryEvent = { ...event };
  for (const [key, value] of Object.entries(event)) {
    if (!key.endsWith('EventDetails') || typeof value !== 'object' || value === null) continue;
    const details = { ...(value as Record<string, unknown>) };
    for (const field of DATA_FIELDS) {
      if (field in details) {
        delete details[field];
        delete details[`${field}Details`];
      }
    }
    copy[key] = details;
  }
  return copy;
}

function getExecutionHistory(deps: Deps, input: OperationInput): OperationResult {
  const record = executionOf(deps, checkExecutionArn(input.executionArn));
  const reverse = input.reverseOrder === true;
  const ordered = reverse ? [...record.events].reverse() : record.events;
  const page = paginate(ordered, `history:${record.arn}:${reverse}`, input.maxResults, input.nextToken);
  const includeData = input.includeExecutionData !== false;
  return {
    events: page.items.map((event) => {
      const shown = includeData ? event : withoutData(event);
      return { ...shown, timestamp: seconds(event.timestamp) };
    }),
    ...optional('nextToken', page.nextToken),
  };
}

function listExecutions(deps: Deps, input: OperationInput): OperationResult {
  if (input.mapRunArn !== undefined) {
    throw new SfnServiceError(
      'ResourceNotFound',
      'Map Runs (Distributed Map) do not exist in the local cloud',
    );
  }
  const machine = stateMachineOf(deps, checkStateMachineArn(input.stateMachineArn));
  if (machine.type === 'EXPRESS') {
    throw new SfnServiceError(
      'StateMachineTypeNotSupported',
      'This operation is not supported by this type of state machine',
    );
  }
  const status = input.statusFilter;
  if (status !== undefined && (typeof status !== 'string' || !STATUSES.has(status))) {
    throw validation(
      `1 validation error detected: Value '${String(status)}' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [${[...STATUSES].join(', ')}]`,
    );
  }
  const all = Object.values(deps.store.state.executions)
    .filter(
      (record) =>
        record.stateMachineArn === machine.arn && (status === undefined || record.status === status),
    )
    .reverse()
    .sort((a, b) => b.startDate - a.startDate);
  const page = paginate(
    all,
    `executions:${machine.arn}:${String(status)}`,
    input.maxResults,
    input.nextToken,
  );
  return {
    executions: page.items.map((record) => ({
      executionArn: record.arn,
      stateMachineArn: record.stateMachineArn,
      name: record.name,
      status: record.status,
      startDate: seconds(record.startDate),
      ...optional('stopDate', seconds(record.stopDate)),
    })),
    ...optional('nextToken', page.nextToken),
  };
}

function taggable(deps: Deps, arn: unknown): StateMachineRecord {
  const record = typeof arn === 'string' ? deps.store.state.stateMachines[arn] : undefined;
  if (!record) throw new SfnServiceError('ResourceNotFound', `Resource not found: '${String(arn)}'`);
  return record;
}

function listTagsForResource(deps: Deps, input: OperationInput): OperationResult {
  return { tags: taggable(deps, input.resourceArn).tags };
}

function tagResource(deps: Deps, input: OperationInput): OperationResult {
  const record = taggable(deps, input.resourceArn);
  for (const tag of checkTags(input.tags)) {
    record.tags = [...record.tags.filter((existing) => existing.key !== tag.key), tag];
  }
  deps.store.changed();
  return {};
}

function untagResource(deps: Deps, input: OperationInput): OperationResult {
  const record = taggable(deps, input.resourceArn);
  const keys = new Set(Array.isArray(input.tagKeys) ? input.tagKeys : []);
  record.tags = record.tags.filter((tag) => !keys.has(tag.key));
  deps.store.changed();
  return {};
}

export const operations: Record<
  string,
  (deps: Deps, input: OperationInput) => OperationResult | Promise<OperationResult>
> = {
  CreateStateMachine: createStateMachine,
  DescribeStateMachine: describeStateMachine,
  UpdateStateMachine: updateStateMachine,
  DeleteStateMachine: deleteStateMachine,
  ListStateMachines: listStateMachines,
  StartExecution: startExecution,
  StartSyncExecution: startSyncExecution,
  DescribeExecution: describeExecution,
  StopExecution: stopExecution,
  GetExecutionHistory: getExecutionHistory,
  ListExecutions: listExecutions,
  ListTagsForResource: listTagsForResource,
  TagResource: tagResource,
  UntagResource: untagResource,
};
