import { requireEnv } from '@tenantry/tenant-middleware';

export interface Config {
  registrationTableName: string;
}

/** Reads the service's environment; throws naming every missing variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const { REGISTRATION_TABLE_NAME } = requireEnv(['REGISTRATION_TABLE_NAME'], env);
  return { registrationTableName: REGISTRATION_TABLE_NAME };
}
