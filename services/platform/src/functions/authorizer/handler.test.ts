import {
  cognitoIdTokenClaims,
  createTestSigningKey,
  type JwksServer,
  signJwt,
  startJwksServer,
} from '@tenantry/testing';
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const operations = { userPoolId: 'us-east-1_ops', appClientId: 'ops-client' };
const pooled = { userPoolId: 'us-east-1_pooled', appClientId: 'pooled-client' };
const key = createTestSigningKey();
let server: JwksServer;
let handler: (event: APIGatewayRequestAuthorizerEvent) => Promise<unknown>;

const event = (apiId: string, token: string) =>
  ({
    type: 'REQUEST',
    methodArn: `arn:aws:execute-api:us-east-1:123456789012:${apiId}/dev/GET/x`,
    headers: { Authorization: `Bearer ${token}` },
  }) as unknown as APIGatewayRequestAuthorizerEvent;
const systemAdminToken = () =>
  signJwt(key, cognitoIdTokenClaims({ ...operations, role: 'SystemAdmin', sub: 'admin-1' }));
const tenantUserToken = () =>
  signJwt(key, cognitoIdTokenClaims({ ...pooled, role: 'TenantUser', tenantId: 'tenant-a', sub: 'user-1' }));

beforeAll(async () => {
  server = await startJwksServer([key]);
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER', server.url);
  vi.stubEnv('CONTROL_PLANE_API_ID', 'control');
  vi.stubEnv('APP_API_ID', 'app');
  vi.stubEnv('OPERATIONS_USER_POOL_ID', operations.userPoolId);
  vi.stubEnv('OPERATIONS_CLIENT_ID', operations.appClientId);
  vi.stubEnv('POOLED_USER_POOL_ID', pooled.userPoolId);
  vi.stubEnv('POOLED_CLIENT_ID', pooled.appClientId);
  ({ handler } = await import('./handler.js'));
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await server.close();
});

describe('authorizer handler', () => {
  it('accepts a SystemAdmin on the control-plane API', async () => {
    await expect(handler(event('control', systemAdminToken()))).resolves.toMatchObject({
      principalId: 'admin-1',
      context: { role: 'SystemAdmin' },
    });
  });

  it('accepts a pooled tenant user on both APIs', async () => {
    for (const apiId of ['control', 'app']) {
      await expect(handler(event(apiId, tenantUserToken()))).resolves.toMatchObject({
        context: { tenantId: 'tenant-a', userId: 'user-1', role: 'TenantUser' },
      });
    }
  });

  it('rejects a SystemAdmin token on the app API with Unauthorized', async () => {
    await expect(handler(event('app', systemAdminToken()))).rejects.toThrow(/^Unauthorized$/);
  });

  it('rejects a bad token with Unauthorized', async () => {
    await expect(handler(event('control', 'a.b.c'))).rejects.toThrow(/^Unauthorized$/);
  });
});
