/** Exit codes of `pnpm tenantry` (also listed by `pnpm tenantry help`). */
export const EXIT = {
  /** The command did what was asked. */
  ok: 0,
  /** The operation failed: a FAILED registration, a refused login, an API error. */
  failed: 1,
  /** The command line is wrong (unknown command or option, missing or bad value). */
  usage: 2,
  /** The environment is not ready: no endpoints file, the stack is unreachable, no outbox. */
  environment: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error whose message is shown to the user as is and says what to do next. */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.failed,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A mistake on the command line. */
export class UsageError extends CliError {
  override name = 'UsageError';
  constructor(message: string) {
    super(message, EXIT.usage);
  }
}
