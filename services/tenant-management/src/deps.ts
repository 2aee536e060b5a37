import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { createDocumentClient, type TenantRecord } from '@tenantry/data';
import { apiStageOfUrl, buildAuthorizerCacheFlusher } from '@tenantry/identity';
import { buildPageTokens, buildSsmKeySource } from '@tenantry/tenant-data';
import { sharedObservability } from '@tenantry/tenant-middleware';
import { buildApiKeyStore } from './adapters/api-keys.js';
import { buildTenantStacks } from './adapters/tenant-stacks.js';
import { buildTenantStore } from './adapters/tenant-store.js';
import { buildLocalThrottledCounts, buildLogsInsightsThrottledCounts } from './adapters/throttled-counts.js';
import { buildUsagePlanReader } from './adapters/usage-plans.js';
import {
  loadAuthorizerStages,
  loadConfig,
  loadPageTokenKeyParameter,
  loadTenantStackSettings,
  loadThrottledCountsSource,
  loadUsagePlans,
} from './config.js';
import type { TenantDeps } from './domain/tenants.js';

/** The tenant registry and a clock: what every tenant-management function needs. */
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

/** Adds the tenant API keys and the tier usage plans. */
export const withApiKeys = <T extends object>(deps: T) => ({
  ...deps,
  apiKeys: buildApiKeyStore(new APIGatewayClient({})),
  usagePlans: loadUsagePlans(),
});

/**
 * Adds the authorizer cache flush of a tenant status change: the pooled APIs' stages, and the
 * tenant's own API stage when it has one (a silo tenant).
 */
export function withAuthorizerFlush<T extends object>(deps: T) {
  const stages = loadAuthorizerStages();
  const { logger } = sharedObservability();
  const flush = buildAuthorizerCacheFlusher(new APIGatewayClient({}), stages, (error) =>
    logger.warn('could not flush an authorizer cache', { errorName: (error as Error).name }),
  );
  return {
    ...deps,
    flushAuthorizers: (record: TenantRecord) => {
      const own = apiStageOfUrl(record.apiUrl);
      const isPooled = !own || stages.some((stage) => stage.restApiId === own.restApiId);
      return flush(isPooled ? [] : [own]);
    },
  };
}

/** Adds what `GET /tenants/{id}/usage` reads: the usage plans (GetUsage) and the throttled counts. */
export function withUsage<T extends object>(deps: T) {
  const source = loadThrottledCountsSource();
  return {
    ...deps,
    usagePlans: loadUsagePlans(),
    planReader: buildUsagePlanReader(new APIGatewayClient({})),
    throttledCounts:
      'localGateway' in source
        ? buildLocalThrottledCounts(source.localGateway)
        : buildLogsInsightsThrottledCounts(new CloudWatchLogsClient({}), source.accessLogGroup),
  };
}

/** Adds the platinum tenants' stacks (CloudFormation, the release recorded in SSM). */
export const withTenantStacks = <T extends object>(deps: T) => ({
  ...deps,
  stacks: buildTenantStacks(
    { cloudformation: new CloudFormationClient({}), ssm: new SSMClient({}) },
    loadTenantStackSettings(),
  ),
});
