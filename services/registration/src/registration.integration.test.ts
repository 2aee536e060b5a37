import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { APIGatewayClient, GetApiKeyCommand, GetApiKeysCommand } from '@aws-sdk/client-api-gateway';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  DescribeUserPoolCommand,
  InitiateAuthCommand,
  ListUserPoolsCommand,
  RespondToAuthChallengeCommand,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { tenantNameKey, tenantProfileKey } from '@tenantry/data';
import { ROOT_CREDENTIALS } from '@tenantry/local-cloud';
import { describeTenantStack, STACK_NOT_FOUND } from '@tenantry/tenant-stack/stacks';
import { callApi, createTestTenant } from '@tenantry/testing';
import { describe, expect, inject, it } from 'vitest';

const endpoints = inject('endpoints');
const stackOutputs = inject('stackOutputs');
const localCloud = inject('localCloud');
const platform = stackOutputs['tenantry-platform-dev'] ?? {};
const region = endpoints.region;

const cognito = new CognitoIdentityProviderClient({
  region,
  endpoint: endpoints.cognitoEndpoint,
  credentials: ROOT_CREDENTIALS,
});
const documents = DynamoDBDocumentClient.from(
  new DynamoDBClient({ region, endpoint: endpoints.dynamodbEndpoint, credentials: ROOT_CREDENTIALS }),
);
const apiGateway = new APIGatewayClient({ region, endpoint: localCloud.aws, credentials: ROOT_CREDENTIALS });
const cloudformation = new CloudFormationClient({
  region,
  endpoint: localCloud.aws,
  credentials: ROOT_CREDENTIALS,
});
const dynamodb = new DynamoDBClient({
  region,
  endpoint: endpoints.dynamodbEndpoint,
  credentials: ROOT_CREDENTIALS,
});

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

async function call(
  method: string,
  url: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...options.headers },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
}

const uniqueName = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;
const signUp = (tenantName: string, tier = 'basic', email = `admin@${tenantName}.example.com`) => ({
  tenantName,
  email,
  tier,
});
const register = (body: unknown, headers: Record<string, string> = {}) =>
  call('POST', `${endpoints.controlPlaneUrl}/registrations`, { body, headers });

