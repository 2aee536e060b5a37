import { apiError, requestJson } from '../api.js';
import type { Command } from '../args.js';
import type { CliContext } from '../context.js';
import type { CliEndpoints } from '../endpoints.js';
import { CliError, EXIT, type ExitCode } from '../errors.js';

/** `GET /tenant-config/{tenantName}` (contract §4). */
export interface TenantConfig {
  tenantId: string;
  tenantName: string;
  tier: string;
  status: string;
  userPoolId?: string;
  appClientId?: string;
  apiUrl?: string;
  region?: string;
}

export async function readTenantConfig(
  tenantName: string,
  endpoints: CliEndpoints,
  context: CliContext,
): Promise<TenantConfig> {
  const answer = await requestJson(
    context.fetch,
    'GET',
    `${endpoints.controlPlaneUrl}/tenant-config/${encodeURIComponent(tenantName)}`,
  );
  if (answer.status === 404)
    throw new CliError(
      `no tenant named ${tenantName}: check the name (it may be offboarded), or register it with pnpm tenantry register`,
      EXIT.failed,
    );
  if (answer.status !== 200) throw apiError(`reading the config of tenant ${tenantName} failed`, answer);
  return answer.body as unknown as TenantConfig;
}

/** Prints a tenant's public config as JSON. */
export async function tenantConfig(
  command: Extract<Command, { name: 'tenant-config' }>,
  endpoints: CliEndpoints,
  context: CliContext,
): Promise<ExitCode> {
  const config = await readTenantConfig(command.tenantName, endpoints, context);
  context.stdout(`${JSON.stringify(config, null, 2)}\n`);
  return EXIT.ok;
}
