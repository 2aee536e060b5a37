/**
 * Usage plans, API keys and WAF web ACLs for the local API Gateway: the management API the SDK
 * talks to, CloudFormation providers, and the gateway hooks that enforce keys, per-key throttling,
 * quotas, stage method throttling and WAF rate-based rules — all on the local cloud's clock.
 *
 * @example
 * ```ts
 * const usagePlans = createUsagePlans({
 *   region, accountId, clock, dataFile: join(dataDir, 'usage-plans.json'),
 *   flushAuthorizerCache: apigateway.flushAuthorizerCache,
 *   stageExists: (id, stage) => apigateway.listApis().some((a) => a.id === id && a.stages.includes(stage)),
 * });
 * apigateway.setBeforeAuthorization(usagePlans.beforeAuthorization);
 * apigateway.setBeforeIntegration(usagePlans.beforeIntegration);
 * createAwsRouter({ lambda: lambda.handle, apigateway: usagePlans.handle });
 * ```
 */
import type { BeforeAuthorizationHook, BeforeIntegrationHook } from '../apigateway/index.js';
import type { Clock, HttpHandler, ProviderMap } from '../types.js';
import { createCatalog } from './catalog.js';
import { createEnforcer } from './enforcement.js';
import { createManagementApi } from './management-api.js';
import type { ApiKeyRecord, UsagePlanRecord } from './model.js';
import { createProviders, type WafRegistry } from './providers.js';
import { createStore } from './store.js';
import { createUsageMeter, type DailyCount, type UsageReport } from './usage.js';
import { evaluateWebAcl, verdictOf, wafRequestOf } from './waf.js';

export { InvalidPropertyError, StateFileError } from '../errors.js';
export { ApiGatewayServiceError, UnsupportedWafFeatureError } from './errors.js';
export type { ApiKeyRecord, QuotaSettings, ThrottleSettings, UsagePlanRecord } from './model.js';
export { quotaPeriod, utcDay } from './periods.js';
export { TokenBucket } from './token-bucket.js';
export type { DailyCount, UsageReport } from './usage.js';

export interface UsagePlansOptions {
  region: string;
  accountId: string;
  clock: Clock;
  /** JSON file keeping keys, plans, plan keys and usage counters between runs; in memory when absent. */
  dataFile?: string;
  /** The gateway's FlushStageAuthorizersCache (one stage, or every stage of the API). */
  flushAuthorizerCache: (restApiId: string, stage?: string) => void;
  /** Whether a REST API stage is deployed; when given, plans, stage keys and flushes naming unknown stages fail as on AWS. */
  stageExists?: (restApiId: string, stage: string) => boolean;
  /** AWS's fixed management-API request limits (10/s, bucket 40; CreateApiKey 5/s, ...). Default true. */
  controlPlaneLimits?: boolean;
  /** Unexpected failures in the management API; defaults to a line on stderr. */
  onError?: (error: unknown) => void;
}

export interface UsagePlans {
  /** The API Gateway management API (route SigV4 service `apigateway` here). */
  handle: HttpHandler;
  /** AWS::ApiGateway::UsagePlan, ApiKey, UsagePlanKey; AWS::WAFv2::WebACL, WebACLAssociation. */
  providers: ProviderMap;
  /** Install with `apigateway.setBeforeIntegration`: API keys, per-key throttling and quotas, stage method throttling. */
  beforeIntegration: BeforeIntegrationHook;
  /** Install with `apigateway.setBeforeAuthorization`: WAF web ACLs associated with a stage. */
  beforeAuthorization: BeforeAuthorizationHook;
  /** GetUsage's report for one plan (dates `YYYY-MM-DD`, inclusive). */
  usage(input: { usagePlanId: string; startDate: string; endDate: string; keyId?: string }): UsageReport;
  /** Per UTC day: requests served and refused with 429 (throttled or over quota), over every plan of the key or one. */
  dailyCounts(keyId: string, from: string, to: string, usagePlanId?: string): DailyCount[];
  /** Requests counted against the key's quota in the current period of the plan. */
  quotaUsed(usagePlanId: string, keyId: string): number;
  apiKeys(): ApiKeyRecord[];
  usagePlans(): UsagePlanRecord[];
  /** Saves pending changes to the data file (no-op in memory). */
  flush(): Promise<void>;
}

export function createUsagePlans(opts: UsagePlansOptions): UsagePlans {
  const now = () => opts.clock.now();
  const store = createStore(opts.dataFile);
  const catalog = createCatalog(
    opts.stageExists ? { store, now, stageExists: opts.stageExists } : { store, now },
  );
  const meter = createUsageMeter(store);
  const enforcer = createEnforcer({ catalog, meter, now });
  const waf: WafRegistry = { acls: new Map(), associations: new Map() };
  const onError =
    opts.onError ??
    ((error: unknown) => {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      process.stderr.write(`[apigateway management] ${message}\n`);
    });
  const managementDeps = {
    catalog,
    meter,
    now,
    flushAuthorizerCache: opts.flushAuthorizerCache,
    forget: enforcer.forget,
    controlPlaneLimits: opts.controlPlaneLimits ?? true,
    onError,
  };
  const handle = createManagementApi(
    opts.stageExists ? { ...managementDeps, stageExists: opts.stageExists } : managementDeps,
  );

  return {
    handle,
    providers: createProviders({ catalog, store, waf, forget: enforcer.forget }),
    beforeIntegration: enforcer.beforeIntegration,
    beforeAuthorization(ctx) {
      const arn = waf.associations.get(`${ctx.restApiId}/${ctx.stage}`);
      const acl = arn === undefined ? undefined : waf.acls.get(arn);
      if (!acl) return undefined;
      return verdictOf(evaluateWebAcl(acl, wafRequestOf(ctx), now()));
    },
    usage: ({ usagePlanId, ...range }) =>
      meter.report(catalog.requirePlan(usagePlanId), { ...range, limit: 500 }),
    dailyCounts: (keyId, from, to, usagePlanId) => meter.dailyCounts(keyId, from, to, usagePlanId),
    quotaUsed: (usagePlanId, keyId) => meter.usedInPeriod(catalog.requirePlan(usagePlanId), keyId, now()),
    apiKeys: () => Object.values(store.state.apiKeys),
    usagePlans: () => Object.values(store.state.usagePlans),
    flush: () => store.flush(),
  };
}
