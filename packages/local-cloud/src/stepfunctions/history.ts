/**
 * Turns the interpreter's events (seen synchronously, see interpreter-events.ts) and the emulator's
 * own Task and execution events into an execution history with AWS's event types and details.
 */
import type { PreparedDefinition } from './definition.js';
import type { InterpreterEvent, InterpreterEventSink } from './interpreter-events.js';
import type { ExecutionRecord, HistoryEvent } from './model.js';

interface Scope {
  lastId: number;
  parent?: Scope;
  kind: 'root' | 'branch' | 'iteration';
  parentState?: string;
  index?: number;
  /** A finished or aborted branch/iteration: late events (a Lambda still answering) are dropped. */
  closed: boolean;
  /** Parallel/Map states of this scope whose current attempt failed. */
  failed: Set<string>;
  /** The Task attempt of each state of this scope still waiting for its function. */
  pending: Map<string, TaskAttempt>;
}

interface Visit {
  scope: Scope;
  iterations: number;
  startedEvent?: HistoryEvent;
}

/** One call of a Task state's resource, as the history shows it. */
export interface TaskAttempt {
  state: string;
  scope: Scope;
  kind: 'function' | 'invoke';
  resource: string;
  open: boolean;
}

const json = (value: unknown): string => JSON.stringify(value ?? null);
const payloadDetails = { truncated: false };
/** The details member of an event type: `stateEnteredEventDetails` for every `<Type>StateEntered`, and so on. */
function detailsKey(type: string): string {
  if (type.endsWith('StateEntered')) return 'stateEnteredEventDetails';
  if (type.endsWith('StateExited')) return 'stateExitedEventDetails';
  return `${type.charAt(0).toLowerCase()}${type.slice(1)}EventDetails`;
}

export class HistoryRecorder implements InterpreterEventSink {
  private readonly root: Scope = {
    lastId: 0,
    kind: 'root',
    closed: false,
    failed: new Set(),
    pending: new Map(),
  };
  private readonly scopes = new Map<object, Scope>();
  private readonly visits = new Map<string, Visit[]>();
  /** The scope of the latest state entered or retried: a Task handler is called synchronously right after. */
  private current: Scope = this.root;

  constructor(
    private readonly execution: ExecutionRecord,
    private readonly prepared: PreparedDefinition,
    private readonly region: string,
    private readonly now: () => number,
    private readonly changed: () => void,
  ) {}

  private get recording(): boolean {
    return this.execution.status === 'RUNNING';
  }

  private emit(scope: Scope, type: string, details?: Record<string, unknown>): HistoryEvent {
    const events = this.execution.events;
    const event: HistoryEvent = {
      id: events.length + 1,
      previousEventId: scope.lastId,
      timestamp: this.now(),
      type,
      ...(details ? { [detailsKey(type)]: details } : {}),
    };
    events.push(event);
    scope.lastId = event.id;
    this.changed();
    return event;
  }

  executionStarted(input: string, roleArn: string): void {
    this.emit(this.root, 'ExecutionStarted', { input, inputDetails: payloadDetails, roleArn });
  }

  /** Appends the execution's closing event (call after setting the record's final status). */
  executionClosed(): void {
    const { status, output, error, cause } = this.execution;
    const errorDetails = {
      ...(error === undefined ? {} : { error }),
      ...(cause === undefined ? {} : { cause }),
    };
    if (status === 'SUCCEEDED')
      this.emit(this.root, 'ExecutionSucceeded', { output, outputDetails: payloadDetails });
    else if (status === 'FAILED') this.emit(this.root, 'ExecutionFailed', errorDetails);
    else if (status === 'ABORTED') this.emit(this.root, 'ExecutionAborted', errorDetails);
    else if (status === 'TIMED_OUT') this.emit(this.root, 'ExecutionTimedOut', errorDetails);
  }

  private typeOf(stateName: string, reported: string): string {
    return this.prepared.states.get(stateName)?.type ?? reported;
  }

  private scopeOf(definition: object, run: object): Scope {
    const known = this.scopes.get(run);
    if (known) return known;
    const info = this.prepared.scopes.get(definition);
    let scope = this.root;
    if (info) {
      const visit = this.visits.get(info.parentState)?.at(-1);
      const parent = visit?.scope ?? this.root;
      scope = {
        lastId: parent.lastId,
        parent,
        kind: info.kind,
        parentState: info.parentState,
        closed: false,
        failed: new Set(),
        pending: new Map(),
      };
      if (info.kind === 'iteration' && visit) {
        scope.index = visit.iterations++;
        const started = visit.startedEvent?.mapStateStartedEventDetails as { length: number } | undefined;
        if (started) started.length = visit.iterations;
      }
    }
    this.scopes.set(run, scope);
    return scope;
  }

  private closeScope(scope: Scope): void {
    scope.closed = true;
    if (scope.parent) scope.parent.lastId = Math.max(scope.parent.lastId, scope.lastId);
  }

  private endVisit(name: string, scope: Scope): void {
    const visits = this.visits.get(name);
    const at = visits?.findIndex((visit) => visit.scope === scope) ?? -1;
    if (visits && at >= 0) visits.splice(at, 1);
  }

