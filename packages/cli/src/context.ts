import type { Fetch } from './api.js';
import type { AuthClient, CognitoLocation } from './auth.js';

/** Everything a command touches outside itself, injected so commands run in tests without a stack. */
export interface CliContext {
  fetch: Fetch;
  /** Milliseconds, monotonic enough for elapsed times. */
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Results only (what a script captures). */
  stdout(text: string): void;
  /** Progress, notices and errors. */
  stderr(text: string): void;
  /** Whether stderr is a terminal (progress then updates one line). */
  stderrIsTTY: boolean;
  /** Whether the user can be asked (stdin and stderr are terminals). */
  interactive: boolean;
  /** Asks on the terminal; `hidden` does not echo what is typed. */
  prompt(question: string, options: { hidden: boolean }): Promise<string>;
  auth(location: CognitoLocation): AuthClient;
}
