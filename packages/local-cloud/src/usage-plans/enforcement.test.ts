import { describe, expect, it } from 'vitest';
import type { BeforeIntegrationContext } from '../apigateway/index.js';
import type { Clock } from '../types.js';
import { createUsagePlans } from './index.js';

function manualClock(start: number): Clock {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
    offset: () => 0,
  };
}

const START = Date.parse('2026-03-10T12:00:00Z');

function setup() {
  const clock = manualClock(START);
  const usagePlans = createUsagePlans({
    region: 'us-east-1',
    accountId: '000000000000',
    clock,
    flushAuthorizerCache: () => undefined,
  });
  return { clock, usagePlans };
}

async function seed(usagePlans: ReturnType<typeof createUsagePlans>, props: Record<string, unknown>) {
  const ctx = {
    stackName: 'tiers',
    stackId: 'arn:aws:cloudformation:us-east-1:000000000000:stack/tiers/1',
    region: 'us-east-1',
    accountId: '000000000000',
  } as never;
  const plan = await usagePlans.providers['AWS::ApiGateway::UsagePlan']?.create(ctx, 'BasicPlan', {
    UsagePlanName: 'basic',
    ApiStages: [{ ApiId: 'api1', Stage: 'dev' }],
    ...props,
  });
  const key = await usagePlans.providers['AWS::ApiGateway::ApiKey']?.create(ctx, 'TenantKey', {
    Enabled: true,
    Value: 'tenant-one-key-value-0123456789',
  });
  await usagePlans.providers['AWS::ApiGateway::UsagePlanKey']?.create(ctx, 'TenantPlanKey', {
    KeyId: key?.physicalId,
    KeyType: 'API_KEY',
    UsagePlanId: plan?.physicalId,
  });
  return { planId: plan?.physicalId as string, keyId: key?.physicalId as string };
}

const request: BeforeIntegrationContext = {
  restApiId: 'api1',
  stage: 'dev',
  requestId: 'r',
  resourcePath: '/products',
  httpMethod: 'GET',
  sourceIp: '127.0.0.1',
  apiKeyRequired: true,
  apiKeySourceType: 'AUTHORIZER',
  usageIdentifierKey: 'tenant-one-key-value-0123456789',
};

describe('usage plan enforcement', () => {
  it('admits rate × 10 + burst within 5 % of a 10 s flood at twice the rate', async () => {
    const { clock, usagePlans } = setup();
    await seed(usagePlans, { Throttle: { RateLimit: 50, BurstLimit: 50 } });
    let admitted = 0;
    for (let i = 0; i < 1000; i++) {
      const verdict = await usagePlans.beforeIntegration(request);
      if (verdict && 'apiKeyId' in verdict) admitted++;
      else expect(verdict).toEqual({ responseType: 'THROTTLED' });
      clock.advance(10);
    }
    expect(Math.abs(admitted - 550) / 550).toBeLessThan(0.05);
  });

  it('counts a WEEK quota from its offset day and resets it when the next period starts', async () => {
    const { clock, usagePlans } = setup();
    // 2026-03-10 is a Tuesday; offset 3 starts weeks on Wednesday.
    const { planId, keyId } = await seed(usagePlans, { Quota: { Limit: 2, Period: 'WEEK', Offset: 3 } });
    expect(await usagePlans.beforeIntegration(request)).toMatchObject({ apiKeyId: keyId });
    expect(await usagePlans.beforeIntegration(request)).toMatchObject({ apiKeyId: keyId });
    expect(await usagePlans.beforeIntegration(request)).toEqual({ responseType: 'QUOTA_EXCEEDED' });
    clock.advance(12 * 3600_000); // Wednesday 00:00
    expect(await usagePlans.beforeIntegration(request)).toMatchObject({ apiKeyId: keyId });
    expect(usagePlans.quotaUsed(planId, keyId)).toBe(1);
    expect(usagePlans.dailyCounts(keyId, '2026-03-10', '2026-03-11')).toEqual([
      { date: '2026-03-10', requests: 2, throttled: 1 },
      { date: '2026-03-11', requests: 1, throttled: 0 },
    ]);
  });

  it('reports GetUsage remaining per day within the quota period', async () => {
    const { clock, usagePlans } = setup();
    const { planId, keyId } = await seed(usagePlans, { Quota: { Limit: 10, Period: 'MONTH', Offset: 0 } });
    for (let i = 0; i < 3; i++) await usagePlans.beforeIntegration(request);
    clock.advance(86_400_000);
    await usagePlans.beforeIntegration(request);
    const report = usagePlans.usage({ usagePlanId: planId, startDate: '2026-03-09', endDate: '2026-03-11' });
    expect(report.items).toEqual({
      [keyId]: [
        [0, 10],
        [3, 7],
        [1, 6],
      ],
    });
  });

  it('throttles a method by the stage method settings even without an API key', async () => {
    const { usagePlans } = setup();
    const open = { ...request, apiKeyRequired: false, methodThrottle: { rateLimit: 1, burstLimit: 2 } };
    expect(await usagePlans.beforeIntegration(open)).toBeUndefined();
    expect(await usagePlans.beforeIntegration(open)).toBeUndefined();
    expect(await usagePlans.beforeIntegration(open)).toEqual({ responseType: 'THROTTLED' });
  });

  it('refuses a key that is not in a plan for the API stage', async () => {
    const { usagePlans } = setup();
    await seed(usagePlans, {});
    expect(await usagePlans.beforeIntegration({ ...request, stage: 'prod' })).toEqual({
      responseType: 'INVALID_API_KEY',
    });
  });
});
