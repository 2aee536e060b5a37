import {
  APIGatewayClient,
  BadRequestException,
  ConflictException,
  CreateApiKeyCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  DeleteApiKeyCommand,
  DeleteUsagePlanKeyCommand,
  FlushStageAuthorizersCacheCommand,
  GetApiKeyCommand,
  GetApiKeysCommand,
  GetUsageCommand,
  GetUsagePlanCommand,
  GetUsagePlanKeysCommand,
  GetUsagePlansCommand,
  NotFoundException,
  TooManyRequestsException,
  UpdateApiKeyCommand,
  UpdateUsagePlanCommand,
} from '@aws-sdk/client-api-gateway';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startServer } from '../apigateway/testing.js';
import { createClock } from '../clock.js';
import { createUsagePlans } from './index.js';
import { type Harness, startHarness } from './testing.js';

const running: Harness[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((h) => h.close()));
});

async function harness(options: Parameters<typeof startHarness>[0] = { controlPlaneLimits: false }) {
  const h = await startHarness(options);
  running.push(h);
  return h;
}

describe('API Gateway management API (real SDK)', () => {
  it('creates a key with a generated 40-character value and shows the value only when asked', async () => {
    const { sdk } = await harness();
    const created = await sdk.send(
      new CreateApiKeyCommand({ name: 'tenant-a', enabled: true, tags: { tier: 'basic' } }),
    );
    expect(created.value).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(created.id).toMatch(/^[a-z0-9]{10}$/);
    expect(created.createdDate).toBeInstanceOf(Date);
    const plain = await sdk.send(new GetApiKeyCommand({ apiKey: created.id }));
    expect(plain.value).toBeUndefined();
    expect(plain).toMatchObject({ name: 'tenant-a', enabled: true, tags: { tier: 'basic' } });
    const withValue = await sdk.send(new GetApiKeyCommand({ apiKey: created.id, includeValue: true }));
    expect(withValue.value).toBe(created.value);
  });

  it('rejects a key value shorter than 20 characters and a duplicate value', async () => {
    const { sdk } = await harness();
    await expect(
      sdk.send(new CreateApiKeyCommand({ name: 'short', value: 'too-short' })),
    ).rejects.toBeInstanceOf(BadRequestException);
    const value = 'a-value-that-is-long-enough-0001';
    await sdk.send(new CreateApiKeyCommand({ name: 'one', value }));
    await expect(sdk.send(new CreateApiKeyCommand({ name: 'two', value }))).rejects.toBeInstanceOf(
      ConflictException,
    );
  });

  it('filters keys by name prefix and pages them with limit and position', async () => {
    const { sdk } = await harness();
    for (const name of ['tenant-1', 'tenant-2', 'tenant-3', 'other']) {
      await sdk.send(new CreateApiKeyCommand({ name }));
    }
    const first = await sdk.send(
      new GetApiKeysCommand({ nameQuery: 'tenant-', limit: 2, includeValues: true }),
    );
    expect(first.items?.map((k) => k.name)).toEqual(['tenant-1', 'tenant-2']);
    expect(first.items?.[0]?.value).toHaveLength(40);
    const second = await sdk.send(
      new GetApiKeysCommand({ nameQuery: 'tenant-', limit: 2, position: first.position }),
    );
    expect(second.items?.map((k) => k.name)).toEqual(['tenant-3']);
    expect(second.position).toBeUndefined();
  });

  it('disables a key with a patch operation and deletes it', async () => {
    const { sdk } = await harness();
    const key = await sdk.send(new CreateApiKeyCommand({ name: 'k', enabled: true }));
    const updated = await sdk.send(
      new UpdateApiKeyCommand({
        apiKey: key.id,
        patchOperations: [{ op: 'replace', path: '/enabled', value: 'false' }],
      }),
    );
    expect(updated.enabled).toBe(false);
    await sdk.send(new DeleteApiKeyCommand({ apiKey: key.id }));
    await expect(sdk.send(new GetApiKeyCommand({ apiKey: key.id }))).rejects.toBeInstanceOf(
      NotFoundException,
    );
  });

  it('keeps a plan with throttle, quota and API stages and rejects an unknown stage', async () => {
    const { sdk, keysApiId } = await harness();
    const plan = await sdk.send(
      new CreateUsagePlanCommand({
        name: 'basic',
        throttle: { rateLimit: 50, burstLimit: 50 },
        quota: { limit: 1000, period: 'DAY', offset: 0 },
        apiStages: [{ apiId: keysApiId, stage: 'dev' }],
      }),
    );
    const read = await sdk.send(new GetUsagePlanCommand({ usagePlanId: plan.id }));
    expect(read).toMatchObject({
      name: 'basic',
      throttle: { rateLimit: 50, burstLimit: 50 },
      quota: { limit: 1000, period: 'DAY', offset: 0 },
      apiStages: [{ apiId: keysApiId, stage: 'dev' }],
    });
    await expect(
      sdk.send(new CreateUsagePlanCommand({ name: 'x', apiStages: [{ apiId: keysApiId, stage: 'nope' }] })),
    ).rejects.toBeInstanceOf(BadRequestException);
    await expect(
      sdk.send(new CreateUsagePlanCommand({ name: 'x', quota: { limit: 5, period: 'WEEK', offset: 7 } })),
    ).rejects.toBeInstanceOf(BadRequestException);
  });

  it('updates a plan with patch operations', async () => {
    const { sdk } = await harness();
    const plan = await sdk.send(
      new CreateUsagePlanCommand({ name: 'p', throttle: { rateLimit: 1, burstLimit: 1 } }),
    );
    const updated = await sdk.send(
      new UpdateUsagePlanCommand({
        usagePlanId: plan.id,
        patchOperations: [
          { op: 'replace', path: '/throttle/rateLimit', value: '75' },
          { op: 'replace', path: '/throttle/burstLimit', value: '100' },
          { op: 'replace', path: '/quota/limit', value: '3000' },
        ],
      }),
    );
    expect(updated.throttle).toEqual({ rateLimit: 75, burstLimit: 100 });
    expect(updated.quota).toEqual({ limit: 3000, period: 'DAY', offset: 0 });
  });

  it('refuses a key in two plans that share an API stage with ConflictException', async () => {
    const { sdk, keysApiId } = await harness();
    const stage = [{ apiId: keysApiId, stage: 'dev' }];
    const basic = await sdk.send(new CreateUsagePlanCommand({ name: 'basic', apiStages: stage }));
    const premium = await sdk.send(new CreateUsagePlanCommand({ name: 'premium', apiStages: stage }));
    const key = await sdk.send(new CreateApiKeyCommand({ name: 'tenant', enabled: true }));
    const planKey = await sdk.send(
      new CreateUsagePlanKeyCommand({ usagePlanId: basic.id, keyId: key.id, keyType: 'API_KEY' }),
    );
    expect(planKey).toMatchObject({ id: key.id, type: 'API_KEY', value: key.value, name: 'tenant' });
    await expect(
      sdk.send(new CreateUsagePlanKeyCommand({ usagePlanId: premium.id, keyId: key.id, keyType: 'API_KEY' })),
    ).rejects.toBeInstanceOf(ConflictException);
    // A tier change: leave one plan, then join the other.
    await sdk.send(new DeleteUsagePlanKeyCommand({ usagePlanId: basic.id, keyId: key.id }));
    await sdk.send(
      new CreateUsagePlanKeyCommand({ usagePlanId: premium.id, keyId: key.id, keyType: 'API_KEY' }),
    );
    const keys = await sdk.send(new GetUsagePlanKeysCommand({ usagePlanId: premium.id }));
    expect(keys.items?.map((k) => k.id)).toEqual([key.id]);
    const plans = await sdk.send(new GetUsagePlansCommand({ keyId: key.id }));
    expect(plans.items?.map((p) => p.id)).toEqual([premium.id]);
  });

  it('answers GetUsage with one [used, remaining] pair per day for every key of the plan', async () => {
    const { sdk } = await harness();
    const plan = await sdk.send(
      new CreateUsagePlanCommand({ name: 'p', quota: { limit: 100, period: 'DAY' } }),
    );
    const key = await sdk.send(new CreateApiKeyCommand({ name: 'k' }));
    await sdk.send(
      new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key.id, keyType: 'API_KEY' }),
    );
    const usage = await sdk.send(
      new GetUsageCommand({ usagePlanId: plan.id, startDate: '2026-01-01', endDate: '2026-01-03' }),
    );
    expect(usage).toMatchObject({
      usagePlanId: plan.id,
      startDate: '2026-01-01',
      endDate: '2026-01-03',
      items: {
        [key.id as string]: [
          [0, 100],
          [0, 100],
          [0, 100],
        ],
      },
    });
    await expect(
      sdk.send(new GetUsageCommand({ usagePlanId: plan.id, startDate: '2026-01-03', endDate: '2026-01-01' })),
    ).rejects.toBeInstanceOf(BadRequestException);
    await expect(
      sdk.send(
        new GetUsageCommand({ usagePlanId: 'nope00', startDate: '2026-01-01', endDate: '2026-01-01' }),
      ),
    ).rejects.toBeInstanceOf(NotFoundException);
  });

  it('flushes a stage authorizer cache through the gateway and 404s an unknown stage', async () => {
    const flush = vi.fn();
    const usagePlans = createUsagePlans({
      region: 'us-east-1',
      accountId: '000000000000',
      clock: createClock(),
      flushAuthorizerCache: flush,
      stageExists: (id, stage) => id === 'api1234567' && stage === 'dev',
    });
    const server = await startServer(usagePlans.handle);
    const sdk = new APIGatewayClient({
      region: 'us-east-1',
      endpoint: server.baseUrl,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
    try {
      await sdk.send(new FlushStageAuthorizersCacheCommand({ restApiId: 'api1234567', stageName: 'dev' }));
      expect(flush).toHaveBeenCalledWith('api1234567', 'dev');
      await expect(
        sdk.send(new FlushStageAuthorizersCacheCommand({ restApiId: 'api1234567', stageName: 'prod' })),
      ).rejects.toBeInstanceOf(NotFoundException);
      expect(flush).toHaveBeenCalledTimes(1);
    } finally {
      sdk.destroy();
      await server.close();
    }
  });

  it('throttles CreateApiKey beyond 5 requests per second as AWS does', async () => {
    const { sdk, clock } = await harness({});
    const results = await Promise.allSettled(
      Array.from({ length: 7 }, (_, i) => sdk.send(new CreateApiKeyCommand({ name: `k${i}` }))),
    );
    const refused = results.filter((r) => r.status === 'rejected');
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect((refused[0] as PromiseRejectedResult).reason).toBeInstanceOf(TooManyRequestsException);
    clock.advance(1000);
    await expect(sdk.send(new CreateApiKeyCommand({ name: 'later' }))).resolves.toMatchObject({
      name: 'later',
    });
  });
});
