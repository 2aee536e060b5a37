/**
 * The shared authorizer as deployed by the platform stack, with real tokens from the local Cognito
 * through the local API Gateway. Protected routes: `GET {pooledAppUrl}/orders/{orderId}` (404 for
 * an unknown order once authorized) and `GET {controlPlaneUrl}/users/{userId}`.
 */
import { createHmac, createPublicKey } from 'node:crypto';
import { APIGatewayClient, GetUsageCommand } from '@aws-sdk/client-api-gateway';
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  InitiateAuthCommand,
  UpdateUserAttributesCommand,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { ROOT_CREDENTIALS } from '@tenantry/local-cloud';
import { createLocalUser, createTestTenant, type LocalUser, type TestTenant } from '@tenantry/testing';
import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import { beforeAll, describe, expect, inject, it } from 'vitest';

const endpoints = inject('endpoints');
const stackOutputs = inject('stackOutputs');
const localCloud = inject('localCloud');
const stack = { endpoints, stackOutputs, localCloud };
const platform = stackOutputs['tenantry-platform-dev'] ?? {};
const pooledPoolId = platform.PooledUserPoolId as string;
const pooledClientId = platform.PooledUserPoolClientId as string;
const operationsPoolId = platform.OperationsUserPoolId as string;
const operationsClientId = platform.OperationsUserPoolClientId as string;

const aws = { region: endpoints.region, credentials: ROOT_CREDENTIALS };
const cognito = new CognitoIdentityProviderClient({ ...aws, endpoint: endpoints.cognitoEndpoint });
const apiGateway = new APIGatewayClient({ ...aws, endpoint: localCloud.aws });
const lambda = new LambdaClient({ ...aws, endpoint: localCloud.aws });

const headersOf = (token?: string): Record<string, string> =>
  token === undefined ? {} : { authorization: `Bearer ${token}` };
const appCall = async (token?: string, method = 'GET') =>
  (await fetch(`${endpoints.pooledAppUrl}/orders/o-unknown`, { method, headers: headersOf(token) })).status;
const controlCall = async (token: string, userId: string) =>
  (await fetch(`${endpoints.controlPlaneUrl}/users/${userId}`, { headers: headersOf(token) })).status;

const part = (token: string, index: number) => token.split('.')[index] as string;
const decode = (segment: string) =>
  JSON.parse(Buffer.from(segment, 'base64url').toString()) as Record<string, unknown>;
