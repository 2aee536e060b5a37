/** Keeps the usage-plans state in memory and, with a data file, saves it (debounced) after changes. */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { StateFileError } from './errors.js';
import { emptyState, type UsagePlansState } from './model.js';

export interface Store {
  readonly state: UsagePlansState;
  /** Marks the state dirty; with a data file it is saved shortly after. */
  changed(): void;
  /** Saves now (no-op in memory). */
  flush(): Promise<void>;
}

const SAVE_DELAY_MS = 200;

function load(dataFile: string): UsagePlansState {
  if (!existsSync(dataFile)) return emptyState();
  const parsed = JSON.parse(readFileSync(dataFile, 'utf8')) as Partial<UsagePlansState>;
  if (parsed.version !== 1 || typeof parsed.apiKeys !== 'object' || typeof parsed.usagePlans !== 'object') {
    throw new StateFileError(`${dataFile} is not a usage-plans state file (version 1)`);
  }
  return { ...emptyState(), ...parsed } as UsagePlansState;
}

export function createStore(dataFile: string | undefined): Store {
  const state = dataFile ? load(dataFile) : emptyState();
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
    changed() {
      if (!dataFile) return;
      dirty = true;
      timer ??= setTimeout(() => {
        save().catch((error: unknown) => {
          process.emitWarning(`usage plans: saving ${dataFile} failed: ${String(error)}`);
        });
      }, SAVE_DELAY_MS);
      timer.unref();
    },
    flush: save,
  };
}
