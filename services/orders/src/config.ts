import { requireEnv } from '@tenantry/tenant-middleware';

export interface Config {
  orderTableName: string;
  /** The tables' ARNs: the resources of each tenant's session policy. */
  orderTableArn: string;
  /** Shards of each tenant in the order table (1 for a silo table). */
  orderTableShards: number;
  /** The products service's table, whose stock and prices orders read and move. */
  productTableName: string;
  productTableArn: string;
  productTableShards: number;
  /** The role whose sessions, narrowed to one tenant, reach both tables. */
  orderDataRoleArn: string;
  /** SSM parameter (SecureString) holding the page-token key. */
  pageTokenKeyParameter: string;
}

const shards = (name: string, value: string): number => {
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1 || count > 64)
    throw new Error(`${name} must be an integer in 1..64`);
  return count;
};

/** Reads the service's environment; throws naming every missing variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const vars = requireEnv(
    [
      'ORDER_TABLE_NAME',
      'ORDER_TABLE_ARN',
      'ORDER_TABLE_SHARDS',
      'PRODUCT_TABLE_NAME',
      'PRODUCT_TABLE_ARN',
      'PRODUCT_TABLE_SHARDS',
      'ORDER_DATA_ROLE_ARN',
      'PAGE_TOKEN_KEY_PARAMETER',
    ],
    env,
  );
  return {
    orderTableName: vars.ORDER_TABLE_NAME,
    orderTableArn: vars.ORDER_TABLE_ARN,
    orderTableShards: shards('ORDER_TABLE_SHARDS', vars.ORDER_TABLE_SHARDS),
    productTableName: vars.PRODUCT_TABLE_NAME,
    productTableArn: vars.PRODUCT_TABLE_ARN,
    productTableShards: shards('PRODUCT_TABLE_SHARDS', vars.PRODUCT_TABLE_SHARDS),
    orderDataRoleArn: vars.ORDER_DATA_ROLE_ARN,
    pageTokenKeyParameter: vars.PAGE_TOKEN_KEY_PARAMETER,
  };
}
