import {
  cognitoIdTokenClaims,
  createTestSigningKey,
  type JwksServer,
  signJwt,
  startJwksServer,
} from '@tenantry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AuthorizerDecision,
  createAuthorizer,
  IDENTITY_CACHE_TTL_MS,
  type TenantState,
  type UserState,
} from './authorizer.js';
import { UnauthorizedError } from './errors.js';
import { createIdTokenVerifier } from './verifier.js';

const region = 'us-east-1';
const operations = { userPoolId: 'us-east-1_ops', appClientId: 'ops-client' };
const pooled = { userPoolId: 'us-east-1_pooled', appClientId: 'pooled-client' };
const key = createTestSigningKey();
let server: JwksServer;

const arn = (apiId: string, route = 'GET/orders/o-1') =>
  `arn:aws:execute-api:us-east-1:123456789012:${apiId}/dev/${route}`;
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const tenantToken = (overrides: Record<string, unknown> = {}, sub = 'user-1') =>
  signJwt(
    key,
    cognitoIdTokenClaims({ region, ...pooled, sub, tenantId: 'tenant-a', role: 'TenantAdmin', overrides }),
  );
const adminToken = () =>
  signJwt(key, cognitoIdTokenClaims({ region, ...operations, sub: 'admin-1', role: 'SystemAdmin' }));

function harness() {
  let now = 5_000_000;
  const tenants = new Map<string, TenantState>([
    ['tenant-a', { status: 'ACTIVE', tier: 'basic', apiKey: 'key-a' }],
  ]);
  const users = new Map<string, UserState>([
    ['user-1', { enabled: true, role: 'TenantAdmin', tenantId: 'tenant-a' }],
    ['admin-1', { enabled: true, role: 'SystemAdmin', tenantId: undefined }],
  ]);
  const reads = { tenants: 0, users: 0 };
  const decisions: AuthorizerDecision[] = [];
  const verifierOf = (pools: (typeof pooled)[]) =>
    createIdTokenVerifier({ region, pools, cognitoEndpoint: server.url });
  const authorize = createAuthorizer({
    apis: new Map([
      ['control', { kind: 'controlPlane' as const, verifier: verifierOf([operations, pooled]) }],
      ['app', { kind: 'app' as const, verifier: verifierOf([pooled]) }],
    ]),
    operationsUserPoolId: operations.userPoolId,
    tenants: {
      get: async (id) => {
        reads.tenants += 1;
        const tenant = tenants.get(id);
        return tenant && { ...tenant };
      },
    },
    users: {
      get: async (_pool, sub) => {
        reads.users += 1;
        const user = users.get(sub);
        return user && { ...user };
      },
    },
    log: (decision) => decisions.push(decision),
    now: () => now,
  });
  return { authorize, tenants, users, reads, decisions, advance: (ms: number) => (now += ms) };
}

beforeAll(async () => {
  server = await startJwksServer([key]);
});
afterAll(() => server.close());

