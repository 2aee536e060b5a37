import { FAULT_INJECTION_ENV, requireEnv } from '@tenantry/tenant-middleware';
import type { PooledIdentity } from './domain/sign-up.js';

type Env = Record<string, string | undefined>;

export interface Config {
  registrationTableName: string;
}

/** What every function of the service needs; throws naming every missing variable. */
export function loadConfig(env: Env = process.env): Config {
  const { REGISTRATION_TABLE_NAME } = requireEnv(['REGISTRATION_TABLE_NAME'], env);
  return { registrationTableName: REGISTRATION_TABLE_NAME };
}

export interface WorkflowConfig extends Config {
  /** The platform's tenant registry, where tenant names are reserved. */
  tenantTableName: string;
}

/** The internal functions' environment (recordProgress, completeRegistration). */
export function loadWorkflowConfig(env: Env = process.env): WorkflowConfig {
  const { TENANT_TABLE_NAME } = requireEnv(['TENANT_TABLE_NAME'], env);
  return { ...loadConfig(env), tenantTableName: TENANT_TABLE_NAME };
}

export interface SignUpConfig extends WorkflowConfig {
  region: string;
  stateMachineArn: string;
  /** SystemAdmins' pool and app client: the only tokens a platinum registration accepts. */
  operationsPool: { userPoolId: string; appClientId: string };
  pooled: PooledIdentity;
  /** Whether `X-Tenantry-Fail-Step` is honoured (test stacks only; never set on AWS). */
  faultInjection: boolean;
}

/** POST /registrations' environment. */
export function loadSignUpConfig(env: Env = process.env): SignUpConfig {
  const vars = requireEnv(
    [
      'AWS_REGION',
      'PROVISIONING_STATE_MACHINE_ARN',
      'OPERATIONS_USER_POOL_ID',
      'OPERATIONS_CLIENT_ID',
      'POOLED_USER_POOL_ID',
      'POOLED_CLIENT_ID',
      'POOLED_APP_URL',
    ],
    env,
  );
  return {
    ...loadWorkflowConfig(env),
    region: vars.AWS_REGION,
    stateMachineArn: vars.PROVISIONING_STATE_MACHINE_ARN,
    operationsPool: { userPoolId: vars.OPERATIONS_USER_POOL_ID, appClientId: vars.OPERATIONS_CLIENT_ID },
    pooled: {
      userPoolId: vars.POOLED_USER_POOL_ID,
      appClientId: vars.POOLED_CLIENT_ID,
      apiUrl: vars.POOLED_APP_URL.replace(/\/+$/, ''),
    },
    faultInjection: env[FAULT_INJECTION_ENV] === 'enabled',
  };
}
