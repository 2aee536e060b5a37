import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type TenantRecord, type TenantStatus, tenantNameKey, tenantProfileKey } from '@tenantry/data';
import { ROOT_CREDENTIALS } from '@tenantry/local-cloud';
import type { TierName } from '@tenantry/tiers';
import { createLocalUser, type LocalUser } from './local-users.js';

/** What the tests know about the running stack (from vitest's `inject`). */
export interface TestStack {
  endpoints: { cognitoEndpoint: string; dynamodbEndpoint: string; region: string; pooledAppUrl: string };
  stackOutputs: Record<string, Record<string, string>>;
}

export interface TestTenant {
  tenantId: string;
  tenantName: string;
  tier: TierName;
  /** Creates a confirmed user of this tenant in the pooled pool and logs it in. */
  user(role?: 'TenantAdmin' | 'TenantUser'): Promise<LocalUser>;
  /** Changes the tenant's status in the registry, as tenant management will. */
  setStatus(status: TenantStatus): Promise<void>;
}

const platformOutput = (stack: TestStack, name: string): string => {
  const value = stack.stackOutputs['tenantry-platform-dev']?.[name];
  if (!value) throw new Error(`the platform stack has no output ${name}`);
  return value;
};

/**
 * Creates a pooled tenant the way onboarding will: its record and name reservation in the tenant
 * registry, ACTIVE. Until onboarding exists, tests use this to get tenants and their users.
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
  };
  await documents.send(
    new PutCommand({ TableName: table, Item: { ...tenantProfileKey(tenantId), ...record } }),
  );
  await documents.send(
    new PutCommand({ TableName: table, Item: { ...tenantNameKey(tenantName), tenantName, tenantId } }),
  );
  return {
    tenantId,
    tenantName,
    tier,
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
  };
}
