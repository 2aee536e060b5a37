import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { createDocumentClient } from '@tenantry/data';
import { createJsonClient, DYNAMODB, SSM } from '@tenantry/lambda-aws';
import { buildPageTokens, buildSsmKeySource } from '@tenantry/tenant-data';
import { buildApiKeyStore } from './adapters/api-keys.js';
import { buildTenantKeyReader } from './adapters/tenant-keys.js';
import { buildTenantStackReleases } from './adapters/tenant-stack-releases.js';
import { buildTenantStacks } from './adapters/tenant-stacks.js';
import { buildTenantStore } from './adapters/tenant-store.js';
import { buildLocalThrottledCounts, buildLogsInsightsThrottledCounts } from './adapters/throttled-counts.js';
import { buildUsagePlanReader } from './adapters/usage-plans.js';
import {
  loadConfig,
  loadPageTokenKeyParameter,
  loadStage,
  loadTenantStackSettings,
  loadThrottledCountsSource,
  loadUsagePlans,
} from './config.js';
import type { TenantDeps } from './domain/tenants.js';
import type { UsageDeps } from './domain/usage.js';

/** The tenant registry and a clock: what every function needs but describe- and deleteTenantStack. */
export function tenantDeps(): TenantDeps & { region: string } {
  const config = loadConfig();
  return {
    tenants: buildTenantStore(createDocumentClient(), config.tenantTableName),
    now: () => new Date(),
    region: config.region,
  };
}

/** Adds sealed page tokens (`GET /tenants`). */
export const withPageTokens = <T extends object>(deps: T) => ({
  ...deps,
  pageTokens: buildPageTokens(buildSsmKeySource(loadPageTokenKeyParameter())),
});

/** Adds the tenant API keys (API Gateway). */
export const withApiKeys = <T extends object>(deps: T) => ({
  ...deps,
  apiKeys: buildApiKeyStore(new APIGatewayClient({})),
});

/** Adds the tier usage plans' ids. */
export const withUsagePlans = <T extends object>(deps: T) => ({ ...deps, usagePlans: loadUsagePlans() });

/** What `GET /tenants/{id}/usage` reads: the tenant's tier and key id, the usage plans (GetUsage) and the throttled counts. */
export function usageDeps(): UsageDeps {
  const source = loadThrottledCountsSource();
  return {
    tenants: buildTenantKeyReader(createJsonClient(DYNAMODB), loadConfig().tenantTableName),
    now: () => new Date(),
    usagePlans: loadUsagePlans(),
    planReader: buildUsagePlanReader(new APIGatewayClient({})),
    throttledCounts:
      'localGateway' in source
        ? buildLocalThrottledCounts(source.localGateway)
        : buildLogsInsightsThrottledCounts(new CloudWatchLogsClient({}), source.accessLogGroup),
  };
}

/** Adds the platinum tenants' stacks (CloudFormation). */
export const withTenantStacks = <T extends object>(deps: T) => ({
  ...deps,
  stacks: buildTenantStacks(new CloudFormationClient({}), loadTenantStackSettings()),
});

/** Adds the tenant stack's current release (SSM), which only createTenantStack reads. */
export const withTenantStackReleases = <T extends object>(deps: T) => ({
  ...deps,
  releases: buildTenantStackReleases(createJsonClient(SSM), loadStage()),
});
