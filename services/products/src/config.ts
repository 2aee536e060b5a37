import { requireEnv } from '@tenantry/tenant-middleware';

export interface Config {
  productTableName: string;
  /** The table's ARN: the resource of each tenant's session policy. */
  productTableArn: string;
  /** Shards of each tenant in the table (1 for a silo table). */
  productTableShards: number;
  /** The role whose sessions, narrowed to one tenant, reach the table. */
  productDataRoleArn: string;
  /** SSM parameter (SecureString) holding the page-token key. */
  pageTokenKeyParameter: string;
}

/** Reads the service's environment; throws naming every missing variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const vars = requireEnv(
    [
      'PRODUCT_TABLE_NAME',
      'PRODUCT_TABLE_ARN',
      'PRODUCT_TABLE_SHARDS',
      'PRODUCT_DATA_ROLE_ARN',
      'PAGE_TOKEN_KEY_PARAMETER',
    ],
    env,
  );
  const shards = Number(vars.PRODUCT_TABLE_SHARDS);
  if (!Number.isInteger(shards) || shards < 1 || shards > 64)
    throw new Error('PRODUCT_TABLE_SHARDS must be an integer in 1..64');
  return {
    productTableName: vars.PRODUCT_TABLE_NAME,
    productTableArn: vars.PRODUCT_TABLE_ARN,
    productTableShards: shards,
    productDataRoleArn: vars.PRODUCT_DATA_ROLE_ARN,
    pageTokenKeyParameter: vars.PAGE_TOKEN_KEY_PARAMETER,
  };
}
