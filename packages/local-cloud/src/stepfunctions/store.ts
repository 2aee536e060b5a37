/**
 * The emulator's state (state machines, executions and their histories), in memory or saved as
 * JSON (debounced) in a data file that survives restarts.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { EmulatorState, ExecutionRecord } from './model.js';

/** Where an execution that was running when the process stopped ends up (the interpreter cannot resume it). */
export const INTERRUPTED_ERROR = 'States.Runtime';
export const INTERRUPTED_CAUSE = 'the local cloud stopped while this execution was running';

export interface Store {
  readonly state: EmulatorState;
  /** Marks the state dirty; with a data file it is saved shortly after. */
  changed(): void;
  /** Saves now (no-op in memory). */
  flush(): Promise<void>;
}

const SAVE_DELAY_MS = 100;

/** Closes an execution that can no longer run, as FAILED with {@link INTERRUPTED_CAUSE}. */
export function markInterrupted(execution: ExecutionRecord, now: number): void {
  if (execution.status !== 'RUNNING') return;
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
}

function load(dataFile: string, now: number): EmulatorState {
  if (!existsSync(dataFile)) return { version: 1, stateMachines: {}, executions: {} };
  const parsed = JSON.parse(readFileSync(dataFile, 'utf8')) as Partial<EmulatorState>;
  if (
    parsed.version !== 1 ||
    typeof parsed.stateMachines !== 'object' ||
    typeof parsed.executions !== 'object'
  ) {
    throw new Error(`${dataFile} is not a Step Functions emulator state file (version 1)`);
  }
  const state: EmulatorState = {
    version: 1,
    stateMachines: parsed.stateMachines ?? {},
    executions: parsed.executions ?? {},
  };
  for (const execution of Object.values(state.executions)) markInterrupted(execution, now);
  return state;
}

export function createStore(dataFile: string | undefined, now: () => number): Store {
  const state = dataFile ? load(dataFile, now()) : { version: 1 as const, stateMachines: {}, executions: {} };
  let timer: NodeJS.Timeout | undefined;
  let dirty = dataFile !== undefined && existsSync(dataFile);
  let saving: Promise<void> = Promise.resolve();

  const save = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!dataFile || !dirty) return saving;
    dirty = false;
    const json = JSON.stringify(state);
    saving = saving.then(async () => {
      mkdirSync(dirname(dataFile), { recursive: true });
      const tmp = `${dataFile}.${process.pid}.tmp`;
      await writeFile(tmp, json, { mode: 0o600 });
      await rename(tmp, dataFile);
    });
    return saving;
  };

  return {
    state,
    changed() {
      if (!dataFile) return;
      dirty = true;
      timer ??= setTimeout(() => {
        save().catch((error: unknown) => {
          process.emitWarning(`step functions emulator: saving ${dataFile} failed: ${String(error)}`);
        });
      }, SAVE_DELAY_MS);
    },
    flush: save,
  };
}
