import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { newSecret } from './ids.js';
import type { EmulatorState } from './model.js';

/** A challenge in flight; kept in memory only (a restart ends pending challenges). */
export interface ChallengeSession {
  poolId: string;
  clientId: string;
  username: string;
  challengeName: 'NEW_PASSWORD_REQUIRED';
  expiresAt: number;
}

export interface Store {
  readonly state: EmulatorState;
  readonly sessions: Map<string, ChallengeSession>;
  /** Marks the state dirty; with a data file it is saved shortly after. */
  changed(): void;
  /** Saves now (no-op in memory). */
  flush(): Promise<void>;
  /** Cancels the pending save timer after saving. */
  close(): Promise<void>;
}

const SAVE_DELAY_MS = 100;

function emptyState(): EmulatorState {
  return { version: 1, paginationSecret: newSecret(), pools: {} };
}

function load(dataFile: string): EmulatorState {
  if (!existsSync(dataFile)) return emptyState();
  const parsed = JSON.parse(readFileSync(dataFile, 'utf8')) as Partial<EmulatorState>;
  if (parsed.version !== 1 || typeof parsed.pools !== 'object' || parsed.pools === null) {
    throw new Error(`${dataFile} is not a Cognito emulator state file (version 1)`);
  }
  return { version: 1, paginationSecret: parsed.paginationSecret ?? newSecret(), pools: parsed.pools };
}

/** The state, loaded from `dataFile` when there is one, and saved there (debounced) after changes. */
export function createStore(dataFile: string | undefined): Store {
  const state = dataFile ? load(dataFile) : emptyState();
  const sessions = new Map<string, ChallengeSession>();
  let timer: NodeJS.Timeout | undefined;
  let dirty = false;
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
    sessions,
    changed() {
      if (!dataFile) return;
      dirty = true;
      timer ??= setTimeout(() => {
        save().catch((error: unknown) => {
          process.emitWarning(`cognito emulator: saving ${dataFile} failed: ${String(error)}`);
        });
      }, SAVE_DELAY_MS);
    },
    flush: save,
    close: save,
  };
}
