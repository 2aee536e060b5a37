import { requireEnv } from '@tenantry/tenant-middleware';

export interface Config {
  orderTableName: string;
}

/** Reads the service's environment; throws naming every missing variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const { ORDER_TABLE_NAME } = requireEnv(['ORDER_TABLE_NAME'], env);
  return { orderTableName: ORDER_TABLE_NAME };
}