/** POST /registrations from another loopback address: another client for the WAF. */
function registerFrom(
  localAddress: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const url = new URL(`${endpoints.controlPlaneUrl}/registrations`);
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        localAddress,
        headers: { 'content-type': 'application/json', ...headers },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Polls GET /registrations/{id} until it leaves PROVISIONING. */
async function settled(registrationId: string, timeoutMs = 10_000): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await call('GET', `${endpoints.controlPlaneUrl}/registrations/${registrationId}`);
    // Many pollers at once may meet the local cloud's 10 environments per function (a 5xx).
    if (answer.status < 500) expect(answer.status).toBe(200);
    if (answer.status === 200 && answer.body.status !== 'PROVISIONING') return answer.body;
    if (Date.now() > deadline)
      throw new Error(`registration ${registrationId} still provisioning: ${JSON.stringify(answer.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The tenant admin's first login: temporary password from the outbox, then a new password. */
async function firstLogin(email: string, appClientId: string): Promise<string> {
  const outbox = await call('GET', `${endpoints.outboxUrl}?to=${encodeURIComponent(email)}`);
  const messages = outbox.body.messages as { temporaryPassword?: string }[];
  const temporaryPassword = messages.at(-1)?.temporaryPassword;
  expect(temporaryPassword).toBeTruthy();
  const started = await cognito.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: appClientId,
      AuthParameters: { USERNAME: email, PASSWORD: temporaryPassword as string },
    }),
  );
  expect(started.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
  const answered = await cognito.send(
    new RespondToAuthChallengeCommand({
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      ClientId: appClientId,
      Session: started.Session,
      ChallengeResponses: { USERNAME: email, NEW_PASSWORD: `New-${randomBytes(9).toString('base64url')}9a` },
    }),
  );
  const idToken = answered.AuthenticationResult?.IdToken;
  expect(idToken).toBeTruthy();
  return idToken as string;
}

async function systemAdminToken(): Promise<string> {
  const { systemAdmin } = endpoints;
  const result = await cognito.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: systemAdmin.appClientId,
      AuthParameters: { USERNAME: systemAdmin.username, PASSWORD: systemAdmin.password },
    }),
  );
  return result.AuthenticationResult?.IdToken as string;
}

/** What a registration could leave behind in the registry, the pooled pool and API Gateway. */
async function leftovers(tenantId: string, tenantName: string, email: string) {
  const table = platform.TenantTableName as string;
  const record = await documents.send(new GetCommand({ TableName: table, Key: tenantProfileKey(tenantId) }));
  const marker = await documents.send(new GetCommand({ TableName: table, Key: tenantNameKey(tenantName) }));
  let user = true;
  try {
    await cognito.send(new AdminGetUserCommand({ UserPoolId: platform.PooledUserPoolId, Username: email }));
  } catch (error) {
    if (!(error instanceof UserNotFoundException)) throw error;
    user = false;
  }
  const keys = await apiGateway.send(new GetApiKeysCommand({ nameQuery: `tenant-${tenantId}` }));
  return {
    record: record.Item !== undefined,
    nameMarker: marker.Item?.tenantId === tenantId,
    user,
    apiKey: (keys.items ?? []).some((key) => key.name === `tenant-${tenantId}`),
  };
}

describe('POST /registrations', () => {
  it.each(['basic', 'standard', 'premium'])(
    'provisions a %s tenant whose admin logs in and calls the application API',
    async (tier) => {
      const tenantName = uniqueName(tier);
      const email = `admin@${tenantName}.example.com`;
      const accepted = await register({ ...signUp(tenantName, tier, email), companyName: 'Acme Ltd' });
      expect(accepted.status).toBe(202);
      expect(accepted.body).toEqual({
        registrationId: expect.any(String),
        tenantId: expect.any(String),
        status: 'PROVISIONING',
      });
      expect(accepted.headers.get('location')).toBe(`/registrations/${accepted.body.registrationId}`);

      const done = await settled(accepted.body.registrationId as string);
      expect(done).toEqual({
        registrationId: accepted.body.registrationId,
        tenantId: accepted.body.tenantId,
        tenantName,
        tier,
        status: 'ACTIVE',
        step: 'completeRegistration',
      });

      const config = await call('GET', `${endpoints.controlPlaneUrl}/tenant-config/${tenantName}`);
      expect(config.status).toBe(200);
      expect(config.body).toMatchObject({ tenantId: accepted.body.tenantId, tier, status: 'ACTIVE' });
      const idToken = await firstLogin(email, config.body.appClientId as string);
      const products = await call('GET', `${config.body.apiUrl}/products`, {
        headers: { authorization: `Bearer ${idToken}` },
      });
      expect(products.status).toBe(200);
      expect(products.body).toEqual({ items: [] });
    },
  );

  it('answers 400 naming the field for bad input and unknown fields', async () => {
    const name = uniqueName('bad');
    for (const [body, field] of [
      [{ ...signUp(name), tenantId: 't1' }, 'tenantId'],
      [{ ...signUp(name), tenantName: 'No' }, 'tenantName'],
      [{ ...signUp(name), email: 'nope' }, 'email'],
      [{ ...signUp(name), tier: 'gold' }, 'tier'],
    ] as const) {
      const answer = await register(body);
      expect(answer.status).toBe(400);
      expect(String(answer.body.message)).toMatch(new RegExp(`^${field} `));
    }
  });

  it('registers a name once when ten clients race for it', async () => {
    const tenantName = uniqueName('race');
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        register(signUp(tenantName, 'basic', `u${i}@${tenantName}.example.com`)),
      ),
    );
    const accepted = answers.filter((answer) => answer.status === 202);
    const refused = answers.filter((answer) => answer.status === 409);
    expect(accepted).toHaveLength(1);
    expect(refused).toHaveLength(9);
    for (const answer of refused) expect(answer.body).toEqual({ message: 'tenant name is already taken' });
    const winner = accepted[0]?.body as { registrationId: string; tenantId: string };
    expect((await settled(winner.registrationId)).status).toBe('ACTIVE');
    const marker = await documents.send(
      new GetCommand({ TableName: platform.TenantTableName, Key: tenantNameKey(tenantName) }),
    );
    expect(marker.Item?.tenantId).toBe(winner.tenantId);
  });

  it('provisions twenty tenants registering at once', async () => {
    // Careful clients: an Idempotency-Key each, and a retry of a 5xx (the local cloud, like a
    // Lambda with reserved concurrency, runs at most 10 environments of a function at once).
    // Twenty clients (twenty loopback addresses, so the per-client WAF limit is not what is tested).
    const registerPatiently = async (body: unknown, client: number) => {
      const headers = { 'Idempotency-Key': randomBytes(12).toString('hex') };
      for (let attempt = 1; ; attempt += 1) {
        const answer = await registerFrom(`127.0.1.${client + 1}`, JSON.stringify(body), headers);
        if (answer.status < 500 || attempt >= 10) return answer;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    };
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        registerPatiently(signUp(uniqueName(`many${i}`), i % 2 ? 'basic' : 'standard'), i),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(202));
    const done = await Promise.all(
      answers.map((answer) => settled(answer.body.registrationId as string, 30_000)),
    );
    expect(
      done
        .filter((registration) => registration.status !== 'ACTIVE')
        .map(({ step, error }) => ({ step, error })),
    ).toEqual([]);
  }, 60_000);

  it('returns the first answer to a retry with the same Idempotency-Key and refuses another body', async () => {
    const tenantName = uniqueName('idem');
    const key = randomBytes(12).toString('hex');
    const first = await register(signUp(tenantName), { 'Idempotency-Key': key });
    expect(first.status).toBe(202);
    const retry = await register(signUp(tenantName), { 'Idempotency-Key': key });
    expect(retry.status).toBe(202);
    expect(retry.body).toEqual(first.body);
    const other = await register(signUp(tenantName, 'premium'), { 'Idempotency-Key': key });
    expect(other.status).toBe(409);
    expect((await settled(first.body.registrationId as string)).status).toBe('ACTIVE');
  });

  it.each([
    'recordProgress',
    'createTenantRecord',
    'createTenantApiKey',
    'createTenantAdmin',
    'activateTenant',
    'completeRegistration',
  ])('compensates a failure at %s and leaves nothing behind', async (step) => {
    const tenantName = uniqueName(step.toLowerCase().slice(0, 20));
    const email = `admin@${tenantName}.example.com`;
    const accepted = await register(signUp(tenantName, 'basic', email), { 'X-Tenantry-Fail-Step': step });
    expect(accepted.status).toBe(202);
    const failed = await settled(accepted.body.registrationId as string);
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toMatch(/^provisioning failed at step [a-zA-Z]+$/);
    expect(await leftovers(accepted.body.tenantId as string, tenantName, email)).toEqual({
      record: false,
      nameMarker: false,
      user: false,
      apiKey: false,
    });
    const again = await register(signUp(tenantName, 'basic', email));
    expect(again.status).toBe(202);
    expect((await settled(again.body.registrationId as string)).status).toBe('ACTIVE');
  });

  describe('platinum', () => {
    it('refuses an anonymous caller with 401 and a TenantAdmin with 403', async () => {
      const body = signUp(uniqueName('plat'), 'platinum');
      expect((await register(body)).status).toBe(401);
      expect((await register(body, { authorization: 'Bearer not.a.token' })).status).toBe(401);
      const tenant = await createTestTenant({ endpoints, stackOutputs, localCloud });
      const admin = await tenant.user('TenantAdmin');
      const refused = await register(body, { authorization: `Bearer ${admin.idToken}` });
      expect(refused.status).toBe(403);
    });

    const registerPlatinum = async (
      tenantName: string,
      email: string,
      headers: Record<string, string> = {},
    ) =>
      register(signUp(tenantName, 'platinum', email), {
        authorization: `Bearer ${await systemAdminToken()}`,
        ...headers,
      });

    /** What a platinum registration could leave behind: its stack (and pool), record, name, member. */
    async function siloLeftovers(tenantId: string, tenantName: string, email: string) {
      const pooled = await leftovers(tenantId, tenantName, email);
      const pools = await cognito.send(new ListUserPoolsCommand({ MaxResults: 60 }));
      const members = await documents.send(
        new QueryCommand({
          TableName: stackOutputs['tenantry-user-management-dev']?.UserTableName as string,
          // Members only (the tenant's count of admins may stay, at zero).
          KeyConditionExpression: 'pk = :pk and begins_with(sk, :user)',
          ExpressionAttributeValues: { ':pk': `TENANT#${tenantId}`, ':user': 'USER#' },
        }),
      );
      return {
        stack: (await describeTenantStack({ cloudformation }, { tenantId })).status,
        pool: (pools.UserPools ?? []).some((pool) => pool.Name === `tenantry-${tenantId}`),
        record: pooled.record,
        nameMarker: pooled.nameMarker,
        members: members.Items?.length ?? 0,
      };
    }

    it('provisions a platinum tenant on its own stack, whose admin logs in to its own pool and API', async () => {
      const tenantName = uniqueName('plat');
      const email = `admin@${tenantName}.example.com`;
      const accepted = await registerPlatinum(tenantName, email);
      expect(accepted.status).toBe(202);
      const tenantId = accepted.body.tenantId as string;
      const started = Date.now();
      const done = await settled(accepted.body.registrationId as string, 20_000);
      console.log(`platinum registration → ACTIVE in ${((Date.now() - started) / 1000).toFixed(2)} s`);
      expect(done).toMatchObject({ status: 'ACTIVE', tier: 'platinum', step: 'completeRegistration' });

      const config = await call('GET', `${endpoints.controlPlaneUrl}/tenant-config/${tenantName}`);
      expect(config.status).toBe(200);
      const { userPoolId, appClientId, apiUrl } = config.body as {
        userPoolId: string;
        appClientId: string;
        apiUrl: string;
      };
      expect(userPoolId).not.toBe(platform.PooledUserPoolId);
      expect(apiUrl).not.toBe(endpoints.pooledAppUrl);
      expect(apiUrl).toMatch(/\/restapis\/\w+\/dev\/_user_request_$/);
      // Its own pool and tables, made by its stack.
      const pool = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: userPoolId }));
      expect(pool.UserPool?.Name).toBe(`tenantry-${tenantId}`);
      for (const table of ['products', 'orders']) {
        const described = await dynamodb.send(
          new DescribeTableCommand({ TableName: `tenantry-${tenantId}-${table}` }),
        );
        expect(described.Table?.TableStatus).toBe('ACTIVE');
      }
      // The key on the tenant record is the stack's own key.
      const stack = await describeTenantStack({ cloudformation }, { tenantId });
      const record = await documents.send(
        new GetCommand({ TableName: platform.TenantTableName as string, Key: tenantProfileKey(tenantId) }),
      );
      const key = await apiGateway.send(
        new GetApiKeyCommand({ apiKey: stack.outputs?.ApiKeyId, includeValue: true }),
      );
      expect(record.Item).toMatchObject({ apiKeyId: stack.outputs?.ApiKeyId, apiKey: key.value });

      const idToken = await firstLogin(email, appClientId);
      const admin = { idToken };
      const products = await callApi(apiUrl, admin, 'GET', '/products');
      expect(products).toEqual({ status: 200, body: { items: [] } });
      const created = await callApi(apiUrl, admin, 'POST', '/products', {
        name: 'Silo',
        price: 100,
        sku: 'S-1',
      });
      expect(created.status).toBe(201);

      // Tokens do not cross between the silo and the pooled application API.
      expect((await callApi(endpoints.pooledAppUrl, admin, 'GET', '/products')).status).toBe(401);
      const pooledTenant = await createTestTenant({ endpoints, stackOutputs, localCloud });
      const pooledAdmin = await pooledTenant.user('TenantAdmin');
      expect((await callApi(apiUrl, pooledAdmin, 'GET', '/products')).status).toBe(401);
      expect((await callApi(endpoints.pooledAppUrl, pooledAdmin, 'GET', '/products')).status).toBe(200);
    }, 60_000);

    it.each(['createTenantStack', 'describeTenantStack', 'createTenantAdmin', 'activateTenant'])(
      'compensates a platinum failure at %s, deleting the stack, and the name registers again',
      async (step) => {
        const tenantName = uniqueName(`plat-${step.toLowerCase().slice(0, 16)}`);
        const email = `admin@${tenantName}.example.com`;
        const accepted = await registerPlatinum(tenantName, email, { 'X-Tenantry-Fail-Step': step });
        expect(accepted.status).toBe(202);
        const failed = await settled(accepted.body.registrationId as string, 20_000);
        expect(failed).toMatchObject({ status: 'FAILED', error: `provisioning failed at step ${step}` });
        expect(await siloLeftovers(accepted.body.tenantId as string, tenantName, email)).toEqual({
          stack: STACK_NOT_FOUND,
          pool: false,
          record: false,
          nameMarker: false,
          members: 0,
        });
        const again = await registerPlatinum(tenantName, email);
        expect(again.status).toBe(202);
        expect((await settled(again.body.registrationId as string, 20_000)).status).toBe('ACTIVE');
      },
      60_000,
    );
  });
});

describe('the per-client limit of sign-ups', () => {
  it('answers 429 to a flooding address while other clients still register', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 101; i += 1) statuses.push((await registerFrom('127.0.0.2', '{}')).status);
    expect(statuses.slice(0, 100).every((status) => status === 400)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    expect(await registerFrom('127.0.0.2', '{}')).toEqual({
      status: 429,
      body: { message: 'Too Many Requests' },
    });
    // Another address is not blocked.
    expect((await register({})).status).toBe(400);
  });
});
