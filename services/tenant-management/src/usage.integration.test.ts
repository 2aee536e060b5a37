/**
 * Per-tenant throttling on the pooled app API and `GET /tenants/{tenantId}/usage` (contract §2, §4):
 * one tenant's burst is throttled without touching another's, an exhausted quota is refused until
 * its UTC day ends, and the usage API reports exactly what the gateway served and refused.
 */
import { randomBytes } from 'node:crypto';
import {
  APIGatewayClient,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  DeleteUsagePlanKeyCommand,
} from '@aws-sdk/client-api-gateway';
import { ROOT_CREDENTIALS } from '@tenantry/local-cloud';
import {
  callApi,
  createTestTenant,
  type LocalUser,
  logIn,
  logInSystemAdmin,
  type TestTenant,
} from '@tenantry/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

const endpoints = inject('endpoints');
const stackOutputs = inject('stackOutputs');
const localCloud = inject('localCloud');
const stack = { endpoints, stackOutputs, localCloud };
const platform = stackOutputs['tenantry-platform-dev'] ?? {};
const apiGateway = new APIGatewayClient({
  region: endpoints.region,
  endpoint: localCloud.aws,
  credentials: ROOT_CREDENTIALS,
});

const TOO_MANY = { message: 'Too Many Requests' };
const LIMIT_EXCEEDED = { message: 'Limit Exceeded' };
const DAY_MS = 86_400_000;

const usageOf = (user: LocalUser, tenantId: string, query = '') =>
  callApi(endpoints.controlPlaneUrl, user, 'GET', `/tenants/${tenantId}/usage${query}`);
const listProducts = (user: LocalUser) => callApi(endpoints.pooledAppUrl, user, 'GET', '/products');

async function clockNow(): Promise<number> {
  const answer = (await (await fetch(`${localCloud.gateway}/_local/clock`)).json()) as { now: string };
  return Date.parse(answer.now);
}
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

let systemAdmin: LocalUser;
let tenantA: TestTenant;
let tenantB: TestTenant;
let adminA: LocalUser;
let adminB: LocalUser;
let userA: LocalUser;
let userB: LocalUser;

beforeAll(async () => {
  [systemAdmin, tenantA, tenantB] = await Promise.all([
    logInSystemAdmin(stack),
    createTestTenant(stack, { tier: 'basic' }),
    createTestTenant(stack, { tier: 'basic' }),
  ]);
  [adminA, adminB, userA, userB] = await Promise.all([
    tenantA.user('TenantAdmin'),
    tenantB.user('TenantAdmin'),
    tenantA.user('TenantUser'),
    tenantB.user('TenantUser'),
  ]);
});

afterAll(() => apiGateway.destroy());

describe('GET /tenants/{tenantId}/usage access', () => {
  it("answers 404 to a TenantAdmin asking for another tenant's usage, as for an unknown tenant", async () => {
    const foreign = await usageOf(adminB, tenantA.tenantId);
    const unknown = await usageOf(systemAdmin, 'tunknown0000000000');
    expect(foreign).toEqual({ status: 404, body: unknown.body });
    expect(unknown.status).toBe(404);
  });

  it('answers 403 to a TenantUser', async () => {
    expect((await usageOf(userA, tenantA.tenantId)).status).toBe(403);
  });

  it('answers 400 naming the field of a bad date, a reversed range or a range over 31 days', async () => {
    const bad = await usageOf(adminA, tenantA.tenantId, '?from=2026-02-30');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/^from /);
    const reversed = await usageOf(adminA, tenantA.tenantId, '?from=2026-03-02&to=2026-03-01');
    expect(reversed.status).toBe(400);
    expect(reversed.body.message).toMatch(/^from /);
    const long = await usageOf(adminA, tenantA.tenantId, '?from=2026-01-01&to=2026-02-01');
    expect(long.status).toBe(400);
    expect(long.body.message).toMatch(/^to /);
  });

  it("answers today's zero usage and the tier's quota by default", async () => {
    const answer = await usageOf(adminB, tenantB.tenantId);
    expect(answer).toEqual({
      status: 200,
      body: {
        tenantId: tenantB.tenantId,
        tier: 'basic',
        days: [{ date: utcDay(await clockNow()), requests: 0, throttled: 0 }],
        quota: { limit: 1000, used: 0, remaining: 1000, period: 'DAY' },
      },
    });
  });
});

