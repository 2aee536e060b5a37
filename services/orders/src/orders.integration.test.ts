import { DeleteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { STSClient } from '@aws-sdk/client-sts';
import { orderKey, productKey } from '@tenantry/data';
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
const ordersStack = stackOutputs['tenantry-orders-dev'] ?? {};
const productsStack = stackOutputs['tenantry-products-dev'] ?? {};

type Answer = JsonAnswer;

interface Line {
  productId: string;
  name: string;
  price: number;
  quantity: number;
}

/** Calls the pooled app API as `user` (the shared helper, bound to this API). */
const call = (user: LocalUser | undefined, method: string, path: string, body?: unknown): Promise<Answer> =>
  callApi(endpoints.pooledAppUrl, user, method, path, body);

/** Starts every task at once: all of them race on the same items. */
const concurrently = <T>(tasks: (() => Promise<T>)[]): Promise<T[]> =>
  Promise.all(tasks.map((task) => task()));

async function product(user: LocalUser, fields: Record<string, unknown>): Promise<string> {
  const created = await call(user, 'POST', '/products', { sku: 'SKU-1', ...fields });
  expect(created.status).toBe(201);
  return created.body.productId as string;
}

const stockOf = async (user: LocalUser, productId: string) =>
  (await call(user, 'GET', `/products/${productId}`)).body.stock;

async function listAll(user: LocalUser, limit: number): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let nextToken: string | undefined;
  do {
    const query = `limit=${limit}${nextToken ? `&nextToken=${encodeURIComponent(nextToken)}` : ''}`;
    const page = await call(user, 'GET', `/orders?${query}`);
    expect(page.status).toBe(200);
    items.push(...(page.body.items as Record<string, unknown>[]));
    nextToken = page.body.nextToken as string | undefined;
    if (items.length > 1000) throw new Error('the listing does not end');
  } while (nextToken);
  return items;
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

describe('orders CRUD on the local cloud', () => {
  it('places, reads, lists, changes, cancels and deletes an order, moving stock each time', async () => {
    const pen = await product(adminA, { name: 'Pen', price: 150, stock: 10 });
    const ink = await product(adminA, { name: 'Ink', price: 999 });

    const placed = await call(userA, 'POST', '/orders', {
      lines: [
        { productId: pen, quantity: 3 },
        { productId: ink, quantity: 2 },
      ],
    });
    expect(placed.status).toBe(201);
    expect(placed.body).toEqual({
      orderId: expect.stringMatching(/^[0-9A-Z]{26}$/),
      lines: [
        { productId: pen, name: 'Pen', price: 150, quantity: 3 },
        { productId: ink, name: 'Ink', price: 999, quantity: 2 },
      ],
      total: 3 * 150 + 2 * 999,
      status: 'PLACED',
      createdAt: expect.any(String),
      updatedAt: placed.body.createdAt,
    });
    const id = placed.body.orderId as string;
    expect(await stockOf(adminA, pen)).toBe(7);
    expect(await stockOf(adminA, ink)).toBeUndefined();

    // The order keeps the name and price it was placed with.
    await call(adminA, 'PUT', `/products/${pen}`, { name: 'Gold pen', price: 5000, sku: 'SKU-1', stock: 7 });
    expect(await call(userA, 'GET', `/orders/${id}`)).toEqual({ status: 200, body: placed.body });
    const listed = await call(userA, 'GET', '/orders');
    expect(listed.status).toBe(200);
    expect(listed.body.items).toContainEqual(placed.body);

    const changed = await call(userA, 'PUT', `/orders/${id}`, { lines: [{ productId: pen, quantity: 5 }] });
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({
      ...placed.body,
      lines: [{ productId: pen, name: 'Gold pen', price: 5000, quantity: 5 }],
      total: 25_000,
      updatedAt: expect.any(String),
    });
    expect(await stockOf(adminA, pen)).toBe(5);

    const cancelled = await call(userA, 'PUT', `/orders/${id}`, { status: 'CANCELLED' });
    expect(cancelled).toEqual({
      status: 200,
      body: { ...changed.body, status: 'CANCELLED', updatedAt: expect.any(String) },
    });
    expect(await stockOf(adminA, pen)).toBe(10);
    for (const update of [{ status: 'CANCELLED' }, { lines: [{ productId: pen, quantity: 1 }] }])
      expect(await call(userA, 'PUT', `/orders/${id}`, update)).toEqual({
        status: 409,
        body: { message: 'a cancelled order cannot be changed' },
      });

    expect(await call(adminA, 'DELETE', `/orders/${id}`)).toEqual({ status: 204, body: {} });
    expect(await stockOf(adminA, pen)).toBe(10);
    expect((await call(userA, 'GET', `/orders/${id}`)).status).toBe(404);
    expect((await call(adminA, 'DELETE', `/orders/${id}`)).status).toBe(404);
  });

  it('gives the stock back when an order that is not cancelled is deleted; a TenantUser may not delete', async () => {
    const pen = await product(adminA, { name: 'Pen', price: 150, stock: 4 });
    const placed = await call(userA, 'POST', '/orders', { lines: [{ productId: pen, quantity: 4 }] });
    expect(placed.status).toBe(201);
    expect(await stockOf(adminA, pen)).toBe(0);
    const id = placed.body.orderId as string;
    expect((await call(userA, 'DELETE', `/orders/${id}`)).status).toBe(403);
    expect(await stockOf(adminA, pen)).toBe(0);
    expect((await call(adminA, 'DELETE', `/orders/${id}`)).status).toBe(204);
    expect(await stockOf(adminA, pen)).toBe(4);
  });

  it('answers 409 naming the line without enough stock, and takes nothing from the other lines', async () => {
    const pen = await product(adminA, { name: 'Pen', price: 150, stock: 5 });
    const cap = await product(adminA, { name: 'Cap', price: 20, stock: 2 });
    const answer = await call(userA, 'POST', '/orders', {
      lines: [
        { productId: pen, quantity: 5 },
        { productId: cap, quantity: 3 },
      ],
    });
    expect(answer).toEqual({ status: 409, body: { message: 'not enough stock for lines[1]' } });
    expect([await stockOf(adminA, pen), await stockOf(adminA, cap)]).toEqual([5, 2]);
  });

  it('answers 400 naming the field for invalid bodies, and 404 to changes of a missing order', async () => {
    const pen = await product(adminA, { name: 'Pen', price: 150 });
    const cases: [unknown, string][] = [
      [{}, 'lines'],
      [{ lines: [] }, 'lines'],
      [{ lines: [{ productId: pen, quantity: 0 }] }, 'lines\\[0\\]\\.quantity'],
      [{ lines: [{ productId: pen, quantity: 10_001 }] }, 'lines\\[0\\]\\.quantity'],
      [{ lines: [{ productId: pen, quantity: 1, price: 1 }] }, 'lines\\[0\\]\\.price'],
      [{ lines: [{ productId: pen, quantity: 1 }], total: 1 }, 'total'],
      [
        {
          lines: [
            { productId: pen, quantity: 1 },
            { productId: 'NOSUCHPRODUCT', quantity: 1 },
          ],
        },
        'lines\\[1\\]\\.productId',
      ],
    ];
    for (const [body, field] of cases) {
      const answer = await call(userA, 'POST', '/orders', body);
      expect([body, answer.status]).toEqual([body, 400]);
      expect(answer.body.message).toMatch(new RegExp(`^${field} `));
    }
    const missing = 'MISSING0000000000000000000';
    expect((await call(userA, 'PUT', `/orders/${missing}`, { status: 'CANCELLED' })).status).toBe(404);
    expect((await call(adminA, 'DELETE', `/orders/${missing}`)).status).toBe(404);
    expect((await call(userA, 'GET', `/orders/${missing}`)).status).toBe(404);
    expect((await call(userA, 'GET', '/orders?limit=101')).status).toBe(400);
    expect((await call(undefined, 'GET', '/orders')).status).toBe(401);
  });
});

describe('tenant isolation of orders', () => {
  let orderOfB: Record<string, unknown>;
  let productOfB: string;

  beforeAll(async () => {
    productOfB = await product(adminB, { name: 'Secret anvil of B', price: 1999, stock: 3 });
    const placed = await call(adminB, 'POST', '/orders', { lines: [{ productId: productOfB, quantity: 1 }] });
    expect(placed.status).toBe(201);
    orderOfB = placed.body;
  });

  it("answers 404 to A reading, changing or deleting B's order, and leaves it unchanged", async () => {
    const id = orderOfB.orderId as string;
    const unknown = await call(adminA, 'GET', '/orders/UNKNOWN000000000000000000');
    for (const answer of [
      await call(adminA, 'GET', `/orders/${id}`),
      await call(adminA, 'PUT', `/orders/${id}`, { status: 'CANCELLED' }),
      await call(adminA, 'DELETE', `/orders/${id}`),
    ]) {
      expect(answer).toEqual({ status: 404, body: unknown.body });
      expect(JSON.stringify(answer.body)).not.toContain('Secret');
    }
    expect(await call(adminB, 'GET', `/orders/${id}`)).toEqual({ status: 200, body: orderOfB });
    expect(await stockOf(adminB, productOfB)).toBe(2);
    const ids = (await listAll(adminA, 100)).map((order) => order.orderId);
    expect(ids).not.toContain(id);
  });

  it("answers 400 naming the line to A ordering B's product, and takes none of B's stock", async () => {
    const own = await product(adminA, { name: 'Pen', price: 150 });
    const answer = await call(adminA, 'POST', '/orders', {
      lines: [
        { productId: own, quantity: 1 },
        { productId: productOfB, quantity: 1 },
      ],
    });
    expect(answer).toEqual({ status: 400, body: { message: 'lines[1].productId is not a known product' } });
    expect(await stockOf(adminB, productOfB)).toBe(2);
  });

  it("pages through only the caller's orders and refuses another tenant's page token", async () => {
    const fresh = await createTestTenant({ endpoints, stackOutputs, localCloud }, { tier: 'basic' });
    const admin = await fresh.user('TenantAdmin');
    const pen = await product(admin, { name: 'Pen', price: 150 });
    const ids: string[] = [];
    for (let i = 1; i <= 3; i += 1) {
      const placed = await call(admin, 'POST', '/orders', { lines: [{ productId: pen, quantity: i }] });
      ids.push(placed.body.orderId as string);
    }
    expect((await listAll(admin, 2)).map((order) => order.orderId)).toEqual(ids);
    const first = await call(admin, 'GET', '/orders?limit=1');
    const token = encodeURIComponent(first.body.nextToken as string);
    const foreign = await call(adminA, 'GET', `/orders?limit=1&nextToken=${token}`);
    expect(foreign.status).toBe(400);
    expect(foreign.body.message).toMatch(/^nextToken /);
  });
});

describe('IAM isolation of the order data role', () => {
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
  const attributes = (key: { pk: string; sk: string }) => ({ pk: { S: key.pk }, sk: { S: key.sk } });

  it("lets A's session read A's orders and products, move no other tenant's data, and never delete a product", async () => {
    const own = await product(adminA, { name: 'Pen', price: 150, stock: 1 });
    const theirs = await product(adminB, { name: 'Secret', price: 1 });
    const credentialsFor = buildTenantCredentials({
      sts: new STSClient({ region: endpoints.region, endpoint: localCloud.aws, credentials: functionRole() }),
      roleArn: ordersStack.OrderDataRoleArn as string,
      tableArns: [ordersStack.OrderTableArn as string, productsStack.ProductTableArn as string],
    });
    const asA = dynamodb(await credentialsFor(tenantA.tenantId));
    const Products = productsStack.ProductTableName as string;
    const Orders = ordersStack.OrderTableName as string;

    const read = await asA.send(
      new GetItemCommand({ TableName: Products, Key: attributes(productKey(tenantA.tenantId, own)) }),
    );
    expect(read.Item?.productId?.S).toBe(own);
    const denied = [
      asA.send(
        new GetItemCommand({ TableName: Products, Key: attributes(productKey(tenantB.tenantId, theirs)) }),
      ),
      asA.send(new GetItemCommand({ TableName: Orders, Key: attributes(orderKey(tenantB.tenantId, 'X')) })),
      asA.send(
        new DeleteItemCommand({ TableName: Products, Key: attributes(productKey(tenantA.tenantId, own)) }),
      ),
      asA.send(
        new PutItemCommand({
          TableName: Products,
          Item: { ...attributes(productKey(tenantA.tenantId, 'NEW')), price: { N: '1' } },
        }),
      ),
    ];
    for (const attempt of denied) expect(await errorName(attempt)).toBe('AccessDeniedException');
  });

  it("gives the orders functions' own role no access to either table", async () => {
    const asFunction = dynamodb(functionRole());
    for (const [TableName, key] of [
      [ordersStack.OrderTableName as string, orderKey(tenantA.tenantId, 'X')],
      [productsStack.ProductTableName as string, productKey(tenantA.tenantId, 'X')],
    ] as const)
      expect(await errorName(asFunction.send(new GetItemCommand({ TableName, Key: attributes(key) })))).toBe(
        'AccessDeniedException',
      );
  });

  function functionRole() {
    const roleArn = ordersStack.GetOrderFunctionRoleArn as string;
    const credentials = inject('functionRoleCredentials')[roleArn];
    if (!credentials) throw new Error(`no credentials for ${roleArn}`);
    return credentials;
  }
});

describe('orders under concurrency (a premium tenant: burst 200, 5,000 requests a day)', () => {
  let admin: LocalUser;

  beforeAll(async () => {
    const premium = await createTestTenant({ endpoints, stackOutputs, localCloud }, { tier: 'premium' });
    admin = await premium.user('TenantAdmin');
  });

  it('sells exactly the stock when 100 orders race for 50 units: 50 placed, 50 refused, nothing lost', async () => {
    const widget = await product(admin, { name: 'Widget', price: 250, stock: 50 });
    const answers = await concurrently(
      Array.from(
        { length: 100 },
        () => () => call(admin, 'POST', '/orders', { lines: [{ productId: widget, quantity: 1 }] }),
      ),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(50);
    expect(statuses.filter((status) => status === 409)).toHaveLength(50);
    for (const answer of answers.filter((a) => a.status === 409))
      expect(answer.body).toEqual({ message: 'not enough stock for lines[0]' });
    expect(await stockOf(admin, widget)).toBe(0);

    const placed = new Set(answers.filter((a) => a.status === 201).map((a) => a.body.orderId as string));
    expect(placed.size).toBe(50);
    const stored = (await listAll(admin, 100)).filter((order) =>
      (order.lines as Line[]).some((line) => line.productId === widget),
    );
    expect(new Set(stored.map((order) => order.orderId as string))).toEqual(placed);
  });

  it('captures only prices a product really had while its price changes under concurrent orders', async () => {
    const prices = [100, 110, 120, 130, 140, 150, 160, 170, 180, 190, 200];
    const unlimited = await product(admin, { name: 'Unlimited', price: 100 });
    const stocked = await product(admin, { name: 'Stocked', price: 100, stock: 1000 });
    const tasks: (() => Promise<Answer>)[] = [];
    for (let i = 0; i < 20; i += 1) {
      tasks.push(() =>
        call(admin, 'POST', '/orders', {
          lines: [
            { productId: unlimited, quantity: 1 + (i % 3) },
            { productId: stocked, quantity: 2 },
          ],
        }),
      );
      if (i % 2 === 1) {
        const price = prices[1 + (i - 1) / 2] as number;
        tasks.push(() =>
          call(admin, 'PUT', `/products/${unlimited}`, { name: 'Unlimited', price, sku: 'SKU-1' }),
        );
        tasks.push(() =>
          call(admin, 'PUT', `/products/${stocked}`, { name: 'Stocked', price, sku: 'SKU-1', stock: 1000 }),
        );
      }
    }
    const answers = await concurrently(tasks);
    expect(
      answers.map((answer) => answer.status).filter((status) => status !== 200 && status !== 201),
    ).toEqual([]);
    const orders = answers.filter((answer) => answer.body.orderId !== undefined).map((answer) => answer.body);
    expect(orders).toHaveLength(20);
    for (const order of orders) {
      const lines = order.lines as Line[];
      for (const line of lines) expect(prices).toContain(line.price);
      expect(order.total).toBe(lines.reduce((sum, line) => sum + line.price * line.quantity, 0));
      expect(await call(admin, 'GET', `/orders/${order.orderId as string}`)).toEqual({
        status: 200,
        body: order,
      });
    }
  });
});
