import { type Invocation, parseCommandLine } from './args.js';
import { helpText } from './commands/help.js';
import { login } from './commands/login.js';
import { outbox } from './commands/outbox.js';
import { register } from './commands/register.js';
import { status } from './commands/status.js';
import { tenantConfig } from './commands/tenant-config.js';
import type { CliContext } from './context.js';
import { type CliEndpoints, loadEndpoints, locateEndpoints } from './endpoints.js';
import { CliError, EXIT, type ExitCode } from './errors.js';

/** Where the process is: what `run` needs besides the injected context. */
export interface CliEnvironment {
  /** `TENANTRY_ENDPOINTS`, if set. */
  endpointsVariable?: string;
  /** The repository's `.local/endpoints.json`. */
  defaultEndpointsPath: string;
  /** The directory the user ran the command in (relative paths start there). */
  cwd: string;
  readText(path: string): Promise<string>;
  /** Prints stack traces of unexpected errors (`TENANTRY_DEBUG`). */
  debug?: boolean;
}

/**
 * Runs one command line and returns the exit code; every failure is reported on stderr as
 * `error: <what happened and what to do>`.
 *
 * @example
 * process.exitCode = await run(process.argv.slice(2), context, environment);
 */
export async function run(
  argv: readonly string[],
  context: CliContext,
  env: CliEnvironment,
): Promise<ExitCode> {
  try {
    const invocation = parseCommandLine(argv);
    if (invocation.command.name === 'help') {
      context.stdout(helpText(invocation.command.topic));
      return EXIT.ok;
    }
    const endpoints = await loadEndpoints(
      locateEndpoints({
        ...(invocation.endpointsFile ? { option: invocation.endpointsFile } : {}),
        ...(env.endpointsVariable ? { environment: env.endpointsVariable } : {}),
        defaultPath: env.defaultEndpointsPath,
        cwd: env.cwd,
      }),
      env.readText,
      env.cwd,
    );
    return await dispatch(invocation, endpoints, context);
  } catch (error) {
    if (error instanceof CliError) {
      context.stderr(`error: ${error.message}\n`);
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    context.stderr(
      `error: unexpected failure: ${message}\n${env.debug && error instanceof Error ? `${error.stack}\n` : 'set TENANTRY_DEBUG=1 for details\n'}`,
    );
    return EXIT.failed;
  }
}

function dispatch({ command }: Invocation, endpoints: CliEndpoints, context: CliContext): Promise<ExitCode> {
  switch (command.name) {
    case 'register':
      return register(command, endpoints, context);
    case 'status':
      return status(command, endpoints, context);
    case 'login':
      return login(command, endpoints, context);
    case 'outbox':
      return outbox(command, endpoints, context);
    case 'tenant-config':
      return tenantConfig(command, endpoints, context);
    case 'help':
      return Promise.resolve(EXIT.ok);
  }
}
