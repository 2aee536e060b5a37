import { shardCountOf } from '@tenantry/data';
import { requireEnv } from '@tenantry/tenant-middleware';

export interface Config {
  productTableName: string;
  /** The table's ARN: the resource of each tenant's session policy. */
  productTableArn: string;
  /** Shards of each tenant in the table (1 for a silo table). */
  productTableShards: number;
  /** The role whose sessions, narrowed to one tenant, reach the table. */
  productDataRoleArn: string;
}

/** The list function's {@link Config}: only it is given (and may read) the page-token key. */
export interface ListConfig extends Config {
  /** SSM parameter (SecureString) holding the page-token key. */
  pageTokenKeyParameter: string;
}

const TABLE_VARIABLES = [
  'PRODUCT_TABLE_NAME',
  'PRODUCT_TABLE_ARN',
  'PRODUCT_TABLE_SHARDS',
  'PRODUCT_DATA_ROLE_ARN',
] as const;

function tableConfig(vars: Record<(typeof TABLE_VARIABLES)[number], string>): Config {
  return {
    productTableName: vars.PRODUCT_TABLE_NAME,
    productTableArn: vars.PRODUCT_TABLE_ARN,
    productTableShards: shardCountOf('PRODUCT_TABLE_SHARDS', vars.PRODUCT_TABLE_SHARDS),
    productDataRoleArn: vars.PRODUCT_DATA_ROLE_ARN,
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