  onEvent(definition: object, run: object, event: InterpreterEvent): void {
    if (!this.recording) return;
    const scope = this.scopeOf(definition, run);
    if (scope.closed) return;
    const iteration =
      scope.kind === 'iteration' ? { name: scope.parentState, index: scope.index } : undefined;
    switch (event.type) {
      case 'ExecutionStarted':
        if (iteration) this.emit(scope, 'MapIterationStarted', iteration);
        return;
      case 'ExecutionSucceeded':
        if (iteration) this.emit(scope, 'MapIterationSucceeded', iteration);
        if (scope !== this.root) this.closeScope(scope);
        return;
      case 'ExecutionFailed':
        if (iteration) this.emit(scope, 'MapIterationFailed', iteration);
        if (scope !== this.root) this.closeScope(scope);
        return;
      case 'ExecutionAborted':
        if (iteration) this.emit(scope, 'MapIterationAborted', iteration);
        if (scope !== this.root) this.closeScope(scope);
        return;
      case 'StateEntered':
      case 'StateRetried':
        this.stateStarted(scope, event);
        return;
      case 'StateFailed':
        this.stateFailed(scope, event);
        return;
      case 'StateExited':
        this.stateExited(scope, event);
        return;
      default:
        // StateCaught has no event of its own in AWS; MapIteration*/ParallelBranch* are derived above.
        return;
    }
  }

  private stateStarted(scope: Scope, event: InterpreterEvent): void {
    this.current = scope;
    const state = event.state;
    if (!state) return;
    const type = this.typeOf(state.name, state.type);
    if (event.type === 'StateEntered') {
      this.emit(scope, `${type}StateEntered`, {
        name: state.name,
        input: json(state.input),
        inputDetails: payloadDetails,
      });
    }
    if (type === 'Parallel' || type === 'Map') {
      scope.failed.delete(state.name);
      const visit: Visit = { scope, iterations: 0 };
      visit.startedEvent =
        type === 'Map'
          ? this.emit(scope, 'MapStateStarted', { length: 0 })
          : this.emit(scope, 'ParallelStateStarted');
      const visits = this.visits.get(state.name) ?? [];
      this.endVisit(state.name, scope);
      visits.push(visit);
      this.visits.set(state.name, visits);
    }
  }

  private stateFailed(scope: Scope, event: InterpreterEvent): void {
    const state = event.state;
    if (!state) return;
    const type = this.typeOf(state.name, state.type);
    if (type === 'Parallel' || type === 'Map') {
      scope.failed.add(state.name);
      this.endVisit(state.name, scope);
      this.emit(scope, `${type}StateFailed`);
      return;
    }
    const attempt = scope.pending.get(state.name);
    if (type === 'Task' && attempt && event.Error === 'States.Timeout') {
      // The interpreter's TimeoutSeconds fired while the function was still running.
      this.taskTimedOut(attempt);
    }
  }

  private stateExited(scope: Scope, event: InterpreterEvent): void {
    const state = event.state;
    if (!state) return;
    const type = this.typeOf(state.name, state.type);
    if ((type === 'Parallel' || type === 'Map') && !scope.failed.has(state.name)) {
      this.endVisit(state.name, scope);
      this.emit(scope, `${type}StateSucceeded`);
    }
    scope.failed.delete(state.name);
    this.emit(scope, `${type}StateExited`, {
      name: state.name,
      output: json(state.output),
      outputDetails: payloadDetails,
    });
  }

  /** Records that a Task state calls its resource (LambdaFunctionScheduled/Started or TaskScheduled/Started). */
  taskStarted(
    state: string,
    call: { kind: 'function'; resource: string; input: unknown } | { kind: 'invoke'; parameters: unknown },
    timeoutSeconds: number | undefined,
  ): TaskAttempt {
    const scope = this.current;
    const attempt: TaskAttempt = {
      state,
      scope,
      kind: call.kind,
      resource: call.kind === 'function' ? call.resource : 'invoke',
      open: this.recording && !scope.closed,
    };
    if (!attempt.open) return attempt;
    scope.pending.set(state, attempt);
    const timeout = timeoutSeconds === undefined ? {} : { timeoutInSeconds: timeoutSeconds };
    if (call.kind === 'function') {
      this.emit(scope, 'LambdaFunctionScheduled', {
        resource: call.resource,
        input: json(call.input),
        inputDetails: payloadDetails,
        ...timeout,
      });
      this.emit(scope, 'LambdaFunctionStarted');
    } else {
      this.emit(scope, 'TaskScheduled', {
        resourceType: 'lambda',
        resource: 'invoke',
        region: this.region,
        parameters: json(call.parameters),
        ...timeout,
      });
      this.emit(scope, 'TaskStarted', { resourceType: 'lambda', resource: 'invoke' });
    }
    return attempt;
  }

  private settle(attempt: TaskAttempt): boolean {
    if (!attempt.open) return false;
    attempt.open = false;
    if (attempt.scope.pending.get(attempt.state) === attempt) attempt.scope.pending.delete(attempt.state);
    return this.recording && !attempt.scope.closed;
  }

  taskSucceeded(attempt: TaskAttempt, output: unknown): void {
    if (!this.settle(attempt)) return;
    if (attempt.kind === 'function') {
      this.emit(attempt.scope, 'LambdaFunctionSucceeded', {
        output: json(output),
        outputDetails: payloadDetails,
      });
    } else {
      this.emit(attempt.scope, 'TaskSucceeded', {
        resourceType: 'lambda',
        resource: 'invoke',
        output: json(output),
        outputDetails: payloadDetails,
      });
    }
  }

  taskFailed(attempt: TaskAttempt, error: string, cause: string): void {
    if (!this.settle(attempt)) return;
    if (attempt.kind === 'function') this.emit(attempt.scope, 'LambdaFunctionFailed', { error, cause });
    else this.emit(attempt.scope, 'TaskFailed', { resourceType: 'lambda', resource: 'invoke', error, cause });
  }

  private taskTimedOut(attempt: TaskAttempt): void {
    if (!this.settle(attempt)) return;
    const details = { error: 'States.Timeout' };
    if (attempt.kind === 'function') this.emit(attempt.scope, 'LambdaFunctionTimedOut', details);
    else this.emit(attempt.scope, 'TaskTimedOut', { resourceType: 'lambda', resource: 'invoke', ...details });
  }
}
