import { requireEnv } from '@tenantry/tenant-middleware';
import type { TierName } from '@tenantry/tiers';
import type { TenantStackSettings } from './adapters/tenant-stacks.js';

export interface Config {
  region: string;
  tenantTableName: string;
}

type Env = Record<string, string | undefined>;

/** Reads the service's environment; throws naming every missing variable. */
export function loadConfig(env: Env = process.env): Config {
  const { AWS_REGION, TENANT_TABLE_NAME } = requireEnv(['AWS_REGION', 'TENANT_TABLE_NAME'], env);
  return { region: AWS_REGION, tenantTableName: TENANT_TABLE_NAME };
}

/** The SSM parameter holding the page-token key (`GET /tenants`). */
export const loadPageTokenKeyParameter = (env: Env = process.env): string =>
  requireEnv(['PAGE_TOKEN_KEY_PARAMETER'], env).PAGE_TOKEN_KEY_PARAMETER;

/** The tier usage plans (platform exports `tenantry-platform-<stage>-<Tier>UsagePlanId`). */
export function loadUsagePlans(env: Env = process.env): Record<TierName, string> {
  const vars = requireEnv(
    ['BASIC_USAGE_PLAN_ID', 'STANDARD_USAGE_PLAN_ID', 'PREMIUM_USAGE_PLAN_ID', 'PLATINUM_USAGE_PLAN_ID'],
    env,
  );
  return {
    basic: vars.BASIC_USAGE_PLAN_ID,
    standard: vars.STANDARD_USAGE_PLAN_ID,
    premium: vars.PREMIUM_USAGE_PLAN_ID,
    platinum: vars.PLATINUM_USAGE_PLAN_ID,
  };
}

/**
 * Where `GET /tenants/{id}/usage` reads throttled counts: the local gateway when running on the local
 * cloud (`AWS_ENDPOINT_URL_EXECUTE_API`, which it sets), else the app stage's access log group.
 */
export function loadThrottledCountsSource(
  env: Env = process.env,
): { localGateway: string } | { accessLogGroup: string } {
  const localGateway = env.AWS_ENDPOINT_URL_EXECUTE_API;
  if (localGateway) return { localGateway };
  return { accessLogGroup: requireEnv(['APP_ACCESS_LOG_GROUP'], env).APP_ACCESS_LOG_GROUP };
}

/** The stage, which names the SSM parameters of the tenant stack's release. */
export const loadStage = (env: Env = process.env): string => requireEnv(['STAGE'], env).STAGE;

/** What the tenant stack functions need: the service role, the API endpoint. */
export function loadTenantStackSettings(env: Env = process.env): TenantStackSettings {
  const roleArn = env.TENANT_STACK_ROLE_ARN;
  // Set by the local cloud only (where deployed APIs are served); unset on AWS, where ApiUrl is right.
  const executeApiEndpoint = env.AWS_ENDPOINT_URL_EXECUTE_API;
  return {
    ...(roleArn ? { roleArn } : {}),
    ...(executeApiEndpoint ? { executeApiEndpoint } : {}),
  };
}
