/**
 * Synchronous access to aws-local-stepfunctions' events. Its public `eventLogs` generator hands
 * events over asynchronously, and a Parallel branch's or Map iteration's events reach the root
 * generator later still, sometimes after the Parallel state has already exited. To record a
 * history in true order, the emulator wraps the interpreter's (private, but stable in the pinned
 * 3.0.0) `StateMachine.prototype.execute`: every machine run (the root, each branch, each
 * iteration) gets its event logger's `dispatch` tapped, so each event is seen the moment it happens.
 */
import './polyfill.js';
import { StateMachine } from 'aws-local-stepfunctions';

/** One event as aws-local-stepfunctions dispatches it. */
export interface InterpreterEvent {
  type: string;
  timestamp: number;
  state?: { name: string; type: string; input: unknown; output?: unknown };
  index?: number;
  Error?: string;
  Cause?: unknown;
}

export interface InterpreterEventSink {
  /**
   * Called synchronously for each event a machine run dispatches itself. `definition` is the
   * machine (the root definition, a Parallel branch or a Map processor, by identity) and `run`
   * identifies the run (an object unique to it).
   */
  onEvent(definition: object, run: object, event: InterpreterEvent): void;
}

interface EventLogger {
  dispatch(event: InterpreterEvent): void;
}

interface ExecuteOptions {
  runOptions?: { context?: { Execution?: { Id?: unknown } } };
  eventLogger?: EventLogger;
}

type Execute = (
  this: { definition: object },
  input: unknown,
  options: ExecuteOptions,
  cleanup: unknown,
) => unknown;

const sinks = new Map<string, InterpreterEventSink>();
/** Events forwarded from a nested run to its parent are the same objects: each is reported once. */
const reported = new WeakSet<object>();
let installed = false;

function install(): void {
  if (installed) return;
  const prototype = StateMachine.prototype as unknown as { execute?: Execute };
  const original = prototype.execute;
  if (typeof original !== 'function') {
    throw new Error(
      'aws-local-stepfunctions no longer has StateMachine.prototype.execute: the Step Functions emulator needs version 3.0.0 exactly',
    );
  }
  prototype.execute = function execute(input, options, cleanup) {
    const executionId = options?.runOptions?.context?.Execution?.Id;
    const sink = typeof executionId === 'string' ? sinks.get(executionId) : undefined;
    const logger = options?.eventLogger;
    if (sink && logger && typeof logger.dispatch === 'function') {
      const dispatch = logger.dispatch.bind(logger);
      const definition = this.definition;
      logger.dispatch = (event: InterpreterEvent) => {
        if (!reported.has(event)) {
          reported.add(event);
          sink.onEvent(definition, logger, event);
        }
        dispatch(event);
      };
    }
    return original.call(this, input, options, cleanup);
  };
  installed = true;
}

/** Sends the events of the execution whose context `Execution.Id` is `executionArn` to `sink` until the returned function is called. */
export function listenToExecution(executionArn: string, sink: InterpreterEventSink): () => void {
  install();
  sinks.set(executionArn, sink);
  return () => {
    if (sinks.get(executionArn) === sink) sinks.delete(executionArn);
  };
}
