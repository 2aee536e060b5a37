import { describe, expect, it } from 'vitest';
import { createClock } from '../clock.js';
import type { ProviderContext } from '../types.js';
import { createUsagePlans } from './index.js';

const ctx = { stackName: 'tiers-dev', region: 'us-east-1', accountId: '000000000000' } as ProviderContext;

describe('usage plan providers', () => {
  it('keeps the plan id and its run-time keys when a template change replaces the plan', async () => {
    const usagePlans = createUsagePlans({
      region: 'us-east-1',
      accountId: '000000000000',
      clock: createClock(),
      flushAuthorizerCache: () => undefined,
    });
    const plan = usagePlans.providers['AWS::ApiGateway::UsagePlan'];
    const key = usagePlans.providers['AWS::ApiGateway::ApiKey'];
    const planKey = usagePlans.providers['AWS::ApiGateway::UsagePlanKey'];
    if (!plan || !key || !planKey) throw new Error('providers missing');
    const v1 = { UsagePlanName: 'basic', Throttle: { RateLimit: 50, BurstLimit: 50 } };
    const created = await plan.create(ctx, 'BasicPlan', v1);
    const tenant = await key.create(ctx, 'TenantKey', { Enabled: true });
    await planKey.create(ctx, 'TenantPlanKey', {
      KeyId: tenant.physicalId,
      KeyType: 'API_KEY',
      UsagePlanId: created.physicalId,
    });
    // The stack engine replaces a changed resource: delete, then create.
    await plan.delete(ctx, created.physicalId, v1);
    const v2 = { ...v1, Throttle: { RateLimit: 75, BurstLimit: 100 } };
    const replaced = await plan.create(ctx, 'BasicPlan', v2);
    expect(replaced.physicalId).toBe(created.physicalId);
    expect(usagePlans.usagePlans()).toEqual([
      expect.objectContaining({ throttle: { rateLimit: 75, burstLimit: 100 }, keyIds: [tenant.physicalId] }),
    ]);
  });

  it('refuses a WebACLAssociation with a resource that is not an API stage', async () => {
    const usagePlans = createUsagePlans({
      region: 'us-east-1',
      accountId: '000000000000',
      clock: createClock(),
      flushAuthorizerCache: () => undefined,
    });
    await expect(
      usagePlans.providers['AWS::WAFv2::WebACLAssociation']?.create(ctx, 'Assoc', {
        ResourceArn: 'arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/x/1',
        WebACLArn: 'arn:aws:wafv2:us-east-1:000000000000:regional/webacl/x/1',
      }),
    ).rejects.toThrow(/not an API Gateway REST API stage/);
  });
});