describe('createAuthorizer', () => {
  it('allows a tenant user with context, tier and the tenant key as usage identifier', async () => {
    const { authorize } = harness();
    const result = await authorize({ methodArn: arn('app'), headers: bearer(tenantToken()) });
    expect(result).toMatchObject({
      principalId: 'user-1',
      context: { tenantId: 'tenant-a', userId: 'user-1', role: 'TenantAdmin', tier: 'basic' },
      usageIdentifierKey: 'key-a',
    });
    expect(result.policyDocument.Statement[0]).toMatchObject({ Effect: 'Allow' });
  });

  it('uses the role the user has now, not the one in the token', async () => {
    const { authorize, users } = harness();
    users.set('user-1', { enabled: true, role: 'TenantUser', tenantId: 'tenant-a' });
    const result = await authorize({ methodArn: arn('app'), headers: bearer(tenantToken()) });
    expect(result.context?.role).toBe('TenantUser');
    expect(JSON.stringify(result.policyDocument)).not.toContain('/DELETE/');
  });

  it.each([
    [
      'a disabled user',
      (h: ReturnType<typeof harness>) =>
        h.users.set('user-1', { enabled: false, role: 'TenantAdmin', tenantId: 'tenant-a' }),
    ],
    [
      'an inactive tenant',
      (h: ReturnType<typeof harness>) => h.tenants.set('tenant-a', { status: 'INACTIVE', tier: 'basic' }),
    ],
    ['an unknown tenant', (h: ReturnType<typeof harness>) => h.tenants.delete('tenant-a')],
    [
      'a role that is not a tenant role',
      (h: ReturnType<typeof harness>) =>
        h.users.set('user-1', { enabled: true, role: 'SystemAdmin', tenantId: 'tenant-a' }),
    ],
  ])('denies every method to %s', async (_name, arrange) => {
    const h = harness();
    arrange(h);
    const result = await h.authorize({ methodArn: arn('app'), headers: bearer(tenantToken()) });
    expect(result.policyDocument.Statement).toEqual([
      {
        Action: 'execute-api:Invoke',
        Effect: 'Deny',
        Resource: 'arn:aws:execute-api:us-east-1:123456789012:app/dev/*/*',
      },
    ]);
    expect(result.usageIdentifierKey).toBeUndefined();
    expect(h.decisions.at(-1)).toMatchObject({ decision: 'deny', tenantId: 'tenant-a' });
  });

  it.each([
    ['a deleted user', (h: ReturnType<typeof harness>) => h.users.delete('user-1'), tenantToken()],
    ['a token without a tenant claim', () => undefined, tenantToken({ 'custom:tenantId': undefined })],
    [
      'a token whose tenant is not the user’s',
      () => undefined,
      tenantToken({ 'custom:tenantId': 'tenant-b' }),
    ],
    ['no token', () => undefined, ''],
  ])('refuses %s as Unauthorized', async (_name, arrange, token) => {
    const h = harness();
    arrange(h);
    const headers = token ? bearer(token) : {};
    await expect(h.authorize({ methodArn: arn('app'), headers })).rejects.toBeInstanceOf(UnauthorizedError);
    expect(h.decisions.at(-1)?.decision).toBe('unauthorized');
  });

  it('refuses a request to an API it does not protect', async () => {
    const { authorize } = harness();
    await expect(
      authorize({ methodArn: arn('other'), headers: bearer(tenantToken()) }),
    ).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it('accepts a SystemAdmin on the control-plane API without reading a tenant record', async () => {
    const h = harness();
    const result = await h.authorize({
      methodArn: arn('control', 'GET/tenants'),
      headers: bearer(adminToken()),
    });
    expect(result.context).toEqual({ tenantId: 'operations', userId: 'admin-1', role: 'SystemAdmin' });
    expect(result.usageIdentifierKey).toBeUndefined();
    expect(h.reads.tenants).toBe(0);
  });

  it('refuses an operations-pool token on the app API', async () => {
    const { authorize } = harness();
    await expect(authorize({ methodArn: arn('app'), headers: bearer(adminToken()) })).rejects.toBeInstanceOf(
      UnauthorizedError,
    );
  });

  it('denies an operations-pool user whose current role is not SystemAdmin', async () => {
    const h = harness();
    h.users.set('admin-1', { enabled: true, role: 'TenantAdmin', tenantId: undefined });
    const result = await h.authorize({
      methodArn: arn('control', 'GET/tenants'),
      headers: bearer(adminToken()),
    });
    expect(result.policyDocument.Statement[0]).toMatchObject({ Effect: 'Deny' });
  });

  it('keeps what it read about a tenant and a user for the cache TTL, then reads again', async () => {
    const h = harness();
    const request = { methodArn: arn('app'), headers: bearer(tenantToken()) };
    await h.authorize(request);
    h.tenants.set('tenant-a', { status: 'INACTIVE', tier: 'basic' });
    h.advance(IDENTITY_CACHE_TTL_MS - 1);
    expect((await h.authorize(request)).policyDocument.Statement[0]).toMatchObject({ Effect: 'Allow' });
    expect(h.reads).toEqual({ tenants: 1, users: 1 });
    h.advance(1);
    expect((await h.authorize(request)).policyDocument.Statement[0]).toMatchObject({ Effect: 'Deny' });
    expect(h.reads).toEqual({ tenants: 2, users: 2 });
  });

  it('caches for at most 3 s', () => {
    expect(IDENTITY_CACHE_TTL_MS).toBeLessThanOrEqual(3_000);
  });

  it('never logs the token or the tenant key', async () => {
    const h = harness();
    const token = tenantToken();
    await h.authorize({ methodArn: arn('app'), headers: bearer(token) });
    await h.authorize({ methodArn: arn('app'), headers: bearer(`${token}x`) }).catch(() => undefined);
    const logged = JSON.stringify(h.decisions);
    expect(logged).not.toContain(token.split('.')[2]);
    expect(logged).not.toContain('key-a');
    expect(h.decisions.map((d) => d.decision)).toEqual(['allow', 'unauthorized']);
  });
});
