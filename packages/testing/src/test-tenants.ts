import { randomBytes } from 'node:crypto';
import {
  APIGatewayClient,
  CreateApiKeyCommand,
  CreateUsagePlanKeyCommand,
  TooManyRequestsException,
} from '@aws-sdk/client-api-gateway';
import {
  AdminDisableUserCommand,
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  type TenantRecord,
  type TenantStatus,
  tenantNameKey,
  tenantProfileItem,
  tenantProfileKey,
} from '@tenantry/data';
import { ROOT_CREDENTIALS } from '@tenantry/local-cloud';
import { type TierName, tierOf } from '@tenantry/tiers';
import { createLocalUser, type LocalUser } from './local-users.js';

/** What the tests know about the running stack (from vitest's `inject`). */
export interface TestStack {
  endpoints: { cognitoEndpoint: string; dynamodbEndpoint: string; region: string; pooledAppUrl: string };
  stackOutputs: Record<string, Record<string, string>>;
  /** The local cloud's AWS endpoint (API keys and usage plans); `inject('localCloud')` has it. */
  localCloud: { aws: string };
}

export interface TestTenant {
  tenantId: string;
  tenantName: string;
  tier: TierName;
  /** The tenant's API key (id and value), in its tier's usage plan. */
  apiKeyId: string;
  apiKey: string;
  /** Creates a confirmed user of this tenant in the pooled pool and logs it in. */
  user(role?: 'TenantAdmin' | 'TenantUser'): Promise<LocalUser>;
  /** Changes the tenant's status in the registry, as tenant management will. */
  setStatus(status: TenantStatus): Promise<void>;
  /** Disables one of this tenant's users in the pooled pool (`AdminDisableUser`). */
  disableUser(user: LocalUser): Promise<void>;
  /** Changes a user's `custom:userRole` in the pooled pool, as user management will. */
  setRole(user: LocalUser, role: 'TenantAdmin' | 'TenantUser'): Promise<void>;
}

const platformOutput = (stack: TestStack, name: string): string => {
  const value = stack.stackOutputs['tenantry-platform-dev']?.[name];
  if (!value) throw new Error(`the platform stack has no output ${name}`);
  return value;
};

const usagePlanOutput = (tier: TierName) => `${tier[0]?.toUpperCase()}${tier.slice(1)}UsagePlanId`;

/** AWS (and the local cloud) allow 5 CreateApiKey calls a second: retry a throttled call briefly. */
async function withThrottleRetry<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof TooManyRequestsException) || attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200 * attempt));
    }
  }
}

/**
 * Creates a pooled tenant the way onboarding will: its API key in its tier's usage plan, its record
 * (with the key) and name reservation in the tenant registry, ACTIVE. Until onboarding exists,
 * tests use this to get tenants and their users.
 *
 * @example
 * const acme = await createTestTenant(stack, { tier: 'basic' });
 * const admin = await acme.user('TenantAdmin');
 */
export async function createTestTenant(
  stack: TestStack,
  input: { tier?: TierName; tenantName?: string } = {},
): Promise<TestTenant> {
  const tenantId = `t${randomBytes(8).toString('hex')}`;
  const tenantName = input.tenantName ?? `test-${randomBytes(5).toString('hex')}`;
  const tier = input.tier ?? 'basic';
  const table = platformOutput(stack, 'TenantTableName');
  const documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: stack.endpoints.region,
      endpoint: stack.endpoints.dynamodbEndpoint,
      credentials: ROOT_CREDENTIALS,
    }),
  );
  tierOf(tier); // fails fast on an unknown tier
  const apiGateway = new APIGatewayClient({
    region: stack.endpoints.region,
    endpoint: stack.localCloud.aws,
    credentials: ROOT_CREDENTIALS,
  });
  const key = await withThrottleRetry(() =>
    apiGateway.send(new CreateApiKeyCommand({ name: `tenant-${tenantId}`, enabled: true })),
  );
  if (!key.id || !key.value) throw new Error('CreateApiKey returned no key');
  const apiKeyId = key.id;
  const apiKey = key.value;
  await withThrottleRetry(() =>
    apiGateway.send(
      new CreateUsagePlanKeyCommand({
        usagePlanId: platformOutput(stack, usagePlanOutput(tier)),
        keyId: apiKeyId,
        keyType: 'API_KEY',
      }),
    ),
  );
  const cognito = new CognitoIdentityProviderClient({
    region: stack.endpoints.region,
    endpoint: stack.endpoints.cognitoEndpoint,
    credentials: ROOT_CREDENTIALS,
  });
  const now = new Date().toISOString();
  const record: TenantRecord = {
    tenantId,
    tenantName,
    tier,
    status: 'ACTIVE',
    email: `admin@${tenantName}.example.com`,
    createdAt: now,
    updatedAt: now,
    userPoolId: platformOutput(stack, 'PooledUserPoolId'),
    appClientId: platformOutput(stack, 'PooledUserPoolClientId'),
    apiUrl: stack.endpoints.pooledAppUrl,
    region: stack.endpoints.region,
    apiKeyId,
    apiKey,
  };
  await documents.send(new PutCommand({ TableName: table, Item: tenantProfileItem(record) }));
  await documents.send(
    new PutCommand({ TableName: table, Item: { ...tenantNameKey(tenantName), tenantName, tenantId } }),
  );
  return {
    tenantId,
    tenantName,
    tier,
    apiKeyId,
    apiKey,
    user: (role = 'TenantAdmin') =>
      createLocalUser({
        cognitoEndpoint: stack.endpoints.cognitoEndpoint,
        region: stack.endpoints.region,
        userPoolId: record.userPoolId as string,
        clientId: record.appClientId as string,
        tenantId,
        role,
      }),
    async setStatus(status) {
      await documents.send(
        new UpdateCommand({
          TableName: table,
          Key: tenantProfileKey(tenantId),
          UpdateExpression: 'SET #status = :status, updatedAt = :now',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': status, ':now': new Date().toISOString() },
        }),
      );
    },
    async disableUser(user) {
      await cognito.send(
        new AdminDisableUserCommand({ UserPoolId: record.userPoolId as string, Username: user.email }),
      );
    },
    async setRole(user, role) {
      await cognito.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: record.userPoolId as string,
          Username: user.email,
          UserAttributes: [{ Name: 'custom:userRole', Value: role }],
        }),
      );
    },
  };
}
