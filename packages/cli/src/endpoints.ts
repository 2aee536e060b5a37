import { isAbsolute, relative, resolve } from 'node:path';
import { CliError, EXIT } from './errors.js';

/**
 * What the CLI reads of an endpoints file (contract §1). Locally `pnpm dev` writes every key; for a
 * stage on AWS a hand-written file needs only `controlPlaneUrl` and `region` (Cognito's default
 * endpoint is used when `cognitoEndpoint` is absent, and there is no outbox).
 */
export interface CliEndpoints {
  controlPlaneUrl: string;
  region: string;
  pooledAppUrl?: string;
  cognitoEndpoint?: string;
  outboxUrl?: string;
  systemAdmin?: { userPoolId: string; appClientId: string; username: string; password: string };
}

/** Where the endpoints file is, and why there. */
export interface EndpointsLocation {
  path: string;
  source: 'option' | 'environment' | 'default';
}

/**
 * `--endpoints <file>`, else `TENANTRY_ENDPOINTS`, else the repository's `.local/endpoints.json`.
 * Relative paths are taken from `cwd` (the directory the user ran pnpm in).
 */
export function locateEndpoints(options: {
  option?: string;
  environment?: string;
  defaultPath: string;
  cwd: string;
}): EndpointsLocation {
  if (options.option) return { path: resolve(options.cwd, options.option), source: 'option' };
  if (options.environment) return { path: resolve(options.cwd, options.environment), source: 'environment' };
  return { path: options.defaultPath, source: 'default' };
}

/** Reads and checks the endpoints file; a missing or malformed file is an error that says what to do. */
export async function loadEndpoints(
  location: EndpointsLocation,
  readText: (path: string) => Promise<string>,
  cwd: string,
): Promise<CliEndpoints> {
  const shown = displayPath(location.path, cwd);
  let text: string;
  try {
    text = await readText(location.path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new CliError(
        `cannot read the endpoints file ${shown}: ${(error as Error).message}`,
        EXIT.environment,
        {
          cause: error,
        },
      );
    throw new CliError(missingMessage(location, shown), EXIT.environment, { cause: error });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CliError(`the endpoints file ${shown} is not valid JSON`, EXIT.environment, { cause: error });
  }
  return checkEndpoints(value, shown);
}

function missingMessage(location: EndpointsLocation, shown: string): string {
  switch (location.source) {
    case 'default':
      return `no endpoints file at ${shown}: run pnpm dev first (it writes the file when the stack is ready), or pass --endpoints <file> or set TENANTRY_ENDPOINTS`;
    case 'option':
      return `no endpoints file at ${shown} (given with --endpoints)`;
    case 'environment':
      return `no endpoints file at ${shown} (given by TENANTRY_ENDPOINTS)`;
  }
}

const URL_KEYS = ['controlPlaneUrl', 'pooledAppUrl', 'cognitoEndpoint', 'outboxUrl'] as const;

/** Checks the shape of a parsed endpoints file (contract §1); `shown` names the file in messages. */
export function checkEndpoints(value: unknown, shown: string): CliEndpoints {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new CliError(`the endpoints file ${shown} is not a JSON object`, EXIT.environment);
  const file = value as Record<string, unknown>;
  for (const key of ['controlPlaneUrl', 'region'] as const)
    if (typeof file[key] !== 'string' || file[key] === '')
      throw new CliError(`the endpoints file ${shown} has no ${key}`, EXIT.environment);
  for (const key of URL_KEYS) {
    const url = file[key];
    if (url === undefined) continue;
    if (typeof url !== 'string' || !URL.canParse(url))
      throw new CliError(
        `the endpoints file ${shown} has an invalid ${key}: expected a URL`,
        EXIT.environment,
      );
  }
  const admin = file.systemAdmin;
  if (admin !== undefined) {
    const fields = admin as Record<string, unknown>;
    for (const key of ['userPoolId', 'appClientId', 'username', 'password'])
      if (typeof admin !== 'object' || admin === null || typeof fields[key] !== 'string')
        throw new CliError(`the endpoints file ${shown} has an invalid systemAdmin.${key}`, EXIT.environment);
  }
  const endpoints: CliEndpoints = {
    controlPlaneUrl: trimSlash(file.controlPlaneUrl as string),
    region: file.region as string,
  };
  for (const key of ['pooledAppUrl', 'cognitoEndpoint', 'outboxUrl'] as const)
    if (typeof file[key] === 'string') endpoints[key] = trimSlash(file[key]);
  if (admin !== undefined) endpoints.systemAdmin = admin as NonNullable<CliEndpoints['systemAdmin']>;
  return endpoints;
}

const trimSlash = (url: string) => url.replace(/\/+$/, '');

function displayPath(path: string, cwd: string): string {
  const fromCwd = relative(cwd, path);
  return fromCwd && !fromCwd.startsWith('..') && !isAbsolute(fromCwd) ? fromCwd : path;
}
