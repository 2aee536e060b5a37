/** Keeps the usage-plans state in memory and, with a data file, saves it (debounced) after changes. */
import { openStateFile, type StateFile } from '../state-file.js';
import { emptyState, type UsagePlansState } from './model.js';

export type Store = StateFile<UsagePlansState>;

export function createStore(dataFile: string | undefined): Store {
  return openStateFile<UsagePlansState>({
    file: dataFile,
    kind: 'a usage-plans state file',
    fields: ['apiKeys', 'usagePlans'],
    empty: emptyState,
    restore: (saved) => ({ ...emptyState(), ...saved }) as UsagePlansState,
  });
}
