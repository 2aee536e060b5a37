/**
 * The gateway side of usage plans, run after authorization and before the integration: API key
 * check, per-key token buckets (plan and per-method), quotas, and per-method stage throttling.
 */
import type { BeforeIntegrationContext, BeforeIntegrationResult } from '../apigateway/index.js';
import type { Catalog } from './catalog.js';
import type { ThrottleSettings, UsagePlanRecord } from './model.js';
import { TokenBucket } from './token-bucket.js';
import type { UsageMeter } from './usage.js';

const FORBIDDEN: BeforeIntegrationResult = { responseType: 'INVALID_API_KEY' };
const THROTTLED: BeforeIntegrationResult = { responseType: 'THROTTLED' };
const QUOTA_EXCEEDED: BeforeIntegrationResult = { responseType: 'QUOTA_EXCEEDED' };

export interface EnforcerDeps {
  catalog: Catalog;
  meter: UsageMeter;
  now: () => number;
}

export function createEnforcer(deps: EnforcerDeps) {
  const { catalog, meter } = deps;
  const buckets = new Map<string, TokenBucket>();

  function bucket(id: string, settings: ThrottleSettings, now: number): TokenBucket {
    let found = buckets.get(id);
    if (!found?.matches(settings.rateLimit, settings.burstLimit)) {
      found = new TokenBucket(settings.rateLimit, settings.burstLimit, now);
      buckets.set(id, found);
    }
    return found;
  }

  /** The buckets a request of this key must find a token in (plan-wide, then the method's own). */
  function keyBuckets(
    plan: UsagePlanRecord,
    keyId: string,
    ctx: BeforeIntegrationContext,
    now: number,
  ): TokenBucket[] {
    const found: TokenBucket[] = [];
    if (plan.throttle) found.push(bucket(`plan|${plan.id}|${keyId}`, plan.throttle, now));
    const stage = plan.apiStages.find((s) => s.apiId === ctx.restApiId && s.stage === ctx.stage);
    const methodKey = `${ctx.resourcePath}/${ctx.httpMethod}`;
    const methodThrottle = stage?.throttle?.[methodKey] ?? stage?.throttle?.[`${ctx.resourcePath}/*`];
    if (methodThrottle) {
      found.push(
        bucket(`method|${plan.id}|${keyId}|${ctx.restApiId}|${ctx.stage}|${methodKey}`, methodThrottle, now),
      );
    }
    return found;
  }

  function stageBucket(ctx: BeforeIntegrationContext, now: number): TokenBucket | undefined {
    const settings = ctx.methodThrottle;
    if (!settings) return undefined;
    return bucket(`stage|${ctx.restApiId}|${ctx.stage}|${ctx.resourcePath}|${ctx.httpMethod}`, settings, now);
  }

  function beforeIntegration(ctx: BeforeIntegrationContext): BeforeIntegrationResult {
    const now = deps.now();
    const stage = stageBucket(ctx, now);
    if (!ctx.apiKeyRequired) {
      if (stage && !stage.take(now)) return THROTTLED;
      return undefined;
    }
    const value = ctx.apiKeySourceType === 'AUTHORIZER' ? ctx.usageIdentifierKey : ctx.apiKeyHeader;
    const key = value ? catalog.keyByValue(value) : undefined;
    if (!key?.enabled) return FORBIDDEN;
    const plan = catalog.planFor(key.id, ctx.restApiId, ctx.stage);
    if (!plan) return FORBIDDEN;

    const needed = keyBuckets(plan, key.id, ctx, now);
    if (stage) needed.push(stage);
    if (needed.some((b) => b.available(now) < 1)) {
      meter.recordThrottled(plan.id, key.id, now);
      return THROTTLED;
    }
    for (const b of needed) b.consume();
    if (plan.quota && meter.usedInPeriod(plan, key.id, now) >= plan.quota.limit) {
      meter.recordThrottled(plan.id, key.id, now);
      return QUOTA_EXCEEDED;
    }
    meter.recordServed(plan.id, key.id, now);
    return { apiKey: key.value, apiKeyId: key.id };
  }

  return {
    beforeIntegration,
    /** Forgets the buckets of a deleted key or plan. */
    forget(id: string): void {
      for (const name of buckets.keys()) if (name.includes(`|${id}`)) buckets.delete(name);
    },
  };
}
