import { requireEnv } from '@tenantry/tenant-middleware';

export interface Config {
  operationsUserPoolId: string;
}

/** Reads the service's environment; throws naming every missing variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const { OPERATIONS_USER_POOL_ID } = requireEnv(['OPERATIONS_USER_POOL_ID'], env);
  return { operationsUserPoolId: OPERATIONS_USER_POOL_ID };
}
