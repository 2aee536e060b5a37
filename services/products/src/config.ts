import { requireEnv } from '@tenantry/tenant-middleware';

export interface Config {
  productTableName: string;
}

/** Reads the service's environment; throws naming every missing variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const { PRODUCT_TABLE_NAME } = requireEnv(['PRODUCT_TABLE_NAME'], env);
  return { productTableName: PRODUCT_TABLE_NAME };
}
