/** Parameters in memory, saved (debounced, atomically) to a JSON file when one is given. */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export type ParameterType = 'String' | 'StringList' | 'SecureString';

export interface ParameterVersion {
  version: number;
  value: string;
  type: ParameterType;
  lastModified: number;
  description?: string;
}

export interface ParameterRecord extends ParameterVersion {
  name: string;
  tier: string;
  dataType: string;
  allowedPattern?: string;
  keyId?: string;
  tags: Record<string, string>;
  /** Earlier versions, oldest first (AWS keeps 100). */
  history: ParameterVersion[];
}

interface State {
  version: 1;
  parameters: Record<string, ParameterRecord>;
}

export interface SsmStore {
  readonly parameters: Map<string, ParameterRecord>;
  changed(): void;
  flush(): Promise<void>;
}

const SAVE_DELAY_MS = 100;

function load(dataFile: string): Map<string, ParameterRecord> {
  if (!existsSync(dataFile)) return new Map();
  const parsed = JSON.parse(readFileSync(dataFile, 'utf8')) as Partial<State>;
  if (parsed.version !== 1 || typeof parsed.parameters !== 'object' || parsed.parameters === null)
    throw new Error(`${dataFile} is not an SSM parameter store file (version 1)`);
  return new Map(Object.entries(parsed.parameters));
}

export function createSsmStore(dataFile: string | undefined): SsmStore {
  const parameters = dataFile ? load(dataFile) : new Map<string, ParameterRecord>();
  let timer: NodeJS.Timeout | undefined;
  let dirty = false;
  let saving: Promise<void> = Promise.resolve();
  const save = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!dataFile || !dirty) return saving;
    dirty = false;
    const json = JSON.stringify({ version: 1, parameters: Object.fromEntries(parameters) } satisfies State);
    saving = saving.then(async () => {
      mkdirSync(dirname(dataFile), { recursive: true });
      const tmp = `${dataFile}.${process.pid}.tmp`;
      await writeFile(tmp, json, { mode: 0o600 });
      await rename(tmp, dataFile);
    });
    return saving;
  };
  return {
    parameters,
    changed() {
      if (!dataFile) return;
      dirty = true;
      timer ??= setTimeout(() => {
        save().catch((error: unknown) =>
          process.emitWarning(`local ssm: saving ${dataFile} failed: ${String(error)}`),
        );
      }, SAVE_DELAY_MS);
    },
    flush: save,
  };
}
