import { requireEnv } from '@tenantry/tenant-middleware';

export interface Config {
  operationsUserPoolId: string;
  tenantTableName: string;
  userTableName: string;
  pageTokenKeyParameter: string;
}

/** Reads the service's environment; throws naming every missing variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const vars = requireEnv(
    ['OPERATIONS_USER_POOL_ID', 'TENANT_TABLE_NAME', 'USER_TABLE_NAME', 'PAGE_TOKEN_KEY_PARAMETER'],
    env,
  );
  return {
    operationsUserPoolId: vars.OPERATIONS_USER_POOL_ID,
    tenantTableName: vars.TENANT_TABLE_NAME,
    userTableName: vars.USER_TABLE_NAME,
    pageTokenKeyParameter: vars.PAGE_TOKEN_KEY_PARAMETER,
  };
}
