/** Parameters in memory, saved (debounced, atomically) to a JSON file when one is given. */
import { openStateFile } from '../state-file.js';

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

export function createSsmStore(dataFile: string | undefined): SsmStore {
  const file = openStateFile<Map<string, ParameterRecord>>({
    file: dataFile,
    kind: 'an SSM parameter store file',
    fields: ['parameters'],
    empty: () => new Map(),
    restore: (saved) => new Map(Object.entries((saved as unknown as State).parameters)),
    toJson: (parameters): State => ({ version: 1, parameters: Object.fromEntries(parameters) }),
  });
  return { parameters: file.state, changed: file.changed, flush: file.flush };
}
