const NAMES = [
  'AWS_REGION',
  'CONTROL_PLANE_API_ID',
  'APP_API_ID',
  'OPERATIONS_USER_POOL_ID',
  'OPERATIONS_CLIENT_ID',
  'POOLED_USER_POOL_ID',
  'POOLED_CLIENT_ID',
  'TENANT_TABLE_NAME',
] as const;

export interface AuthorizerConfig {
  region: string;
  controlPlaneApiId: string;
  appApiId: string;
  operationsPool: { userPoolId: string; appClientId: string };
  pooledPool: { userPoolId: string; appClientId: string };
  tenantTableName: string;
}

/** Reads the authorizer's configuration; throws naming every missing variable. */
export function loadAuthorizerConfig(
  env: Record<string, string | undefined> = process.env,
): AuthorizerConfig {
  const missing = NAMES.filter((name) => !env[name]);
  if (missing.length > 0) throw new Error(`missing environment variables: ${missing.join(', ')}`);
  const get = (name: (typeof NAMES)[number]) => env[name] as string;
  return {
    region: get('AWS_REGION'),
    controlPlaneApiId: get('CONTROL_PLANE_API_ID'),
    appApiId: get('APP_API_ID'),
    operationsPool: { userPoolId: get('OPERATIONS_USER_POOL_ID'), appClientId: get('OPERATIONS_CLIENT_ID') },
    pooledPool: { userPoolId: get('POOLED_USER_POOL_ID'), appClientId: get('POOLED_CLIENT_ID') },
    tenantTableName: get('TENANT_TABLE_NAME'),
  };
}
