import { requireEnv } from '@tenantry/tenant-middleware';

export interface Config {
  region: string;
  tenantTableName: string;
}

/** Reads the service's environment; throws naming every missing variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const { AWS_REGION, TENANT_TABLE_NAME } = requireEnv(['AWS_REGION', 'TENANT_TABLE_NAME'], env);
  return { region: AWS_REGION, tenantTableName: TENANT_TABLE_NAME };
}
