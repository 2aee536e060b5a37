import { randomUUID } from 'node:crypto';
import { apiError, requestJson } from '../api.js';
import type { Command } from '../args.js';
import type { CliContext } from '../context.js';
import type { CliEndpoints } from '../endpoints.js';
import { CliError, EXIT, type ExitCode } from '../errors.js';
import { createProgress, formatElapsed } from '../progress.js';
import { logInSystemAdmin } from './login.js';

/** How often provisioning is polled. */
export const POLL_INTERVAL_MS = 250;

/** A registration as `GET /registrations/{id}` answers it (contract §4, plus the current step). */
export interface Registration {
  registrationId: string;
  tenantId: string;
  tenantName: string;
  tier: string;
  status: 'PROVISIONING' | 'ACTIVE' | 'FAILED';
  step?: string;
  error?: string;
}

type RegisterCommand = Extract<Command, { name: 'register' }>;

/** `POST /registrations`, then follows provisioning until ACTIVE (exit 0) or FAILED (exit 1). */
export async function register(
  command: RegisterCommand,
  endpoints: CliEndpoints,
  context: CliContext,
): Promise<ExitCode> {
  const started = context.now();
  let token: string | undefined;
  if (command.tier === 'platinum' && !command.asAdmin)
    throw new CliError(
      'a platinum registration needs a SystemAdmin: add --as-admin (logs in as the systemAdmin of the endpoints file)',
      EXIT.usage,
    );
  if (command.asAdmin) token = await logInSystemAdmin(endpoints, context);

  const answer = await requestJson(context.fetch, 'POST', `${endpoints.controlPlaneUrl}/registrations`, {
    body: {
      tenantName: command.tenantName,
      email: command.email,
      tier: command.tier,
      ...(command.companyName === undefined ? {} : { companyName: command.companyName }),
    },
    // A retried request (by a proxy, or by hand with the same key) must not register twice.
    headers: { 'idempotency-key': randomUUID() },
    ...(token ? { token } : {}),
  });
  if (answer.status !== 202) throw apiError('registration refused', answer, registrationHint(answer.status));
  const { registrationId, tenantId } = answer.body as { registrationId: string; tenantId: string };
  context.stderr(
    `registering ${command.tenantName} (${command.tier}): registration ${registrationId}, tenant ${tenantId}\n`,
  );

  const final = await followRegistration(registrationId, endpoints, context, {
    started,
    timeoutMs: command.timeoutMs,
  });
  const elapsed = formatElapsed(context.now() - started);
  if (final.status === 'ACTIVE') {
    context.stdout(
      `ACTIVE ${final.tenantName} (${final.tier}) tenantId=${final.tenantId} registrationId=${registrationId} in ${elapsed}\n`,
    );
    context.stderr(
      `the tenant admin's invitation: pnpm tenantry outbox ${command.email} (local stack), then pnpm tenantry login --tenant ${final.tenantName} --email ${command.email}\n`,
    );
    return EXIT.ok;
  }
  throw new CliError(
    `FAILED after ${elapsed}${final.step ? ` at step ${final.step}` : ''}: ${final.error ?? 'no error recorded'}`,
    EXIT.failed,
  );
}

function registrationHint(status: number): string | undefined {
  if (status === 409) return 'choose another --name';
  if (status === 401 || status === 403) return 'platinum needs --as-admin';
  if (status === 429) return 'too many registrations from this address: wait a minute and retry';
  return undefined;
}

/**
 * Polls `GET /registrations/{id}` every 250 ms, showing each step, until the registration leaves
 * PROVISIONING or `timeoutMs` passes (then an error that says how to look again later).
 */
export async function followRegistration(
  registrationId: string,
  endpoints: CliEndpoints,
  context: CliContext,
  options: { started: number; timeoutMs: number },
): Promise<Registration> {
  const progress = createProgress({ write: context.stderr, tty: context.stderrIsTTY });
  try {
    for (;;) {
      const registration = await readRegistration(registrationId, endpoints, context);
      const elapsedMs = context.now() - options.started;
      if (registration.step) progress.update(registration.step, elapsedMs);
      if (registration.status !== 'PROVISIONING') return registration;
      if (elapsedMs >= options.timeoutMs)
        throw new CliError(
          `still PROVISIONING after ${formatElapsed(elapsedMs)}${registration.step ? ` (at ${registration.step})` : ''}; look again with pnpm tenantry status ${registrationId}`,
          EXIT.failed,
        );
      await context.sleep(POLL_INTERVAL_MS);
    }
  } finally {
    progress.end();
  }
}

/** `GET /registrations/{id}`; a 404 says the id is unknown. */
export async function readRegistration(
  registrationId: string,
  endpoints: CliEndpoints,
  context: CliContext,
): Promise<Registration> {
  const answer = await requestJson(
    context.fetch,
    'GET',
    `${endpoints.controlPlaneUrl}/registrations/${encodeURIComponent(registrationId)}`,
  );
  if (answer.status === 404)
    throw new CliError(
      `no registration ${registrationId}: check the id (POST /registrations printed it)`,
      EXIT.failed,
    );
  if (answer.status !== 200) throw apiError(`reading registration ${registrationId} failed`, answer);
  return answer.body as unknown as Registration;
}
