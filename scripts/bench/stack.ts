/**
 * The system under test: the whole SaaS on the local cloud (in memory, free ports), an ACTIVE pooled
 * tenant with its API key, one of its users with real tokens, and one product created through the
 * API, as the integration tests set them up.
 */
import { join } from 'node:path';
import {
  APIGatewayClient,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  DeleteUsagePlanKeyCommand,
} from '@aws-sdk/client-api-gateway';
import { productKey } from '@tenantry/data';
import { type DevStack, startDevStack } from '@tenantry/dev-stack';
import { ROOT_CREDENTIALS, type StackRecord } from '@tenantry/local-cloud';
import { apiGatewayEvent, createTestTenant, type TestStack, type TestTenant } from '@tenantry/testing';
import type { ClientArgs } from './types.js';

const STAGE = 'dev';
const TIER = 'premium';
const TIER_PLAN_OUTPUT = 'PremiumUsagePlanId';
/** The bench tenant's own plan: no quota, limits no sequential client reaches. */
export const BENCH_PLAN_THROTTLE = { rateLimit: 10_000, burstLimit: 10_000 };

export async function startTimedStack(root: string): Promise<{ stack: DevStack; readyMs: number }> {
  const started = performance.now();
  const stack = await startDevStack({
    root,
    ports: { gateway: 0, cognito: 0, dynamodb: 0, aws: 0 },
    functionLog: () => undefined,
  });
  return { stack, readyMs: performance.now() - started };
}

function record(stack: DevStack, name: string): StackRecord {
  const found = stack.cloud.stacks.describe(`tenantry-${name}-${STAGE}`);
  if (!found) throw new Error(`no stack tenantry-${name}-${STAGE}`);
  return found;
}

function output(stack: DevStack, name: string, key: string): string {
  const value = record(stack, name).outputs[key]?.value;
  if (typeof value !== 'string') throw new Error(`tenantry-${name}-${STAGE} has no output ${key}`);
  return value;
}

function functionResources(stack: DevStack) {
  return stack.cloud.stacks
    .list()
    .flatMap((item) => Object.values(item.resources))
    .filter((resource) => resource.type === 'AWS::Lambda::Function');
}

/** Every deployed function's physical name. */
export function functionNames(stack: DevStack): string[] {
  return functionResources(stack).map((resource) => resource.physicalId);
}

/**
 * Every function's own (resolved) variables, by function name: handlers read their configuration
 * at import, so an import-time probe needs them (table names, pool ids) as Lambda would give them.
 */
export function functionVariables(stack: DevStack): Record<string, Record<string, string>> {
  const byFunction: Record<string, Record<string, string>> = {};
  for (const resource of functionResources(stack)) {
    const own = (resource.properties.Environment as { Variables?: Record<string, string> } | undefined)
      ?.Variables;
    const variables: Record<string, string> = {};
    for (const [name, value] of Object.entries(own ?? {}))
      if (name !== 'NODE_OPTIONS') variables[name] = String(value);
    byFunction[resource.physicalId] = variables;
  }
  return byFunction;
}

/**
 * getProduct's handler and the environment the local cloud gives it (its own variables, resolved,
 * plus the endpoints and credentials; not Lambda's per-environment variables).
 */
function getProductFunction(stack: DevStack): { handler: string; environment: Record<string, string> } {
  const properties = record(stack, 'products').resources.GetProductLambdaFunction?.properties;
  const own = (properties?.Environment as { Variables?: Record<string, string> } | undefined)?.Variables;
  if (!own || typeof properties?.Handler !== 'string')
    throw new Error('tenantry-products has no GetProductLambdaFunction with a handler and an environment');
  // Source maps are off in the bundles and a worker thread ignores NODE_OPTIONS anyway.
  const { NODE_OPTIONS: _sourceMaps, ...variables } = own;
  const { region } = stack.cloud.services;
  // The function's own execution-role credentials, as the local cloud gives its environments.
  const issued = stack.cloud.credentials.credentialsForRole(String(properties.Role), {
    sessionName: 'bench-direct-call',
    servicePrincipal: 'lambda.amazonaws.com',
    durationSeconds: 43_200,
  });
  const environment = {
    AWS_ACCESS_KEY_ID: issued.accessKeyId,
    AWS_SECRET_ACCESS_KEY: issued.secretAccessKey,
    AWS_SESSION_TOKEN: issued.sessionToken,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_ENDPOINT_URL: stack.cloud.endpoints.aws,
    AWS_ENDPOINT_URL_DYNAMODB: stack.cloud.endpoints.dynamodb,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...variables,
  };
  return { handler: properties.Handler, environment };
}

