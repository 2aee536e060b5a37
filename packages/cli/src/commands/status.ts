import type { Command } from '../args.js';
import type { CliContext } from '../context.js';
import type { CliEndpoints } from '../endpoints.js';
import { EXIT, type ExitCode } from '../errors.js';
import { readRegistration } from './register.js';

/** Prints a registration as JSON (exit 0 whatever its status; `register` is the command that waits). */
export async function status(
  command: Extract<Command, { name: 'status' }>,
  endpoints: CliEndpoints,
  context: CliContext,
): Promise<ExitCode> {
  const registration = await readRegistration(command.registrationId, endpoints, context);
  context.stdout(`${JSON.stringify(registration, null, 2)}\n`);
  return EXIT.ok;
}
