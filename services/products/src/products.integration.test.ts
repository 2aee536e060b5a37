import { DynamoDBClient, GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { STSClient } from '@aws-sdk/client-sts';
import { productKey } from '@tenantry/data';
import { buildTenantCredentials } from '@tenantry/tenant-data';
import {
  callApi,
  createTestTenant,
  type JsonAnswer,
  type LocalUser,
  type TestTenant,
} from '@tenantry/testing';
import { beforeAll, describe, expect, inject, it } from 'vitest';

const endpoints = inject('endpoints');
const stackOutputs = inject('stackOutputs');
const localCloud = inject('localCloud');
const products = stackOutputs['tenantry-products-dev'] ?? {};

type Answer = JsonAnswer;

/** Calls the pooled app API as `user` (the shared helper, bound to this API). */
const call = (user: LocalUser | undefined, method: string, path: string, body?: unknown): Promise<Answer> =>
  callApi(endpoints.pooledAppUrl, user, method, path, body);

const anvil = { name: 'Anvil', price: 1999, sku: 'ANV-1', category: 'tools', stock: 5 };

async function create(user: LocalUser, fields: Record<string, unknown> = anvil): Promise<string> {
  const created = await call(user, 'POST', '/products', fields);
  expect(created.status).toBe(201);
  return created.body.productId as string;
}

async function listAll(user: LocalUser, limit: number): Promise<{ pages: string[][]; tokens: string[] }> {
  const pages: string[][] = [];
  const tokens: string[] = [];
  let nextToken: string | undefined;
  do {
    const query = `limit=${limit}${nextToken ? `&nextToken=${encodeURIComponent(nextToken)}` : ''}`;
    const page = await call(user, 'GET', `/products?${query}`);
    expect(page.status).toBe(200);
    pages.push((page.body.items as { productId: string }[]).map((item) => item.productId));
    nextToken = page.body.nextToken as string | undefined;
    if (nextToken) tokens.push(nextToken);
    if (pages.length > 20) throw new Error('the listing does not end');
  } while (nextToken);
  return { pages, tokens };
}

let tenantA: TestTenant;
let tenantB: TestTenant;
let adminA: LocalUser;
let userA: LocalUser;
let adminB: LocalUser;

beforeAll(async () => {
  const stack = { endpoints, stackOutputs, localCloud };
  [tenantA, tenantB] = await Promise.all([
    createTestTenant(stack, { tier: 'basic' }),
    createTestTenant(stack, { tier: 'basic' }),
  ]);
  [adminA, userA, adminB] = await Promise.all([
    tenantA.user('TenantAdmin'),
    tenantA.user('TenantUser'),
    tenantB.user('TenantAdmin'),
  ]);
});

describe('products CRUD on the local cloud', () => {
  it('creates, reads, replaces, lists and deletes a product', async () => {
    const created = await call(adminA, 'POST', '/products', anvil);
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      productId: expect.stringMatching(/^[0-9A-Z]{26}$/),
      ...anvil,
      createdAt: expect.any(String),
      updatedAt: created.body.createdAt,
    });
    const id = created.body.productId as string;

    expect(await call(userA, 'GET', `/products/${id}`)).toEqual({ status: 200, body: created.body });

    const replaced = await call(adminA, 'PUT', `/products/${id}`, {
      name: 'Big anvil',
      price: 2999,
      sku: 'ANV-2',
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toEqual({
      productId: id,
      name: 'Big anvil',
      price: 2999,
      sku: 'ANV-2',
      createdAt: created.body.createdAt,
      updatedAt: expect.any(String),
    });
    expect((await call(adminA, 'GET', `/products/${id}`)).body).toEqual(replaced.body);

    const list = await call(adminA, 'GET', '/products');
    expect(list.status).toBe(200);
    expect((list.body.items as { productId: string }[]).map((p) => p.productId)).toContain(id);

    expect(await call(adminA, 'DELETE', `/products/${id}`)).toEqual({ status: 204, body: {} });
    expect((await call(adminA, 'GET', `/products/${id}`)).status).toBe(404);
  });

  it('answers 404 to PUT and DELETE of a missing product and creates nothing', async () => {
    const missing = 'MISSING0000000000000000000';
    expect((await call(adminA, 'PUT', `/products/${missing}`, anvil)).status).toBe(404);
    expect((await call(adminA, 'DELETE', `/products/${missing}`)).status).toBe(404);
    expect((await call(adminA, 'GET', `/products/${missing}`)).status).toBe(404);
  });

  it('answers 403 to a TenantUser deleting a product, and keeps it', async () => {
    const id = await create(adminA);
    const answer = await call(userA, 'DELETE', `/products/${id}`);
    expect(answer.status).toBe(403);
    expect((await call(adminA, 'GET', `/products/${id}`)).status).toBe(200);
  });

  it('answers 400 naming the field for invalid bodies and unknown fields', async () => {
    const cases: [unknown, string][] = [
      [{ ...anvil, name: '' }, 'name'],
      [{ ...anvil, price: 1.5 }, 'price'],
      [{ ...anvil, price: -1 }, 'price'],
      [{ ...anvil, sku: 'A#1' }, 'sku'],
      [{ ...anvil, stock: -1 }, 'stock'],
      [{ ...anvil, tenantId: 'someone-else' }, 'tenantId'],
    ];
    for (const [body, field] of cases) {
      const answer = await call(adminA, 'POST', '/products', body);
      expect(answer.status).toBe(400);
      expect(answer.body.message).toMatch(new RegExp(`^${field} `));
    }
    expect((await call(adminA, 'POST', '/products', '{"name":')).status).toBe(400);
  });

  it('answers 400 to a body over 16 KiB', async () => {
    const answer = await call(adminA, 'POST', '/products', { ...anvil, category: 'x'.repeat(17_000) });
    expect(answer.status).toBe(400);
    expect(answer.body.message).toBe('request body must be at most 16384 bytes');
  });

  it('answers 400 to a limit outside 1-100', async () => {
    for (const limit of ['0', '101', 'ten', '-1', '2.5']) {
      const answer = await call(adminA, 'GET', `/products?limit=${limit}`);
      expect(answer.status).toBe(400);
      expect(answer.body.message).toMatch(/^limit /);
    }
  });

  it('answers 401 without a token', async () => {
    expect((await call(undefined, 'GET', '/products')).status).toBe(401);
    expect((await call(undefined, 'POST', '/products', anvil)).status).toBe(401);
  });
});

describe('tenant isolation of products', () => {
  let productOfB: Record<string, unknown>;

  beforeAll(async () => {
    const created = await call(adminB, 'POST', '/products', { ...anvil, name: 'Secret anvil of B' });
    expect(created.status).toBe(201);
    productOfB = created.body;
  });

  it("answers 404 to A reading, replacing or deleting B's product, and leaves it unchanged", async () => {
    const id = productOfB.productId as string;
    const unknown = await call(adminA, 'GET', '/products/UNKNOWN000000000000000000');
    for (const answer of [
      await call(adminA, 'GET', `/products/${id}`),
      await call(adminA, 'PUT', `/products/${id}`, { name: 'Taken over', price: 1, sku: 'X' }),
      await call(adminA, 'DELETE', `/products/${id}`),
    ]) {
      expect(answer).toEqual({ status: 404, body: unknown.body });
      expect(JSON.stringify(answer.body)).not.toContain('Secret');
    }
    expect(await call(adminB, 'GET', `/products/${id}`)).toEqual({ status: 200, body: productOfB });
  });

  it("pages through only the caller's products across shards, in a stable order", async () => {
    const fresh = await createTestTenant({ endpoints, stackOutputs, localCloud }, { tier: 'basic' });
    const admin = await fresh.user('TenantAdmin');
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) ids.push(await create(admin, { ...anvil, name: `Anvil ${i}` }));
    expect(new Set(ids.map((id) => productKey(fresh.tenantId, id).pk)).size).toBeGreaterThan(1);

    const { pages } = await listAll(admin, 2);
    expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
    expect(pages.flat()).toEqual([...ids].sort());
    expect(pages.flat()).not.toContain(productOfB.productId);
  });

  it('ignores a tenantId in the query string and headers', async () => {
    const id = productOfB.productId as string;
    const response = await fetch(`${endpoints.pooledAppUrl}/products?tenantId=${tenantB.tenantId}`, {
      headers: {
        authorization: `Bearer ${adminA.idToken}`,
        'x-tenant-id': tenantB.tenantId,
        tenantId: tenantB.tenantId,
      },
    });
    expect(response.status).toBe(200);
    const items = ((await response.json()) as { items: { productId: string }[] }).items;
    expect(items.map((item) => item.productId)).not.toContain(id);
    const single = await fetch(`${endpoints.pooledAppUrl}/products/${id}?tenantId=${tenantB.tenantId}`, {
      headers: { authorization: `Bearer ${adminA.idToken}`, 'x-tenant-id': tenantB.tenantId },
    });
    expect(single.status).toBe(404);
  });

  it('answers 400 or 404, never 500 or data, to ids with key separators or other odd characters', async () => {
    const odd = [
      `${productOfB.productId as string}%23`,
      encodeURIComponent(`TENANT#${tenantB.tenantId}#0`),
      encodeURIComponent(productKey(tenantB.tenantId, productOfB.productId as string).sk),
      '%2A',
      'a..b',
      'a%20b',
      'a%2Fb',
      'a%00b',
      'x'.repeat(65),
      encodeURIComponent('ä'),
    ];
    for (const id of odd) {
      const answer = await call(adminA, 'GET', `/products/${id}`);
      expect([id, [400, 404].includes(answer.status)]).toEqual([id, true]);
      expect(JSON.stringify(answer.body)).not.toContain('Secret');
    }
    expect((await call(adminA, 'GET', `/products/${'x'.repeat(65)}`)).status).toBe(400);
    expect((await call(adminA, 'PUT', `/products/${'x'.repeat(65)}`, anvil)).status).toBe(400);
  });

  it('answers 400 naming nextToken to a foreign, forged, replayed-with-another-limit or garbage token', async () => {
    for (let i = 0; i < 3; i += 1) await create(adminB, { ...anvil, name: `B ${i}` });
    const { tokens: tokensOfB } = await listAll(adminB, 1);
    const tokenOfB = tokensOfB[0] as string;
    const bytes = Buffer.from(tokenOfB, 'base64url');
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 1;
    const tampered = bytes.toString('base64url');
    const forged = Buffer.concat([Buffer.of(1), Buffer.alloc(60, 7)]).toString('base64url');

    const cases: [LocalUser, string][] = [
      [adminA, `limit=1&nextToken=${tokenOfB}`],
      [adminB, `limit=1&nextToken=${tampered}`],
      [adminB, `limit=1&nextToken=${forged}`],
      [adminB, `limit=2&nextToken=${tokenOfB}`],
      [adminB, 'limit=1&nextToken=garbage'],
      [adminB, `limit=1&nextToken=${encodeURIComponent('{"after":"PRODUCT#"}')}`],
    ];
    for (const [user, query] of cases) {
      const answer = await call(user, 'GET', `/products?${query}`);
      expect(answer.status).toBe(400);
      expect(answer.body.message).toMatch(/^nextToken /);
    }
    expect((await call(adminB, 'GET', `/products?limit=1&nextToken=${tokenOfB}`)).status).toBe(200);
  });
});

