import { openStateFile, type StateFile } from '../state-file.js';
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

export interface Store extends StateFile<EmulatorState> {
  readonly sessions: Map<string, ChallengeSession>;
}

function emptyState(): EmulatorState {
  return { version: 1, paginationSecret: newSecret(), pools: {} };
}

/** The state, loaded from `dataFile` when there is one, and saved there (debounced) after changes. */
export function createStore(dataFile: string | undefined): Store {
  const file = openStateFile<EmulatorState>({
    file: dataFile,
    kind: 'a Cognito emulator state file',
    fields: ['pools'],
    empty: emptyState,
    restore: (saved) => {
      const { paginationSecret, pools } = saved as Partial<EmulatorState>;
      return { version: 1, paginationSecret: paginationSecret ?? newSecret(), pools: pools ?? {} };
    },
  });
  return { ...file, sessions: new Map() };
}
