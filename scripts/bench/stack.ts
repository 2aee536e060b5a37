/**
 * The system under test: the whole SaaS on the local cloud (in memory, free ports), a pooled
 * tenant user with real tokens, and one product item, as the integration tests set them up.
 */
import { join } from 'node:path';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { productKey } from '@tenantry/data';
import { type DevStack, startDevStack } from '@tenantry/dev-stack';
import type { StackRecord } from '@tenantry/local-cloud';
import { ROOT_CREDENTIALS } from '@tenantry/local-cloud';
import { apiGatewayEvent, createLocalUser } from '@tenantry/testing';
import type { ClientArgs } from './types.js';

const STAGE = 'dev';
const PRODUCT_ID = 'bench-p1';

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

/** Creates the tenant user and the product, and describes them for the client process. */
export async function setUpFixture(
  root: string,
  stack: DevStack,
  plan: Pick<ClientArgs, 'warmup' | 'blockSize' | 'overheadBlocks' | 'throughputBlocks'>,
): Promise<ClientArgs> {
  const { endpoints } = stack;
  const tenantId = `bench${Date.now().toString(36)}`;
  const user = await createLocalUser({
    cognitoEndpoint: endpoints.cognitoEndpoint,
    region: endpoints.region,
    userPoolId: output(stack, 'platform', 'PooledUserPoolId'),
    clientId: output(stack, 'platform', 'PooledUserPoolClientId'),
    tenantId,
    role: 'TenantUser',
  });
  const tableName = output(stack, 'products', 'ProductTableName');
  const key = productKey(tenantId, PRODUCT_ID);
  const dynamodb = new DynamoDBClient({
    region: endpoints.region,
    endpoint: endpoints.dynamodbEndpoint,
    credentials: ROOT_CREDENTIALS,
  });
  const now = new Date().toISOString();
  await dynamodb.send(
    new PutItemCommand({
      TableName: tableName,
      Item: {
        pk: { S: key.pk },
        sk: { S: key.sk },
        productId: { S: PRODUCT_ID },
        name: { S: 'Anvil' },
        price: { N: '1999' },
        sku: { S: 'ANV-1' },
        createdAt: { S: now },
        updatedAt: { S: now },
      },
    }),
  );
  dynamodb.destroy();
  const state = join(root, 'services', 'products', '.serverless');
  return {
    routeUrl: `${endpoints.pooledAppUrl}/products/${PRODUCT_ID}`,
    idToken: user.idToken,
    zipFile: join(state, 'getProduct.zip'),
    ...getProductFunction(stack),
    authorizer: { tenantId, userId: user.userId, role: 'TenantUser' },
    productId: PRODUCT_ID,
    dynamodb: { endpoint: endpoints.dynamodbEndpoint, region: endpoints.region, tableName, key },
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