describe('IAM isolation of the product table', () => {
  const functionRole = () => {
    const roleArn = products.GetProductFunctionRoleArn as string;
    const credentials = inject('functionRoleCredentials')[roleArn];
    if (!credentials) throw new Error(`no credentials for ${roleArn}`);
    return credentials;
  };
  const dynamodb = (credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) =>
    new DynamoDBClient({
      region: endpoints.region,
      endpoint: endpoints.dynamodbEndpoint,
      credentials,
      maxAttempts: 1,
    });
  const errorName = (promise: Promise<unknown>) =>
    promise.then(
      () => 'allowed',
      (error: unknown) => (error as Error).name,
    );
  const key = (tenantId: string, productId: string) => {
    const { pk, sk } = productKey(tenantId, productId);
    return { pk: { S: pk }, sk: { S: sk } };
  };

  it("lets A's vended credentials read A's products and nothing of B's", async () => {
    const ownId = await create(adminA);
    const theirs = await create(adminB);
    const credentialsFor = buildTenantCredentials({
      sts: new STSClient({ region: endpoints.region, endpoint: localCloud.aws, credentials: functionRole() }),
      roleArn: products.ProductDataRoleArn as string,
      tableArns: [products.ProductTableArn as string],
    });
    const asA = dynamodb(await credentialsFor(tenantA.tenantId));
    const TableName = products.ProductTableName as string;

    const own = await asA.send(new GetItemCommand({ TableName, Key: key(tenantA.tenantId, ownId) }));
    expect(own.Item?.productId?.S).toBe(ownId);
    expect(
      await errorName(asA.send(new GetItemCommand({ TableName, Key: key(tenantB.tenantId, theirs) }))),
    ).toBe('AccessDeniedException');
    expect(await errorName(asA.send(new ScanCommand({ TableName })))).toBe('AccessDeniedException');
  });

  it("gives the products functions' own role no access to the table", async () => {
    const id = await create(adminA);
    const asFunction = dynamodb(functionRole());
    const TableName = products.ProductTableName as string;
    expect(
      await errorName(asFunction.send(new GetItemCommand({ TableName, Key: key(tenantA.tenantId, id) }))),
    ).toBe('AccessDeniedException');
  });
});
