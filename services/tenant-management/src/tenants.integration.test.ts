import { randomBytes } from 'node:crypto';
import { APIGatewayClient, GetApiKeysCommand, GetUsagePlanKeysCommand } from '@aws-sdk/client-api-gateway';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { tenantNameKey, tenantProfileKey } from '@tenantry/data';
import { ROOT_CREDENTIALS } from '@tenantry/local-cloud';
import {
  callApi,
  createTestTenant,
  invokeFunction,
  type LocalUser,
  logInSystemAdmin,
  pollUntil,
  type TestTenant,
} from '@tenantry/testing';
import { beforeAll, describe, expect, inject, it } from 'vitest';

const endpoints = inject('endpoints');
const stackOutputs = inject('stackOutputs');
const localCloud = inject('localCloud');
const stack = { endpoints, stackOutputs, localCloud };
const platform = stackOutputs['tenantry-platform-dev'] ?? {};
const functions = stackOutputs['tenantry-tenant-management-dev'] ?? {};
const control = (user: LocalUser | undefined, method: string, path: string, body?: unknown) =>
  callApi(endpoints.controlPlaneUrl, user, method, path, body);
const app = (user: LocalUser, path: string) => callApi(endpoints.pooledAppUrl, user, 'GET', path);
const documents = DynamoDBDocumentClient.from(
  new DynamoDBClient({
    region: endpoints.region,
    endpoint: endpoints.dynamodbEndpoint,
    credentials: ROOT_CREDENTIALS,
  }),
);
const apiGateway = new APIGatewayClient({
  region: endpoints.region,
  endpoint: localCloud.aws,
  credentials: ROOT_CREDENTIALS,
});

const invoke = <T = unknown>(name: string, payload: unknown) => {
  const arn = functions[`${name[0]?.toUpperCase()}${name.slice(1)}FunctionArn`];
  if (!arn) throw new Error(`tenant-management exports no ${name}`);
  return invokeFunction<T>(stack, arn, payload);
};
const newTenantInput = () => {
  const suffix = randomBytes(4).toString('hex');
  return {
    tenantId: `t${suffix}${randomBytes(4).toString('hex')}`,
    tenantName: `prov-${suffix}`,
    tier: 'standard',
    email: `owner@prov-${suffix}.test`,
  };
};

let systemAdmin: LocalUser;
let tenantA: TestTenant;
let tenantB: TestTenant;
let adminA: LocalUser;
let userA: LocalUser;

beforeAll(async () => {
  [systemAdmin, tenantA, tenantB] = await Promise.all([
    logInSystemAdmin(stack),
    createTestTenant(stack, { tier: 'basic' }),
    createTestTenant(stack, { tier: 'basic' }),
  ]);
  [adminA, userA] = await Promise.all([tenantA.user('TenantAdmin'), tenantA.user('TenantUser')]);
});

describe('GET /tenant-config/{tenantName}', () => {
  it('answers the public configuration of a tenant to anyone, and 404 for an unknown one', async () => {
    const config = await control(undefined, 'GET', `/tenant-config/${tenantA.tenantName}`);
    expect(config.status).toBe(200);
    expect(config.body).toEqual({
      tenantId: tenantA.tenantId,
      tenantName: tenantA.tenantName,
      tier: 'basic',
      status: 'ACTIVE',
      userPoolId: platform.PooledUserPoolId,
      appClientId: platform.PooledUserPoolClientId,
      apiUrl: endpoints.pooledAppUrl,
      region: endpoints.region,
    });
    expect((await control(undefined, 'GET', '/tenant-config/no-such-tenant')).status).toBe(404);
  });
});