const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Polls every 250 ms until `probe` answers `expected`; returns the answer and the time it took. */
async function statusWithin(probe: () => Promise<number>, expected: number, limitMs = 5_000) {
  const started = Date.now();
  for (;;) {
    const status = await probe();
    const elapsedMs = Date.now() - started;
    if (status === expected || elapsedMs > limitMs) return { status, elapsedMs };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function operationsUser(): Promise<LocalUser> {
  return createLocalUser({
    cognitoEndpoint: endpoints.cognitoEndpoint,
    region: endpoints.region,
    userPoolId: operationsPoolId,
    clientId: operationsClientId,
    role: 'SystemAdmin',
  });
}

/** Calls the deployed authorizer function directly, as API Gateway does, for `METHOD /path`. */
async function invokeAuthorizer(token: string, route: string): Promise<APIGatewayAuthorizerResult> {
  const [method, path] = route.split(' ') as [string, string];
  const methodArn = `arn:aws:execute-api:${endpoints.region}:000000000000:${platform.AppApiId}/dev/${method}${path}`;
  const result = await lambda.send(
    new InvokeCommand({
      FunctionName: 'tenantry-platform-dev-authorizer',
      Payload: JSON.stringify({ type: 'REQUEST', methodArn, headers: { Authorization: `Bearer ${token}` } }),
    }),
  );
  const payload = JSON.parse(Buffer.from(result.Payload ?? []).toString() || 'null');
  if (result.FunctionError) throw new Error(`authorizer failed: ${payload?.errorMessage}`);
  return payload as APIGatewayAuthorizerResult;
}
const allowedResources = (result: APIGatewayAuthorizerResult) =>
  result.policyDocument.Statement.filter((statement) => statement.Effect === 'Allow').flatMap((statement) =>
    'Resource' in statement ? [statement.Resource ?? []].flat() : [],
  );

describe('the shared authorizer on the local gateway', () => {
  let tenant: TestTenant;
  let admin: LocalUser;
  const rejected: Record<string, string | undefined> = {};

  beforeAll(async () => {
    tenant = await createTestTenant(stack, { tier: 'basic' });
    admin = await tenant.user('TenantAdmin');
    const idToken = admin.idToken;
    const [header, payload, signature] = idToken.split('.') as [string, string, string];

    const jwks = (await (
      await fetch(`${endpoints.cognitoEndpoint}/${pooledPoolId}/.well-known/jwks.json`)
    ).json()) as { keys: Array<Record<string, string>> };
    const jwk = jwks.keys.find((key) => key.kid === decode(header).kid);
    const publicPem = createPublicKey({ key: jwk as never, format: 'jwk' }).export({
      type: 'spki',
      format: 'pem',
    });
    const hsHeader = encode({ ...decode(header), alg: 'HS256' });
    const hsSignature = createHmac('sha256', publicPem).update(`${hsHeader}.${payload}`).digest('base64url');

    const systemAdminAuth = await cognito.send(
      new InitiateAuthCommand({
        ClientId: endpoints.systemAdmin.appClientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: {
          USERNAME: endpoints.systemAdmin.username,
          PASSWORD: endpoints.systemAdmin.password,
        },
      }),
    );

    const otherClient = await cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: pooledPoolId,
        ClientName: `other-${Date.now()}`,
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    const otherClientAuth = await cognito.send(
      new InitiateAuthCommand({
        ClientId: otherClient.UserPoolClient?.ClientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: admin.email, PASSWORD: admin.password },
      }),
    );
    const tenantless = await createLocalUser({
      cognitoEndpoint: endpoints.cognitoEndpoint,
      region: endpoints.region,
      userPoolId: pooledPoolId,
      clientId: pooledClientId,
      role: 'TenantAdmin',
    });

    Object.assign(rejected, {
      'no token': undefined,
      'a garbage token': 'not.a.token',
      'an unsigned token (alg none)': `${encode({ ...decode(header), alg: 'none' })}.${payload}.`,
      'an HS256 token signed with the pool’s public key': `${hsHeader}.${payload}.${hsSignature}`,
      'a SystemAdmin token of the operations pool': systemAdminAuth.AuthenticationResult?.IdToken,
      'a token with an unknown kid': `${encode({ ...decode(header), kid: 'unknown-kid' })}.${payload}.${signature}`,
      'an access token': admin.accessToken,
      'a token with a tampered payload': `${header}.${encode({ ...decode(payload), 'custom:tenantId': 'tother' })}.${signature}`,
      'a token of another app client of the pool': otherClientAuth.AuthenticationResult?.IdToken,
      'a token without a tenant claim': tenantless.idToken,
    });
  });

  it('lets a tenant’s user reach the route', async () => {
    expect(await appCall(admin.idToken)).toBe(404);
  });

  it.each([
    'no token',
    'a garbage token',
    'an unsigned token (alg none)',
    'an HS256 token signed with the pool’s public key',
    'a SystemAdmin token of the operations pool',
    'a token with an unknown kid',
    'an access token',
    'a token with a tampered payload',
    'a token of another app client of the pool',
    'a token without a tenant claim',
  ])('answers 401 to %s on the app API', async (name) => {
    expect(name in rejected).toBe(true);
    const token = rejected[name];
    if (name !== 'no token') expect(token).toBeTruthy();
    expect(await appCall(token)).toBe(401);
  });

  it('accepts a SystemAdmin of the operations pool on the control-plane API', async () => {
    const systemAdmin = await operationsUser();
    expect(await controlCall(systemAdmin.idToken, systemAdmin.userId)).toBe(200);
    expect(await controlCall('not.a.token', systemAdmin.userId)).toBe(401);
  });

  it('does not let a user change its own tenant or role', async () => {
    const user = await tenant.user('TenantUser');
    const update = (name: string, value: string) =>
      cognito.send(
        new UpdateUserAttributesCommand({
          AccessToken: user.accessToken,
          UserAttributes: [{ Name: name, Value: value }],
        }),
      );
    await expect(update('custom:tenantId', 'tother')).rejects.toThrow();
    await expect(update('custom:userRole', 'TenantAdmin')).rejects.toThrow();
    const stored = await cognito.send(
      new AdminGetUserCommand({ UserPoolId: pooledPoolId, Username: user.email }),
    );
    const attribute = (name: string) => stored.UserAttributes?.find((a) => a.Name === name)?.Value;
    expect(attribute('custom:tenantId')).toBe(tenant.tenantId);
    expect(attribute('custom:userRole')).toBe('TenantUser');
  });

  it('keeps e-mail addresses unique in the pooled pool', async () => {
    await expect(
      cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: pooledPoolId,
          Username: admin.email,
          MessageAction: 'SUPPRESS',
          UserAttributes: [{ Name: 'email', Value: admin.email }],
        }),
      ),
    ).rejects.toBeInstanceOf(UsernameExistsException);
  });

  it('refuses a disabled user within 5 s', async () => {
    const user = await tenant.user('TenantUser');
    expect(await appCall(user.idToken)).toBe(404);
    await tenant.disableUser(user);
    const { status, elapsedMs } = await statusWithin(() => appCall(user.idToken), 403);
    expect(status).toBe(403);
    expect(elapsedMs).toBeLessThanOrEqual(5_000);
  });

  it('refuses a deleted user with 401 within 5 s', async () => {
    const user = await tenant.user('TenantUser');
    expect(await appCall(user.idToken)).toBe(404);
    await cognito.send(new AdminDeleteUserCommand({ UserPoolId: pooledPoolId, Username: user.email }));
    const { status, elapsedMs } = await statusWithin(() => appCall(user.idToken), 401);
    expect(status).toBe(401);
    expect(elapsedMs).toBeLessThanOrEqual(5_000);
  });

  it('refuses the users of a deactivated tenant within 5 s on both APIs', async () => {
    const other = await createTestTenant(stack, { tier: 'standard' });
    const user = await other.user('TenantAdmin');
    expect(await appCall(user.idToken)).toBe(404);
    await other.setStatus('INACTIVE');
    const { status, elapsedMs } = await statusWithin(() => appCall(user.idToken), 403);
    expect(status).toBe(403);
    expect(elapsedMs).toBeLessThanOrEqual(5_000);
    expect(await controlCall(user.idToken, user.userId)).toBe(403);
  });

  it('applies a role change within 5 s', async () => {
    const systemAdmin = await operationsUser();
    expect(await controlCall(systemAdmin.idToken, systemAdmin.userId)).toBe(200);
    await cognito.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: operationsPoolId,
        Username: systemAdmin.email,
        UserAttributes: [{ Name: 'custom:userRole', Value: 'TenantAdmin' }],
      }),
    );
    const { status, elapsedMs } = await statusWithin(
      () => controlCall(systemAdmin.idToken, systemAdmin.userId),
      403,
    );
    expect(status).toBe(403);
    expect(elapsedMs).toBeLessThanOrEqual(5_000);
  });

  it('allows DELETE to a TenantAdmin and not to a TenantUser, with the role the user has now', async () => {
    const user = await tenant.user('TenantAdmin');
    const deleteArn = `:${platform.AppApiId}/dev/DELETE/orders/*`;
    const before = await invokeAuthorizer(user.idToken, 'DELETE /orders/x');
    expect(before.context).toMatchObject({ tenantId: tenant.tenantId, role: 'TenantAdmin', tier: 'basic' });
    expect(allowedResources(before).some((arn) => String(arn).endsWith(deleteArn))).toBe(true);

    await tenant.setRole(user, 'TenantUser');
    const started = Date.now();
    let after = await invokeAuthorizer(user.idToken, 'DELETE /orders/x');
    while (after.context?.role !== 'TenantUser' && Date.now() - started <= 5_000) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      after = await invokeAuthorizer(user.idToken, 'DELETE /orders/x');
    }
    expect(after.context?.role).toBe('TenantUser');
    expect(allowedResources(after).some((arn) => String(arn).includes('/DELETE/'))).toBe(false);
    expect(allowedResources(after).some((arn) => String(arn).endsWith('/GET/orders/*'))).toBe(true);
    // Through the gateway: GET passes, DELETE is refused before any function runs.
    expect(await appCall(user.idToken)).toBe(404);
    expect(await appCall(user.idToken, 'DELETE')).toBe(403);
  });

  it('has the gateway refuse DELETE /products/{productId} to a TenantUser but not to a TenantAdmin', async () => {
    const user = await tenant.user('TenantUser');
    const remove = (token: string) =>
      fetch(`${endpoints.pooledAppUrl}/products/p-unknown`, { method: 'DELETE', headers: headersOf(token) });
    const refused = await remove(user.idToken);
    expect(refused.status).toBe(403);
    // The policy does not cover the method (not a missing route, not a Deny).
    expect(await refused.json()).toEqual({ message: 'User is not authorized to access this resource' });
    expect((await remove(admin.idToken)).status).toBe(404);
  });

  it('counts a tenant’s requests against its own API key, not its tier’s', async () => {
    const neighbour = await createTestTenant(stack, { tier: 'basic' });
    const served = async (keyId: string) => {
      const clock = (await (await fetch(`${localCloud.gateway}/_local/clock`)).json()) as { now: string };
      const day = (offsetDays: number) =>
        new Date(Date.parse(clock.now) + offsetDays * 86_400_000).toISOString().slice(0, 10);
      const usage = await apiGateway.send(
        new GetUsageCommand({
          usagePlanId: platform.BasicUsagePlanId,
          keyId,
          startDate: day(-1),
          endDate: day(1),
        }),
      );
      return (usage.items?.[keyId] ?? []).reduce((sum, [used = 0]) => sum + used, 0);
    };
    const [ownBefore, neighbourBefore] = [await served(tenant.apiKeyId), await served(neighbour.apiKeyId)];
    for (let i = 0; i < 3; i += 1) expect(await appCall(admin.idToken)).toBe(404);
    expect(await served(tenant.apiKeyId)).toBe(ownBefore + 3);
    expect(await served(neighbour.apiKeyId)).toBe(neighbourBefore);
  });
});

describe('token expiry on the local gateway', () => {
  it('answers 401 once the ID token has expired', async () => {
    const tenant = await createTestTenant(stack, { tier: 'basic' });
    const user = await tenant.user('TenantUser');
    expect(await appCall(user.idToken)).toBe(404);
    const exp = decode(part(user.idToken, 1)).exp as number;
    const clock = (await (await fetch(`${localCloud.gateway}/_local/clock`)).json()) as { now: string };
    const advanceMs = exp * 1000 - Date.parse(clock.now) + 5_000;
    await fetch(`${localCloud.gateway}/_local/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advanceMs }),
    });
    expect(await appCall(user.idToken)).toBe(401);
  });
});