/** The stack as the test helpers of `@tenantry/testing` describe it (what vitest's `inject` gives). */
export function testStack(stack: DevStack): TestStack {
  const stackOutputs: Record<string, Record<string, string>> = {};
  for (const item of stack.cloud.stacks.list())
    stackOutputs[item.stackName] = Object.fromEntries(
      Object.entries(item.outputs).map(([name, value]) => [name, String(value.value)]),
    );
  return { endpoints: stack.endpoints, stackOutputs, localCloud: { aws: stack.cloud.endpoints.aws } };
}

/**
 * Moves the tenant's API key from its tier's usage plan into a plan of its own without a quota and
 * with limits far above what one sequential client sends: every tier's daily quota (5,000 for
 * premium) is smaller than the bench's calls, and the tiers' rates would throttle it.
 */
async function benchUsagePlan(stack: DevStack, tenant: TestTenant): Promise<string> {
  const apiGateway = new APIGatewayClient({
    region: stack.endpoints.region,
    endpoint: stack.cloud.endpoints.aws,
    credentials: ROOT_CREDENTIALS,
  });
  try {
    const plan = await apiGateway.send(
      new CreateUsagePlanCommand({
        name: `bench-${tenant.tenantId}`,
        apiStages: [{ apiId: output(stack, 'platform', 'AppApiId'), stage: STAGE }],
        throttle: BENCH_PLAN_THROTTLE,
      }),
    );
    if (!plan.id) throw new Error('CreateUsagePlan returned no id');
    await apiGateway.send(
      new DeleteUsagePlanKeyCommand({
        usagePlanId: output(stack, 'platform', TIER_PLAN_OUTPUT),
        keyId: tenant.apiKeyId,
      }),
    );
    await apiGateway.send(
      new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: tenant.apiKeyId, keyType: 'API_KEY' }),
    );
    return plan.id;
  } finally {
    apiGateway.destroy();
  }
}

/** `POST /products` through the gateway, as a client creates one; answers the new product's id. */
async function createProduct(stack: DevStack, idToken: string): Promise<string> {
  const response = await fetch(`${stack.endpoints.pooledAppUrl}/products`, {
    method: 'POST',
    headers: { authorization: `Bearer ${idToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Anvil', price: 1999, sku: 'ANV-1' }),
  });
  const body = await response.text();
  if (response.status !== 201) throw new Error(`POST /products answered ${response.status}: ${body}`);
  const { productId } = JSON.parse(body) as { productId?: unknown };
  if (typeof productId !== 'string') throw new Error(`POST /products answered no productId: ${body}`);
  return productId;
}

/**
 * Creates an ACTIVE premium tenant (API key in a bench usage plan), one of its TenantUsers and one
 * product through the public API, and describes them for the client process.
 */
export async function setUpFixture(
  root: string,
  stack: DevStack,
  plan: Pick<ClientArgs, 'warmup' | 'blockSize' | 'overheadBlocks' | 'throughputBlocks'>,
): Promise<ClientArgs> {
  const { endpoints } = stack;
  const tenant = await createTestTenant(testStack(stack), { tier: TIER });
  await benchUsagePlan(stack, tenant);
  const user = await tenant.user('TenantUser');
  const productId = await createProduct(stack, user.idToken);
  const tableName = output(stack, 'products', 'ProductTableName');
  const state = join(root, 'services', 'products', '.serverless');
  return {
    routeUrl: `${endpoints.pooledAppUrl}/products/${productId}`,
    idToken: user.idToken,
    zipFile: join(state, 'getProduct.zip'),
    ...getProductFunction(stack),
    authorizer: { tenantId: tenant.tenantId, userId: user.userId, role: 'TenantUser', tier: tenant.tier },
    productId,
    dynamodb: {
      endpoint: endpoints.dynamodbEndpoint,
      region: endpoints.region,
      tableName,
      key: productKey(tenant.tenantId, productId),
    },
    ...plan,
  };
}

/**
 * Starts one execution environment of every function (each is read-only: an unauthenticated or
 * incomplete event gets an error answer), so memory is measured with the whole SaaS warm.
 */
export async function warmEveryFunction(stack: DevStack): Promise<string[]> {
  const names = functionNames(stack);
  const event = apiGatewayEvent({ authorizer: null });
  await Promise.all(names.map((name) => stack.cloud.lambda.invoke(name, event).catch(() => undefined)));
  return names.filter((name) => stack.cloud.lambda.stats(name).environments > 0);
}
