/**
 * The emulator's state (state machines, executions and their histories), in memory or saved as
 * JSON (debounced) in a data file that survives restarts.
 */
import { openStateFile, type StateFile } from '../state-file.js';
import type { EmulatorState, ExecutionRecord } from './model.js';

/** Where an execution that was running when the process stopped ends up (the interpreter cannot resume it). */
export const INTERRUPTED_ERROR = 'States.Runtime';
export const INTERRUPTED_CAUSE = 'the local cloud stopped while this execution was running';

export type Store = StateFile<EmulatorState>;

/** Closes an execution that can no longer run, as FAILED with {@link INTERRUPTED_CAUSE}. */
function markInterrupted(execution: ExecutionRecord, now: number): boolean {
  if (execution.status !== 'RUNNING') return false;
  execution.status = 'FAILED';
  execution.error = INTERRUPTED_ERROR;
  execution.cause = INTERRUPTED_CAUSE;
  execution.stopDate = now;
  execution.events.push({
    id: execution.events.length + 1,
    previousEventId: execution.events.length,
    timestamp: now,
    type: 'ExecutionFailed',
    executionFailedEventDetails: { error: INTERRUPTED_ERROR, cause: INTERRUPTED_CAUSE },
  });
  return true;
}

export function createStore(dataFile: string | undefined, now: () => number): Store {
  let interrupted = false;
  const store = openStateFile<EmulatorState>({
    file: dataFile,
    kind: 'a Step Functions emulator state file',
    fields: ['stateMachines', 'executions'],
    empty: () => ({ version: 1, stateMachines: {}, executions: {} }),
    restore: (saved) => {
      const state = saved as unknown as EmulatorState;
      for (const execution of Object.values(state.executions)) {
        interrupted = markInterrupted(execution, now()) || interrupted;
      }
      return { version: 1, stateMachines: state.stateMachines, executions: state.executions };
    },
  });
  // Executions closed as interrupted are saved as such.
  if (interrupted) store.changed();
  return store;
}
