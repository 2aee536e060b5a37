/**
 * An emulator's state kept in memory and, with a data file, loaded from it at start and saved back
 * as JSON shortly after each change (debounced, written atomically with mode 0600).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { StateFileError } from './errors.js';

const SAVE_DELAY_MS = 100;

export interface StateFile<T> {
  readonly state: T;
  /** Marks the state dirty; with a data file it is saved shortly after. */
  changed(): void;
  /** Saves now when there are unsaved changes (no-op in memory). */
  flush(): Promise<void>;
}

export interface StateFileOptions<T> {
  /** The JSON file; undefined keeps the state in memory only. */
  file: string | undefined;
  /** Names the file in errors and warnings, e.g. `an SSM parameter store file`. */
  kind: string;
  /** The top-level fields a saved file holds as objects, next to `version: 1`. */
  fields: readonly string[];
  /** The state when there is no file yet. */
  empty(): T;
  /** The state from a checked saved file. */
  restore(saved: Record<string, unknown>): T;
  /** What is written; the state itself unless given. */
  toJson?(state: T): unknown;
}

/**
 * Opens the state of `options.file` (empty when the file does not exist yet); throws a
 * {@link StateFileError} when the file is not a version 1 file with `options.fields`.
 *
 * @example
 * const store = openStateFile({
 *   file: '.local/ssm.json',
 *   kind: 'an SSM parameter store file',
 *   fields: ['parameters'],
 *   empty: () => ({ version: 1, parameters: {} }),
 *   restore: (saved) => saved as State,
 * });
 * store.state.parameters['/a'] = record;
 * store.changed();
 * await store.flush();
 */
export function openStateFile<T>(options: StateFileOptions<T>): StateFile<T> {
  const { file } = options;
  const state = file && existsSync(file) ? load(file, options) : options.empty();
  let timer: NodeJS.Timeout | undefined;
  let dirty = false;
  let saving: Promise<void> = Promise.resolve();

  const flush = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!file || !dirty) return saving;
    dirty = false;
    const json = JSON.stringify(options.toJson ? options.toJson(state) : state);
    saving = saving.then(async () => {
      mkdirSync(dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      await writeFile(tmp, json, { mode: 0o600 });
      await rename(tmp, file);
    });
    return saving;
  };

  return {
    state,
    changed() {
      if (!file) return;
      dirty = true;
      timer ??= setTimeout(() => {
        flush().catch((error: unknown) => {
          process.emitWarning(`saving ${options.kind} ${file} failed: ${String(error)}`);
        });
      }, SAVE_DELAY_MS);
    },
    flush,
  };
}

function load<T>(file: string, options: StateFileOptions<T>): T {
  const saved: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const valid =
    typeof saved === 'object' &&
    saved !== null &&
    (saved as { version?: unknown }).version === 1 &&
    options.fields.every((field) => {
      const value = (saved as Record<string, unknown>)[field];
      return typeof value === 'object' && value !== null;
    });
  if (!valid) throw new StateFileError(`${file} is not ${options.kind} (version 1)`);
  return options.restore(saved as Record<string, unknown>);
}