describe('per-tenant throttling', () => {
  it("throttles one tenant's burst of 80 while another tenant calling at the same time gets none", async () => {
    // Warm the authorizer cache and the function, so the burst reaches the token bucket at once.
    expect((await listProducts(userA)).status).toBe(200);
    expect((await listProducts(userB)).status).toBe(200);
    const [burst, neighbour] = await Promise.all([
      Promise.all(Array.from({ length: 80 }, () => listProducts(userA))),
      Promise.all(Array.from({ length: 20 }, () => listProducts(userB))),
    ]);
    const served = burst.filter((answer) => answer.status === 200).length;
    const throttled = burst.filter((answer) => answer.status === 429);
    expect(throttled.length).toBeGreaterThan(0);
    expect(served + throttled.length).toBe(80);
    for (const answer of throttled) expect(answer.body).toEqual(TOO_MANY);
    expect(neighbour.map((answer) => answer.status)).toEqual(Array(20).fill(200));

    const today = utcDay(await clockNow());
    const usage = await usageOf(adminA, tenantA.tenantId);
    expect(usage.status).toBe(200);
    expect(usage.body.days).toEqual([{ date: today, requests: 1 + served, throttled: throttled.length }]);
    expect(usage.body.quota).toEqual({
      limit: 1000,
      used: 1 + served,
      remaining: 999 - served,
      period: 'DAY',
    });
    const neighbourUsage = await usageOf(systemAdmin, tenantB.tenantId);
    expect(neighbourUsage.body.days).toEqual([{ date: today, requests: 21, throttled: 0 }]);
  });

  it('refuses an exhausted quota with Limit Exceeded until the UTC day ends', async () => {
    // Test override (contract §2): the tenant's key moves from the basic plan to a plan with a
    // quota of 5 a day, so exhausting it costs 5 requests instead of 1,000.
    const tenant = await createTestTenant(stack, { tier: 'basic' });
    const plan = await apiGateway.send(
      new CreateUsagePlanCommand({
        name: `quota-test-${randomBytes(4).toString('hex')}`,
        apiStages: [{ apiId: platform.AppApiId, stage: 'dev' }],
        throttle: { rateLimit: 50, burstLimit: 50 },
        quota: { limit: 5, period: 'DAY' },
      }),
    );
    await apiGateway.send(
      new DeleteUsagePlanKeyCommand({ usagePlanId: platform.BasicUsagePlanId, keyId: tenant.apiKeyId }),
    );
    await apiGateway.send(
      new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: tenant.apiKeyId, keyType: 'API_KEY' }),
    );
    const user = await tenant.user('TenantUser');
    const answers = [];
    for (let i = 0; i < 7; i += 1) answers.push(await listProducts(user));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200, 429, 429]);
    expect(answers.slice(5).map((answer) => answer.body)).toEqual([LIMIT_EXCEEDED, LIMIT_EXCEEDED]);

    const firstDay = utcDay(await clockNow());
    const exhausted = await usageOf(systemAdmin, tenant.tenantId);
    expect(exhausted.body.days).toEqual([{ date: firstDay, requests: 5, throttled: 2 }]);
    expect(exhausted.body.quota).toEqual({ limit: 5, used: 5, remaining: 0, period: 'DAY' });

    // Past the next UTC midnight on the local cloud's clock: a new quota period (tokens expire too).
    const now = await clockNow();
    const advanceMs = (Math.floor(now / DAY_MS) + 1) * DAY_MS - now + 1_000;
    await fetch(`${localCloud.gateway}/_local/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advanceMs }),
    });
    const pool = { appClientId: platform.PooledUserPoolClientId as string };
    const [again, operator] = await Promise.all([
      logIn(stack, pool, user.email, user.password),
      logInSystemAdmin(stack),
    ]);
    expect(await listProducts(again)).toMatchObject({ status: 200 });

    const secondDay = utcDay(await clockNow());
    const renewed = await usageOf(operator, tenant.tenantId, `?from=${firstDay}&to=${secondDay}`);
    expect(renewed).toEqual({
      status: 200,
      body: {
        tenantId: tenant.tenantId,
        tier: 'basic',
        days: [
          { date: firstDay, requests: 5, throttled: 2 },
          { date: secondDay, requests: 1, throttled: 0 },
        ],
        quota: { limit: 5, used: 1, remaining: 4, period: 'DAY' },
      },
    });
  });
});
