/**
 * The provisioning progress display of `register`: one line per new step with the elapsed time
 * (logs, CI, pipes), or a single line updated in place on a terminal.
 */

/** What each provisioning step does, for people (docs/onboarding.md); unknown steps show as named. */
export const STEP_LABELS: Readonly<Record<string, string>> = {
  received: 'registration received',
  createTenantRecord: 'creating the tenant record',
  createTenantApiKey: "creating the tenant's API key in its tier's usage plan",
  createTenantStack: "creating the tenant's own stack",
  describeTenantStack: 'waiting for the tenant stack',
  createTenantAdmin: 'inviting the tenant admin',
  activateTenant: 'activating the tenant',
  completeRegistration: 'completing the registration',
};

/** `0.4s`, `12.3s`, `2m05s`. */
export function formatElapsed(ms: number): string {
  const tenths = Math.max(0, Math.floor(ms / 100));
  if (tenths < 600) return `${(tenths / 10).toFixed(1)}s`;
  const seconds = Math.floor(ms / 1000);
  return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

/** One line of the step list: `   0.4s  createTenantRecord  creating the tenant record`. */
export function stepLine(step: string, elapsedMs: number): string {
  const label = STEP_LABELS[step];
  return `${formatElapsed(elapsedMs).padStart(7)}  ${step}${label ? `  ${label}` : ''}`;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
/** Carriage return and "erase line": the terminal line is rewritten in place. */
const REWRITE = '\r\x1b[2K';

export interface ProgressDisplay {
  /** The registration is at `step` (called on every poll; a repeated step prints nothing new). */
  update(step: string, elapsedMs: number): void;
  /** Provisioning ended: leave the terminal on a clean line. */
  end(): void;
}

/**
 * @example
 * const progress = createProgress({ write: (text) => process.stderr.write(text), tty: process.stderr.isTTY });
 * progress.update('createTenantRecord', 420);
 * progress.end();
 */
export function createProgress(options: { write: (text: string) => void; tty: boolean }): ProgressDisplay {
  const { write, tty } = options;
  let lastStep: string | undefined;
  let frame = 0;
  let drawn = false;
  if (!tty)
    return {
      update(step, elapsedMs) {
        if (step === lastStep) return;
        lastStep = step;
        write(`${stepLine(step, elapsedMs)}\n`);
      },
      end() {},
    };
  return {
    update(step, elapsedMs) {
      const spinner = SPINNER[frame++ % SPINNER.length];
      write(`${REWRITE}${spinner} ${stepLine(step, elapsedMs).trimStart()}`);
      drawn = true;
    },
    end() {
      if (drawn) write(REWRITE);
      drawn = false;
    },
  };
}
