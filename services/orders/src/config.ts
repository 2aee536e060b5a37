import { shardCountOf } from '@tenantry/data';
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
}

/** The list function's {@link Config}: only it is given (and may read) the page-token key. */
export interface ListConfig extends Config {
  /** SSM parameter (SecureString) holding the page-token key. */
  pageTokenKeyParameter: string;
}

const TABLE_VARIABLES = [
  'ORDER_TABLE_NAME',
  'ORDER_TABLE_ARN',
  'ORDER_TABLE_SHARDS',
  'PRODUCT_TABLE_NAME',
  'PRODUCT_TABLE_ARN',
  'PRODUCT_TABLE_SHARDS',
  'ORDER_DATA_ROLE_ARN',
] as const;

function tableConfig(vars: Record<(typeof TABLE_VARIABLES)[number], string>): Config {
  return {
    orderTableName: vars.ORDER_TABLE_NAME,
    orderTableArn: vars.ORDER_TABLE_ARN,
    orderTableShards: shardCountOf('ORDER_TABLE_SHARDS', vars.ORDER_TABLE_SHARDS),
    productTableName: vars.PRODUCT_TABLE_NAME,
    productTableArn: vars.PRODUCT_TABLE_ARN,
    productTableShards: shardCountOf('PRODUCT_TABLE_SHARDS', vars.PRODUCT_TABLE_SHARDS),
    orderDataRoleArn: vars.ORDER_DATA_ROLE_ARN,
  };
}

/** Reads the service's environment; throws naming every missing variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  return tableConfig(requireEnv(TABLE_VARIABLES, env));
}

/** {@link loadConfig} plus the page-token key parameter, for the list function. */
export function loadListConfig(env: Record<string, string | undefined> = process.env): ListConfig {
  const vars = requireEnv([...TABLE_VARIABLES, 'PAGE_TOKEN_KEY_PARAMETER'], env);
  return { ...tableConfig(vars), pageTokenKeyParameter: vars.PAGE_TOKEN_KEY_PARAMETER };
}
