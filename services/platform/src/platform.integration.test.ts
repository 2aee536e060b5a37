import { APIGatewayClient, GetUsagePlanCommand } from '@aws-sdk/client-api-gateway';
import { ROOT_CREDENTIALS } from '@tenantry/local-cloud';
import { TIERS } from '@tenantry/tiers';
import { describe, expect, inject, it } from 'vitest';

const endpoints = inject('endpoints');
const localCloud = inject('localCloud');
const platform = inject('stackOutputs')['tenantry-platform-dev'] ?? {};
const apiGateway = new APIGatewayClient({
  region: endpoints.region,
  endpoint: localCloud.aws,
  credentials: ROOT_CREDENTIALS,
});

describe('the platform stack', () => {
  it.each([
    ['control-plane', endpoints.controlPlaneUrl],
    ['pooled app', endpoints.pooledAppUrl],
  ])('answers GET /health on the %s API without a token', async (_name, baseUrl) => {
    const response = await fetch(`${baseUrl}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it.each(TIERS.map((tier) => [tier.name, tier] as const))(
    'has a usage plan for %s with the catalog’s limits on the pooled app API stage',
    async (name, tier) => {
      const output = `${name[0]?.toUpperCase()}${name.slice(1)}UsagePlanId`;
      const plan = await apiGateway.send(new GetUsagePlanCommand({ usagePlanId: platform[output] }));
      expect(plan.apiStages).toEqual([{ apiId: platform.AppApiId, stage: 'dev' }]);
      expect(plan.throttle).toEqual({ rateLimit: tier.rateLimit, burstLimit: tier.burstLimit });
      expect(plan.quota).toMatchObject({ limit: tier.quota.limit, period: tier.quota.period });
    },
  );
});
