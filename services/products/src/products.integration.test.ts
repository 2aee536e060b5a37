import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { productKey } from '@tenantry/data';
import { ROOT_CREDENTIALS } from '@tenantry/local-cloud';
import { createLocalUser, type LocalUser } from '@tenantry/testing';
import { beforeAll, describe, expect, inject, it } from 'vitest';

const endpoints = inject('endpoints');
const platform = inject('stackOutputs')['tenantry-platform-dev'] ?? {};
const products = inject('stackOutputs')['tenantry-products-dev'] ?? {};

async function tenantUser(
  tenantId: string,
  role: 'TenantAdmin' | 'TenantUser' = 'TenantAdmin',
): Promise<LocalUser> {
  return createLocalUser({
    cognitoEndpoint: endpoints.cognitoEndpoint,
    region: endpoints.region,
    userPoolId: platform.PooledUserPoolId as string,
    clientId: platform.PooledUserPoolClientId as string,
    tenantId,
    role,
  });
}

const get = (path: string, token?: string) =>
  fetch(`${endpoints.pooledAppUrl}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

describe('GET /products/{productId} on the local cloud', () => {
  let alice: LocalUser;
  let bob: LocalUser;
  const tenantA = `ta${Date.now().toString(36)}`;
  const tenantB = `tb${Date.now().toString(36)}`;

  beforeAll(async () => {
    [alice, bob] = await Promise.all([tenantUser(tenantA), tenantUser(tenantB)]);
    const dynamodb = new DynamoDBClient({
      region: endpoints.region,
      endpoint: endpoints.dynamodbEndpoint,
      credentials: ROOT_CREDENTIALS,
    });
    const key = productKey(tenantA, 'p1');
    await dynamodb.send(
      new PutItemCommand({
        TableName: products.ProductTableName,
        Item: {
          pk: { S: key.pk },
          sk: { S: key.sk },
          productId: { S: 'p1' },
          name: { S: 'Anvil' },
          price: { N: '1999' },
          sku: { S: 'ANV-1' },
          createdAt: { S: '2026-11-29T00:00:00.000Z' },
          updatedAt: { S: '2026-11-29T00:00:00.000Z' },
        },
      }),
    );
  });

  it('returns the product to a user of the tenant that owns it', async () => {
    const response = await get('/products/p1', alice.idToken);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      productId: 'p1',
      name: 'Anvil',
      price: 1999,
      sku: 'ANV-1',
    });
  });

  it('returns 404 when the product belongs to another tenant', async () => {
    const response = await get('/products/p1', bob.idToken);
    expect(response.status).toBe(404);
    expect(JSON.stringify(await response.json())).not.toContain('Anvil');
  });

  it('ignores a tenantId in the query string or headers', async () => {
    const response = await fetch(`${endpoints.pooledAppUrl}/products/p1?tenantId=${tenantA}`, {
      headers: { authorization: `Bearer ${bob.idToken}`, 'x-tenant-id': tenantA },
    });
    expect(response.status).toBe(404);
  });

  it('answers 401 without a token and with a garbage token', async () => {
    expect((await get('/products/p1')).status).toBe(401);
    expect((await get('/products/p1', 'not.a.token')).status).toBe(401);
  });

  it('answers 401 to a token of the operations pool', async () => {
    const admin = endpoints.systemAdmin;
    const auth = await fetch(endpoints.cognitoEndpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth',
      },
      body: JSON.stringify({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: admin.appClientId,
        AuthParameters: { USERNAME: admin.username, PASSWORD: admin.password },
      }),
    });
    const token = ((await auth.json()) as { AuthenticationResult: { IdToken: string } }).AuthenticationResult
      .IdToken;
    expect((await get('/products/p1', token)).status).toBe(401);
  });

  it('answers CORS preflight requests', async () => {
    const response = await fetch(`${endpoints.pooledAppUrl}/products/p1`, {
      method: 'OPTIONS',
      headers: { origin: 'http://example.com', 'access-control-request-method': 'GET' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });
});
