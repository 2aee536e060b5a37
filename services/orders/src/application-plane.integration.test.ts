import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ROOT_CREDENTIALS } from '@tenantry/local-cloud';
import {
  acceptInvitation,
  callApi,
  createTestTenant,
  type LocalUser,
  logInSystemAdmin,
  pollUntil,
} from '@tenantry/testing';
import { beforeAll, describe, expect, inject, it } from 'vitest';

const endpoints = inject('endpoints');
const stackOutputs = inject('stackOutputs');
const localCloud = inject('localCloud');
const stack = { endpoints, stackOutputs, localCloud };
const documents = DynamoDBDocumentClient.from(
  new DynamoDBClient({
    region: endpoints.region,
    endpoint: endpoints.dynamodbEndpoint,
    credentials: ROOT_CREDENTIALS,
  }),
);
const pooledProductTable = stackOutputs['tenantry-products-dev']?.ProductTableName as string;

interface PlaneTenant {
  tenantId: string;
  apiUrl: string;
  admin: Pick<LocalUser, 'idToken'>;
}

/** Registers a platinum tenant as a SystemAdmin, waits for ACTIVE and accepts the invitation. */
async function platinumTenant(): Promise<PlaneTenant> {
  const tenantName = `plane-${randomBytes(4).toString('hex')}`;
  const email = `admin@${tenantName}.example.com`;
  const systemAdmin = await logInSystemAdmin(stack);
  const accepted = await callApi(endpoints.controlPlaneUrl, systemAdmin, 'POST', '/registrations', {
    tenantName,
    email,
    tier: 'platinum',
  });
  expect(accepted.status).toBe(202);
  const { value } = await pollUntil(
    () =>
      callApi(endpoints.controlPlaneUrl, undefined, 'GET', `/registrations/${accepted.body.registrationId}`),
    (answer) => answer.body.status !== 'PROVISIONING',
    { timeoutMs: 20_000, intervalMs: 200 },
  );
  expect(value.body.status).toBe('ACTIVE');
  const config = await callApi(endpoints.controlPlaneUrl, undefined, 'GET', `/tenant-config/${tenantName}`);
  const { apiUrl, appClientId, tenantId } = config.body as {
    apiUrl: string;
    appClientId: string;
    tenantId: string;
  };
  return { tenantId, apiUrl, admin: await acceptInvitation(stack, { appClientId }, email) };
}

async function pooledTenant(): Promise<PlaneTenant> {
  const tenant = await createTestTenant(stack, { tier: 'standard' });
  return {
    tenantId: tenant.tenantId,
    apiUrl: endpoints.pooledAppUrl,
    admin: await tenant.user('TenantAdmin'),
  };
}

/** Creates a product with stock and orders two of it, through the tenant's own apiUrl. */
async function sell(tenant: PlaneTenant, name: string) {
  const product = await callApi(tenant.apiUrl, tenant.admin, 'POST', '/products', {
    name,
    price: 1250,
    sku: `SKU-${name}`,
    stock: 5,
  });
  expect(product.status).toBe(201);
  const productId = product.body.productId as string;
  const order = await callApi(tenant.apiUrl, tenant.admin, 'POST', '/orders', {
    lines: [{ productId, quantity: 2 }],
  });
  expect(order.status).toBe(201);
  expect(order.body).toMatchObject({ total: 2500, lines: [{ productId, name, price: 1250, quantity: 2 }] });
  return { productId, orderId: order.body.orderId as string };
}

const partitionsOf = async (table: string, productId: string) =>
  ((await documents.send(new ScanCommand({ TableName: table }))).Items ?? [])
    .filter((item) => item.productId === productId)
    .map((item) => String(item.pk));

describe('the application plane for a platinum and a pooled tenant', () => {
  let platinum: PlaneTenant;
  let pooled: PlaneTenant;
  let platinumSale: { productId: string; orderId: string };
  let pooledSale: { productId: string; orderId: string };

  beforeAll(async () => {
    [platinum, pooled] = await Promise.all([platinumTenant(), pooledTenant()]);
    [platinumSale, pooledSale] = await Promise.all([
      sell(platinum, 'Silo-widget'),
      sell(pooled, 'Pool-widget'),
    ]);
  }, 60_000);

  it('serves each tenant its own products, orders and stock through its own apiUrl', async () => {
    for (const [tenant, sale, other] of [
      [platinum, platinumSale, pooledSale],
      [pooled, pooledSale, platinumSale],
    ] as const) {
      const products = await callApi(tenant.apiUrl, tenant.admin, 'GET', '/products');
      expect(
        (products.body.items as { productId: string; stock: number }[]).map((p) => [p.productId, p.stock]),
      ).toEqual([[sale.productId, 3]]);
      const orders = await callApi(tenant.apiUrl, tenant.admin, 'GET', '/orders');
      expect((orders.body.items as { orderId: string }[]).map((o) => o.orderId)).toEqual([sale.orderId]);
      expect((await callApi(tenant.apiUrl, tenant.admin, 'GET', `/products/${other.productId}`)).status).toBe(
        404,
      );
      expect((await callApi(tenant.apiUrl, tenant.admin, 'GET', `/orders/${other.orderId}`)).status).toBe(
        404,
      );
    }
  });

  it("keeps the platinum tenant's items in its own tables and the pooled tenant's under its prefix in the sharded pooled table", async () => {
    const siloTable = `tenantry-${platinum.tenantId}-products`;
    expect(await partitionsOf(siloTable, platinumSale.productId)).toEqual([`TENANT#${platinum.tenantId}`]);
    expect(await partitionsOf(siloTable, pooledSale.productId)).toEqual([]);
    const pooledPartitions = await partitionsOf(pooledProductTable, pooledSale.productId);
    expect(pooledPartitions).toHaveLength(1);
    expect(pooledPartitions[0]).toMatch(new RegExp(`^TENANT#${pooled.tenantId}#[0-3]$`));
    expect(await partitionsOf(pooledProductTable, platinumSale.productId)).toEqual([]);
  });
});
