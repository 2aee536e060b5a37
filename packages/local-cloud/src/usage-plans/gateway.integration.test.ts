import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateApiKeyCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  DeleteApiKeyCommand,
  GetApiKeyCommand,
  GetUsageCommand,
  GetUsagePlanCommand,
  UpdateApiKeyCommand,
} from '@aws-sdk/client-api-gateway';
import { afterEach, describe, expect, it } from 'vitest';
import { utcDay } from './periods.js';
import { type Harness, send, startHarness } from './testing.js';

const running: Harness[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((h) => h.close()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function harness(options: Parameters<typeof startHarness>[0] = {}) {
  const h = await startHarness({ controlPlaneLimits: false, ...options });
  running.push(h);
  return h;
}

/** A plan on the API stage and a key in it, created at run time through the SDK. */
async function tenantKey(
  h: Harness,
  api: 'keys' | 'tenant',
  plan: {
    throttle?: { rateLimit: number; burstLimit: number };
    quota?: { limit: number; period: 'DAY' | 'WEEK' | 'MONTH' };
  },
  usagePlanId?: string,
) {
  const planId =
    usagePlanId ??
    (
      await h.sdk.send(
        new CreateUsagePlanCommand({
          name: `plan-${api}`,
          apiStages: [{ apiId: api === 'keys' ? h.keysApiId : h.tenantApiId, stage: 'dev' }],
          ...plan,
        }),
      )
    ).id;
  const key = await h.sdk.send(new CreateApiKeyCommand({ name: 'tenant', enabled: true }));
  await h.sdk.send(new CreateUsagePlanKeyCommand({ usagePlanId: planId, keyId: key.id, keyType: 'API_KEY' }));
  return { planId: planId as string, keyId: key.id as string, value: key.value as string };
}

const items = (h: Harness, key?: string, localAddress?: string) =>
  send(h.url('keys', '/items'), {
    ...(key ? { headers: { 'x-api-key': key } } : {}),
    ...(localAddress ? { localAddress } : {}),
  });

describe('usage plans in the local API Gateway', () => {
  it('throttles a key created at run time with its plan numbers at once and admits again after refill', async () => {
    const h = await harness();
    const { value } = await tenantKey(h, 'keys', { throttle: { rateLimit: 1, burstLimit: 3 } });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await items(h, value)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const throttled = await items(h, value);
    expect(JSON.parse(throttled.text)).toEqual({ message: 'Too Many Requests' });
    h.clock.advance(1000);
    expect((await items(h, value)).status).toBe(200);
  });

  it('throttles two keys of the same plan independently', async () => {
    const h = await harness();
    const a = await tenantKey(h, 'keys', { throttle: { rateLimit: 1, burstLimit: 2 } });
    const b = await tenantKey(h, 'keys', {}, a.planId);
    expect([(await items(h, a.value)).status, (await items(h, a.value)).status]).toEqual([200, 200]);
    expect((await items(h, a.value)).status).toBe(429);
    expect((await items(h, b.value)).status).toBe(200);
  });

  it('answers Limit Exceeded once the daily quota is used until the clock passes midnight UTC', async () => {
    const h = await harness();
    const { value, planId, keyId } = await tenantKey(h, 'keys', { quota: { limit: 2, period: 'DAY' } });
    expect([(await items(h, value)).status, (await items(h, value)).status]).toEqual([200, 200]);
    const refused = await items(h, value);
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.text)).toEqual({ message: 'Limit Exceeded' });
    const today = utcDay(h.clock.now());
    const usage = await h.sdk.send(
      new GetUsageCommand({ usagePlanId: planId, startDate: today, endDate: today }),
    );
    expect(usage.items).toEqual({ [keyId]: [[2, 0]] });
    expect(h.usagePlans.dailyCounts(keyId, today, today)).toEqual([
      { date: today, requests: 2, throttled: 1 },
    ]);
    const now = h.clock.now();
    h.clock.advance(Date.parse(`${today}T00:00:00Z`) + 86_400_000 - now + 1);
    expect((await items(h, value)).status).toBe(200);
  });

  it('refuses a missing, unknown, disabled or deleted key with 403 Forbidden at once', async () => {
    const h = await harness();
    const { value, keyId } = await tenantKey(h, 'keys', {});
    expect((await items(h, value)).status).toBe(200);
    for (const reply of [await items(h), await items(h, 'x'.repeat(40))]) {
      expect(reply.status).toBe(403);
      expect(JSON.parse(reply.text)).toEqual({ message: 'Forbidden' });
    }
    await h.sdk.send(
      new UpdateApiKeyCommand({
        apiKey: keyId,
        patchOperations: [{ op: 'replace', path: '/enabled', value: 'false' }],
      }),
    );
    expect((await items(h, value)).status).toBe(403);
    await h.sdk.send(
      new UpdateApiKeyCommand({
        apiKey: keyId,
        patchOperations: [{ op: 'replace', path: '/enabled', value: 'true' }],
      }),
    );
    expect((await items(h, value)).status).toBe(200);
    await h.sdk.send(new DeleteApiKeyCommand({ apiKey: keyId }));
    expect((await items(h, value)).status).toBe(403);
  });

  it('refuses a key whose plan covers another API stage', async () => {
    const h = await harness();
    const { value } = await tenantKey(h, 'tenant', {});
    expect((await items(h, value)).status).toBe(403);
  });

  it('takes the key from the authorizer usageIdentifierKey when the API key source is AUTHORIZER', async () => {
    const h = await harness();
    const { value, keyId } = await tenantKey(h, 'tenant', { throttle: { rateLimit: 1, burstLimit: 1 } });
    const ok = await send(h.url('tenant', '/orders'), { headers: { Authorization: `Bearer ${value}` } });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.text).identity).toMatchObject({ apiKey: value, apiKeyId: keyId });
    expect(
      (await send(h.url('tenant', '/orders'), { headers: { Authorization: `Bearer ${value}` } })).status,
    ).toBe(429);
    // A header key does not count when the source is AUTHORIZER.
    const other = await tenantKey(h, 'tenant', {});
    const headerOnly = await send(h.url('tenant', '/orders'), {
      headers: { Authorization: 'Bearer unknown-key-unknown-key-unknown', 'x-api-key': other.value },
    });
    expect(headerOnly.status).toBe(403);
  });

  it('throttles a method by the stage MethodSettings of the deployment', async () => {
    const h = await harness();
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await send(h.url('keys', '/open'))).status);
    expect(statuses).toEqual([200, 200, 429]);
  });

  it('enforces plans, keys and plan keys from a template and stops a deleted key at once', async () => {
    const h = await harness();
    const tiers = await h.deploy({
      BasicPlan: {
        Type: 'AWS::ApiGateway::UsagePlan',
        Properties: {
          UsagePlanName: 'basic',
          ApiStages: [{ ApiId: { Ref: 'KeysApi' }, Stage: 'dev' }],
          Throttle: { RateLimit: 1, BurstLimit: 2 },
          Quota: { Limit: 1000, Period: 'DAY' },
        },
      },
      SeedKey: {
        Type: 'AWS::ApiGateway::ApiKey',
        Properties: { Name: 'seed', Enabled: true, Value: 'seed-key-value-0123456789abcdef' },
      },
      SeedPlanKey: {
        Type: 'AWS::ApiGateway::UsagePlanKey',
        Properties: { KeyId: { Ref: 'SeedKey' }, KeyType: 'API_KEY', UsagePlanId: { Ref: 'BasicPlan' } },
      },
    });
    expect(tiers.results.SeedKey?.attributes?.APIKeyId).toBe(tiers.ref('SeedKey'));
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await items(h, 'seed-key-value-0123456789abcdef')).status);
    expect(statuses).toEqual([200, 200, 429]);
    const plan = await h.sdk.send(new GetUsagePlanCommand({ usagePlanId: tiers.ref('BasicPlan') }));
    expect(plan.throttle).toEqual({ rateLimit: 1, burstLimit: 2 });
    await tiers.destroy();
    h.clock.advance(5000);
    expect((await items(h, 'seed-key-value-0123456789abcdef')).status).toBe(403);
  });

  it('blocks one client address past a WAF rate rule while another address passes', async () => {
    const h = await harness();
    await h.deploy({
      SignupAcl: {
        Type: 'AWS::WAFv2::WebACL',
        Properties: {
          Name: 'signup',
          Scope: 'REGIONAL',
          DefaultAction: { Allow: {} },
          VisibilityConfig: {
            SampledRequestsEnabled: true,
            CloudWatchMetricsEnabled: true,
            MetricName: 'signup',
          },
          CustomResponseBodies: {
            tooMany: { ContentType: 'APPLICATION_JSON', Content: '{"message":"Too Many Requests"}' },
          },
          Rules: [
            {
              Name: 'registrations-per-ip',
              Priority: 0,
              Action: { Block: { CustomResponse: { ResponseCode: 429, CustomResponseBodyKey: 'tooMany' } } },
              VisibilityConfig: {
                SampledRequestsEnabled: true,
                CloudWatchMetricsEnabled: true,
                MetricName: 'r',
              },
              Statement: {
                RateBasedStatement: {
                  Limit: 10,
                  AggregateKeyType: 'IP',
                  EvaluationWindowSec: 60,
                  ScopeDownStatement: {
                    ByteMatchStatement: {
                      FieldToMatch: { UriPath: {} },
                      PositionalConstraint: 'STARTS_WITH',
                      SearchString: '/dev/registrations',
                      TextTransformations: [{ Priority: 0, Type: 'NONE' }],
                    },
                  },
                },
              },
            },
          ],
        },
      },
      SignupAclAssociation: {
        Type: 'AWS::WAFv2::WebACLAssociation',
        Properties: {
          ResourceArn: `arn:aws:apigateway:us-east-1::/restapis/${h.keysApiId}/stages/dev`,
          WebACLArn: { 'Fn::GetAtt': ['SignupAcl', 'Arn'] },
        },
      },
    });
    const register = (localAddress: string) =>
      send(h.url('keys', '/registrations'), { method: 'POST', localAddress });
    const statuses = [];
    for (let i = 0; i < 10; i++) statuses.push((await register('127.0.0.1')).status);
    expect(statuses.every((s) => s === 200)).toBe(true);
    const blocked = await register('127.0.0.1');
    expect(blocked.status).toBe(429);
    expect(JSON.parse(blocked.text)).toEqual({ message: 'Too Many Requests' });
    expect((await register('127.0.0.2')).status).toBe(200);
    expect((await send(h.url('keys', '/open'), { localAddress: '127.0.0.1' })).status).toBe(200);
    h.clock.advance(61_000);
    expect((await register('127.0.0.1')).status).toBe(200);
  });

  it('names an unsupported WAF statement when deploying', async () => {
    const h = await harness();
    await expect(
      h.deploy({
        Acl: {
          Type: 'AWS::WAFv2::WebACL',
          Properties: {
            Scope: 'REGIONAL',
            DefaultAction: { Allow: {} },
            Rules: [
              {
                Name: 'managed',
                Priority: 0,
                Action: { Block: {} },
                Statement: {
                  ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet' },
                },
              },
            ],
          },
        },
      }),
    ).rejects.toThrow(/ManagedRuleGroupStatement/);
  });

  it('keeps keys, plans, plan keys and usage counters across a restart with the same ids', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'usage-plans-'));
    dirs.push(dir);
    const dataFile = join(dir, 'usage-plans.json');
    const template = {
      TierPlan: {
        Type: 'AWS::ApiGateway::UsagePlan',
        Properties: {
          UsagePlanName: 'tier',
          ApiStages: [{ ApiId: { Ref: 'KeysApi' }, Stage: 'dev' }],
          Quota: { Limit: 3, Period: 'DAY' },
        },
      },
    };
    const first = await harness({ dataFile });
    const tierPlanId = (await first.deploy(template)).ref('TierPlan');
    const { keyId, value } = await tenantKey(first, 'keys', {}, tierPlanId);
    expect((await items(first, value)).status).toBe(200);
    expect((await items(first, value)).status).toBe(200);
    await first.close();
    running.splice(running.indexOf(first), 1);

    // A restart: the gateway gets new API ids and the stack engine deploys the template again.
    const second = await harness({ dataFile });
    expect(second.keysApiId).not.toBe(first.keysApiId);
    expect((await second.deploy(template)).ref('TierPlan')).toBe(tierPlanId);
    const key = await second.sdk.send(new GetApiKeyCommand({ apiKey: keyId, includeValue: true }));
    expect(key.value).toBe(value);
    const today = utcDay(second.clock.now());
    const usage = await second.sdk.send(
      new GetUsageCommand({ usagePlanId: tierPlanId, startDate: today, endDate: today }),
    );
    expect(usage.items).toEqual({ [keyId]: [[2, 1]] });
    expect((await items(second, value)).status).toBe(200);
    expect((await items(second, value)).status).toBe(429);
  });
});