describe('tenants for a SystemAdmin', () => {
  it('lists every tenant a page at a time, without API keys', async () => {
    const seen: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const query = `limit=2${nextToken ? `&nextToken=${encodeURIComponent(nextToken)}` : ''}`;
      const page = await control(systemAdmin, 'GET', `/tenants?${query}`);
      expect(page.status).toBe(200);
      const items = page.body.items as Record<string, unknown>[];
      expect(items.length).toBeLessThanOrEqual(2);
      for (const item of items) {
        expect(item).not.toHaveProperty('apiKey');
        expect(item).not.toHaveProperty('apiKeyId');
        seen.push(item.tenantId as string);
      }
      nextToken = page.body.nextToken as string | undefined;
      pages += 1;
    } while (nextToken && pages < 500);
    expect(seen).toEqual(expect.arrayContaining([tenantA.tenantId, tenantB.tenantId]));
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('answers 400 to a forged page token or a token of another query', async () => {
    const forged = await control(systemAdmin, 'GET', '/tenants?limit=1&nextToken=AAAA');
    expect(forged.status).toBe(400);
    expect(forged.body.message).toBe('nextToken is not valid for this query');
    const first = await control(systemAdmin, 'GET', '/tenants?limit=1');
    const token = first.body.nextToken as string;
    expect(token).toBeDefined();
    expect(
      (await control(systemAdmin, 'GET', `/tenants?limit=2&nextToken=${encodeURIComponent(token)}`)).status,
    ).toBe(400);
  });

  it('reads any tenant and answers 404 for an unknown one', async () => {
    const record = await control(systemAdmin, 'GET', `/tenants/${tenantB.tenantId}`);
    expect(record.status).toBe(200);
    expect(record.body).toMatchObject({
      tenantId: tenantB.tenantId,
      tenantName: tenantB.tenantName,
      tier: 'basic',
    });
    expect(JSON.stringify(record.body)).not.toContain(tenantB.apiKey);
    expect((await control(systemAdmin, 'GET', '/tenants/tnosuchtenant')).status).toBe(404);
  });

  it('answers 409 to a tier change, which is not supported yet', async () => {
    const answer = await control(systemAdmin, 'PATCH', `/tenants/${tenantB.tenantId}`, { tier: 'premium' });
    expect(answer).toMatchObject({ status: 409, body: { message: 'tier changes are not yet supported' } });
  });

  it('answers 409 to a tenant deletion, which is not supported yet', async () => {
    expect((await control(systemAdmin, 'DELETE', `/tenants/${tenantB.tenantId}`)).status).toBe(409);
  });
});

describe('tenants for a TenantAdmin', () => {
  it('reads and changes the profile of their own tenant', async () => {
    expect((await control(adminA, 'GET', `/tenants/${tenantA.tenantId}`)).body).toMatchObject({
      tenantId: tenantA.tenantId,
    });
    const changed = await control(adminA, 'PATCH', `/tenants/${tenantA.tenantId}`, {
      companyName: 'Acme Ltd',
    });
    expect(changed).toMatchObject({ status: 200, body: { companyName: 'Acme Ltd', tier: 'basic' } });
  });

  it("answers 404 for another tenant's record, for reading and for changing it", async () => {
    const read = await control(adminA, 'GET', `/tenants/${tenantB.tenantId}`);
    const unknown = await control(adminA, 'GET', '/tenants/tnosuchtenant');
    expect(read.status).toBe(404);
    expect(read.body).toEqual(unknown.body);
    expect(
      (await control(adminA, 'PATCH', `/tenants/${tenantB.tenantId}`, { companyName: 'x' })).status,
    ).toBe(404);
  });

  it('may not list tenants, change its tier, or (de)activate', async () => {
    expect((await control(adminA, 'GET', '/tenants')).status).toBe(403);
    expect((await control(adminA, 'PATCH', `/tenants/${tenantA.tenantId}`, { tier: 'premium' })).status).toBe(
      403,
    );
    expect((await control(adminA, 'POST', `/tenants/${tenantA.tenantId}/deactivate`)).status).toBe(403);
  });

  it('answers 400 naming an unknown field', async () => {
    const answer = await control(adminA, 'PATCH', `/tenants/${tenantA.tenantId}`, { plan: 'gold' });
    expect(answer).toMatchObject({ status: 400, body: { message: 'plan is not a known field' } });
  });
});

describe('deactivation', () => {
  it("refuses the tenant's users within 5 s, and reactivation gives them access back", async () => {
    expect((await app(userA, '/products')).status).toBe(200);
    const deactivated = await control(systemAdmin, 'POST', `/tenants/${tenantA.tenantId}/deactivate`);
    expect(deactivated).toMatchObject({ status: 200, body: { status: 'INACTIVE' } });
    const refused = await pollUntil(
      () => app(userA, '/products'),
      (answer) => answer.status === 403,
    );
    expect(refused.value.status).toBe(403);
    expect(refused.elapsedMs).toBeLessThan(5_000);
    const controlRefused = await pollUntil(
      () => control(adminA, 'GET', `/tenants/${tenantA.tenantId}`),
      (answer) => answer.status === 403,
    );
    expect(controlRefused.value.status).toBe(403);

    const activated = await control(systemAdmin, 'POST', `/tenants/${tenantA.tenantId}/activate`);
    expect(activated).toMatchObject({ status: 200, body: { status: 'ACTIVE' } });
    const restored = await pollUntil(
      () => app(userA, '/products'),
      (answer) => answer.status === 200,
    );
    expect(restored.value.status).toBe(200);
  });
});

describe('internal functions of the provisioning workflow', () => {
  it('provision a tenant step by step, each step succeeding again when retried', async () => {
    const input = newTenantInput();
    for (let attempt = 0; attempt < 2; attempt += 1)
      expect(await invoke('createTenantRecord', input)).toEqual({ ok: true, result: {} });
    const profile = await documents.send(
      new GetCommand({ TableName: platform.TenantTableName, Key: tenantProfileKey(input.tenantId) }),
    );
    expect(profile.Item).toMatchObject({ status: 'PROVISIONING', tenantName: input.tenantName });

    const first = await invoke<{ apiKeyId: string }>('createTenantApiKey', {
      tenantId: input.tenantId,
      tier: 'standard',
    });
    const again = await invoke<{ apiKeyId: string }>('createTenantApiKey', {
      tenantId: input.tenantId,
      tier: 'standard',
    });
    expect(first.ok && again.ok).toBe(true);
    expect(again).toEqual(first);
    const apiKeyId = first.ok ? first.result.apiKeyId : '';
    const keys = await apiGateway.send(new GetApiKeysCommand({ nameQuery: `tenant-${input.tenantId}` }));
    expect(keys.items?.map((key) => key.id)).toEqual([apiKeyId]);
    const planKeys = await apiGateway.send(
      new GetUsagePlanKeysCommand({ usagePlanId: platform.StandardUsagePlanId }),
    );
    expect(planKeys.items?.map((key) => key.id)).toContain(apiKeyId);

    const wiring = {
      tenantId: input.tenantId,
      userPoolId: platform.PooledUserPoolId,
      appClientId: platform.PooledUserPoolClientId,
      apiUrl: endpoints.pooledAppUrl,
    };
    expect(await invoke('activateTenant', wiring)).toEqual({ ok: true, result: {} });
    expect(await invoke('activateTenant', wiring)).toEqual({ ok: true, result: {} });
    // The registration writes the name marker; with it the tenant is public.
    await documents.send(
      new PutCommand({
        TableName: platform.TenantTableName,
        Item: { ...tenantNameKey(input.tenantName), tenantName: input.tenantName, tenantId: input.tenantId },
      }),
    );
    expect(await control(undefined, 'GET', `/tenant-config/${input.tenantName}`)).toMatchObject({
      status: 200,
      body: { tenantId: input.tenantId, status: 'ACTIVE', tier: 'standard' },
    });
    const listed = await control(systemAdmin, 'GET', `/tenants/${input.tenantId}`);
    expect(listed.body).toMatchObject({ status: 'ACTIVE', email: input.email });
  });

  it('compensate: the API key and the record go, and a second run finds nothing to undo', async () => {
    const input = newTenantInput();
    await invoke('createTenantRecord', input);
    const created = await invoke<{ apiKeyId: string }>('createTenantApiKey', {
      tenantId: input.tenantId,
      tier: 'standard',
    });
    expect(created.ok).toBe(true);
    for (let attempt = 0; attempt < 2; attempt += 1) {
      expect(await invoke('deleteTenantApiKey', { tenantId: input.tenantId })).toEqual({
        ok: true,
        result: {},
      });
      expect(await invoke('deleteTenantRecord', { tenantId: input.tenantId })).toEqual({
        ok: true,
        result: {},
      });
    }
    const keys = await apiGateway.send(new GetApiKeysCommand({ nameQuery: `tenant-${input.tenantId}` }));
    expect(keys.items ?? []).toEqual([]);
    expect((await control(systemAdmin, 'GET', `/tenants/${input.tenantId}`)).status).toBe(404);
  });

  it.each([
    'createTenantRecord',
    'createTenantApiKey',
    'deleteTenantApiKey',
    'deleteTenantRecord',
    'activateTenant',
  ])(
    '%s throws InjectedFault when the workflow names it as the failing step, and does nothing',
    async (name) => {
      const input = newTenantInput();
      const payloads: Record<string, unknown> = {
        createTenantRecord: input,
        createTenantApiKey: { tenantId: input.tenantId, tier: 'basic' },
        deleteTenantApiKey: { tenantId: input.tenantId },
        deleteTenantRecord: { tenantId: input.tenantId },
        activateTenant: {
          tenantId: input.tenantId,
          userPoolId: platform.PooledUserPoolId,
          appClientId: platform.PooledUserPoolClientId,
          apiUrl: endpoints.pooledAppUrl,
        },
      };
      const answer = await invoke(name, { ...(payloads[name] as object), failStep: name });
      expect(answer).toMatchObject({ ok: false, errorType: 'InjectedFault' });
      if (name === 'createTenantRecord') {
        const profile = await documents.send(
          new GetCommand({ TableName: platform.TenantTableName, Key: tenantProfileKey(input.tenantId) }),
        );
        expect(profile.Item).toBeUndefined();
      }
    },
  );

  it('refuses a malformed input naming the field', async () => {
    const answer = await invoke('createTenantRecord', { ...newTenantInput(), tier: 'gold' });
    expect(answer).toMatchObject({ ok: false, errorType: 'BadRequestError' });
    expect(answer.ok ? '' : answer.errorMessage).toMatch(/^tier /);
  });
});
