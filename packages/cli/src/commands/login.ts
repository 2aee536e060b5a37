import type { Command } from '../args.js';
import type { AuthClient, AuthOutcome } from '../auth.js';
import type { CliContext } from '../context.js';
import type { CliEndpoints } from '../endpoints.js';
import { CliError, EXIT, type ExitCode } from '../errors.js';
import { readTenantConfig } from './tenant-config.js';

type LoginCommand = Extract<Command, { name: 'login' }>;

/**
 * Logs a tenant user in (contract §3): the pool and app client from the tenant config, InitiateAuth
 * with USER_PASSWORD_AUTH, and on NEW_PASSWORD_REQUIRED the new password. Prints only the ID token on
 * stdout, so `TOKEN=$(pnpm tenantry login …)` works; everything else goes to stderr.
 */
export async function login(
  command: LoginCommand,
  endpoints: CliEndpoints,
  context: CliContext,
): Promise<ExitCode> {
  const config = await readTenantConfig(command.tenantName, endpoints, context);
  if (!config.appClientId)
    throw new CliError(
      `tenant ${command.tenantName} has no app client yet (status ${config.status}); wait until it is ACTIVE`,
      EXIT.failed,
    );
  const auth = context.auth({
    region: config.region ?? endpoints.region,
    ...(endpoints.cognitoEndpoint ? { endpoint: endpoints.cognitoEndpoint } : {}),
  });
  const password =
    command.password ?? (await ask(context, `Password for ${command.email}: `, 'pass --password <password>'));
  const idToken = await completeLogin(auth, config.appClientId, command, password, context);
  context.stderr(`logged in as ${command.email} (tenant ${command.tenantName})\n`);
  context.stdout(`${idToken}\n`);
  return EXIT.ok;
}

/** InitiateAuth, then the NEW_PASSWORD_REQUIRED answer if Cognito asks for one; returns the ID token. */
export async function completeLogin(
  auth: AuthClient,
  clientId: string,
  command: Pick<LoginCommand, 'email' | 'newPassword'>,
  password: string,
  context: CliContext,
): Promise<string> {
  let outcome: AuthOutcome = await auth.logIn({ clientId, username: command.email, password });
  if (outcome.kind === 'challenge' && outcome.challengeName === 'NEW_PASSWORD_REQUIRED') {
    const newPassword = command.newPassword ?? (await askNewPassword(context, command.email));
    outcome = await auth.setNewPassword({
      clientId,
      session: outcome.session,
      username: outcome.username,
      newPassword,
    });
    context.stderr(`password of ${command.email} changed\n`);
  }
  if (outcome.kind === 'challenge')
    throw new CliError(
      `Cognito asks for ${outcome.challengeName}, which pnpm tenantry login does not answer`,
      EXIT.failed,
    );
  return outcome.idToken;
}

/** The seeded SystemAdmin of the endpoints file, logged in (for `register --as-admin`). */
export async function logInSystemAdmin(endpoints: CliEndpoints, context: CliContext): Promise<string> {
  const admin = endpoints.systemAdmin;
  if (!admin)
    throw new CliError(
      '--as-admin needs systemAdmin credentials in the endpoints file (pnpm dev writes them)',
      EXIT.environment,
    );
  const auth = context.auth({
    region: endpoints.region,
    ...(endpoints.cognitoEndpoint ? { endpoint: endpoints.cognitoEndpoint } : {}),
  });
  const outcome = await auth.logIn({
    clientId: admin.appClientId,
    username: admin.username,
    password: admin.password,
  });
  if (outcome.kind !== 'tokens')
    throw new CliError(
      `the SystemAdmin login asks for ${outcome.challengeName}; log in as ${admin.username} once and set a permanent password`,
      EXIT.failed,
    );
  return outcome.idToken;
}

async function ask(context: CliContext, question: string, instead: string): Promise<string> {
  if (!context.interactive)
    throw new CliError(`cannot ask for a password without a terminal: ${instead}`, EXIT.usage);
  const answer = await context.prompt(question, { hidden: true });
  if (!answer) throw new CliError(`no password given: ${instead}`, EXIT.usage);
  return answer;
}

async function askNewPassword(context: CliContext, email: string): Promise<string> {
  const instead = 'pass --new-password <password>';
  if (!context.interactive)
    throw new CliError(
      `${email} must choose a new password (first login with a temporary password): ${instead}`,
      EXIT.usage,
    );
  context.stderr(`${email} logs in for the first time and must choose a new password.\n`);
  const first = await ask(context, 'New password: ', instead);
  const again = await ask(context, 'New password again: ', instead);
  if (first !== again) throw new CliError('the two new passwords differ; run login again', EXIT.usage);
  return first;
}
