import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { APIGatewayClient, GetApiKeyCommand } from '@aws-sdk/client-api-gateway';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import {
  CognitoIdentityProviderClient,
  DescribeUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { DescribeTableCommand, DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { tenantProfileItem, tenantProfileKey } from '@tenantry/data';
import { ROOT_CREDENTIALS } from '@tenantry/local-cloud';
import { createLocalUser, createTestTenant } from '@tenantry/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { releaseParameters, tenantStackName } from './names.js';
import { type ReleaseResult, releaseTenantStack } from './release.js';
import {
  createTenantStack,
  deleteTenantStack,
  describeTenantStack,
  STACK_NOT_FOUND,
  type TenantStackOutputs,
  tenantApiUrl,
  waitForStack,
} from './stacks.js';

const cloud = inject('localCloud');
const endpoints = inject('endpoints');
const stackOutputs = inject('stackOutputs');
const region = endpoints.region;
const credentials = ROOT_CREDENTIALS;
const clients = {
  cloudformation: new CloudFormationClient({ region, endpoint: cloud.aws, credentials }),
  s3: new S3Client({ region, endpoint: cloud.aws, credentials, forcePathStyle: true }),
  ssm: new SSMClient({ region, endpoint: cloud.aws, credentials }),
};
const apiGateway = new APIGatewayClient({ region, endpoint: cloud.aws, credentials });
const dynamodb = new DynamoDBClient({ region, endpoint: cloud.dynamodb, credentials });
const documents = DynamoDBDocumentClient.from(dynamodb);
const cognito = new CognitoIdentityProviderClient({ region, endpoint: cloud.cognito, credentials });
const registry = stackOutputs['tenantry-platform-dev']?.TenantTableName as string;

const root = join(import.meta.dirname, '..', '..', '..');
const run = randomBytes(4).toString('hex');
const bucket = `tenant-stack-it-${run}`;
const tenants = [`it-alpha-${run}`, `it-beta-${run}`] as const;
const ours = (stackName: string) => tenants.some((tenantId) => tenantStackName(tenantId) === stackName);
const fast = { intervalMs: 50, timeoutMs: 120_000 };

const release = (waveSize: number) =>
  releaseTenantStack(clients, {
    root,
    stage: 'dev',
    bucket,
    region,
    waveSize,
    includeStack: ours,
    wait: fast,
  });

const tableExists = (name: string) =>
  dynamodb.send(new DescribeTableCommand({ TableName: name })).then(
    () => true,
    (error) => {
      if (error instanceof ResourceNotFoundException) return false;
      throw error;
    },
  );

/** Records the tenant as provisioning will: ACTIVE, platinum, with its stack's API key value. */
async function recordTenant(tenantId: string, outputs: TenantStackOutputs): Promise<void> {
  const key = await apiGateway.send(new GetApiKeyCommand({ apiKey: outputs.ApiKeyId, includeValue: true }));
  const now = new Date().toISOString();
  await documents.send(
    new PutCommand({
      TableName: registry,
      Item: tenantProfileItem({
        tenantId,
        tenantName: tenantId,
        tier: 'platinum',
        status: 'ACTIVE',
        email: `admin@${tenantId}.example.com`,
        createdAt: now,
        updatedAt: now,
        userPoolId: outputs.UserPoolId,
        appClientId: outputs.UserPoolClientId,
        apiUrl: tenantApiUrl(outputs, cloud.gateway),
        region,
        apiKeyId: outputs.ApiKeyId,
        apiKey: key.value as string,
      }),
    }),
  );
}

const getProducts = (outputs: TenantStackOutputs, idToken?: string) =>
  fetch(`${tenantApiUrl(outputs, cloud.gateway)}/products`, {
    headers: idToken ? { authorization: `Bearer ${idToken}` } : {},
  });

describe('the tenant stack', () => {
  let firstRelease: ReleaseResult;
  const outputs: Record<string, TenantStackOutputs> = {};

  beforeAll(async () => {
    firstRelease = await release(2);
  }, 60_000);

  afterAll(async () => {
    for (const tenantId of tenants) {
      await deleteTenantStack(clients, { tenantId });
      await documents.send(new DeleteCommand({ TableName: registry, Key: tenantProfileKey(tenantId) }));
    }
  });

  it('releases the template and the function zips under a content-addressed prefix and records them in SSM', async () => {
    expect(firstRelease.ok).toBe(true);
    expect(firstRelease.prefix).toMatch(/^releases\/[0-9a-f]{16}$/);
    const names = releaseParameters('dev');
    const parameter = async (name: string) =>
      (await clients.ssm.send(new GetParameterCommand({ Name: name }))).Parameter?.Value;
    expect(await parameter(names.templateUrl)).toBe(firstRelease.templateUrl);
    expect(await parameter(names.artifactPrefix)).toBe(firstRelease.prefix);
    expect(await parameter(names.artifactBucket)).toBe(bucket);
    // Unchanged code lands in the same folder.
    expect((await release(2)).prefix).toBe(firstRelease.prefix);
  }, 60_000);

  it('creates two tenant stacks side by side, each with its own tables, pool, API and authorizer', async () => {
    const input = (tenantId: string) => ({
      tenantId,
      templateUrl: firstRelease.templateUrl,
      artifactBucket: bucket,
      artifactPrefix: firstRelease.prefix,
    });
    const timings = await Promise.all(
      tenants.map(async (tenantId) => {
        const started = performance.now();
        const { stackName } = await createTenantStack(clients, input(tenantId));
        const { status, statusReason } = await waitForStack(clients, stackName, fast);
        expect(`${status} ${statusReason ?? ''}`.trim()).toBe('CREATE_COMPLETE');
        return performance.now() - started;
      }),
    );
    console.log(
      `CreateStack → CREATE_COMPLETE: ${timings.map((ms) => `${(ms / 1000).toFixed(2)} s`).join(', ')} (two stacks in parallel)`,
    );
    // A retry of the step finds the stack it created.
    const again = await createTenantStack(clients, input(tenants[0]));
    expect(again.stackName).toBe(tenantStackName(tenants[0]));

    for (const tenantId of tenants) {
      const described = await describeTenantStack(clients, { tenantId });
      expect(described.status).toBe('CREATE_COMPLETE');
      const stackOutputs = described.outputs as TenantStackOutputs;
      outputs[tenantId] = stackOutputs;
      expect(await tableExists(`tenantry-${tenantId}-products`)).toBe(true);
      expect(await tableExists(`tenantry-${tenantId}-orders`)).toBe(true);
      expect(stackOutputs.ProductTableName).toBe(`tenantry-${tenantId}-products`);
      const pool = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: stackOutputs.UserPoolId }));
      expect(pool.UserPool?.Name).toBe(`tenantry-${tenantId}`);
      const response = await getProducts(stackOutputs);
      expect(response.status).toBe(401);
    }
    const [alpha, beta] = tenants.map((tenantId) => outputs[tenantId] as TenantStackOutputs);
    expect(alpha?.ApiId).not.toBe(beta?.ApiId);
    expect(alpha?.UserPoolId).not.toBe(beta?.UserPoolId);
    expect(alpha?.ApiKeyId).not.toBe(beta?.ApiKeyId);
    expect(alpha?.ApiUrl).toBe(`https://${alpha?.ApiId}.execute-api.${region}.amazonaws.com/dev`);
  }, 180_000);

  it("serves the tenant's own users, with the key from its own stack, and nobody else's", async () => {
    const [alphaId, betaId] = tenants;
    const alpha = outputs[alphaId] as TenantStackOutputs;
    const beta = outputs[betaId] as TenantStackOutputs;
    await recordTenant(alphaId, alpha);
    await recordTenant(betaId, beta);
    const pool = (o: TenantStackOutputs) => ({
      cognitoEndpoint: endpoints.cognitoEndpoint,
      region,
      userPoolId: o.UserPoolId,
      clientId: o.UserPoolClientId,
    });
    const alphaAdmin = await createLocalUser({ ...pool(alpha), tenantId: alphaId, role: 'TenantAdmin' });
    const ok = await getProducts(alpha, alphaAdmin.idToken);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ items: [] });
    // Another silo's token, a pooled tenant's token, a made-up token: 401 from this stack's authorizer.
    expect((await getProducts(beta, alphaAdmin.idToken)).status).toBe(401);
    const pooled = await createTestTenant({ endpoints, stackOutputs, localCloud: cloud });
    const pooledUser = await pooled.user('TenantAdmin');
    expect((await getProducts(alpha, pooledUser.idToken)).status).toBe(401);
    expect((await getProducts(alpha, 'not-a-token')).status).toBe(401);
  }, 60_000);

  it('visits the tenant stacks in waves on a release, leaving unchanged ones as they are, and they keep serving', async () => {
    // The same packages give the same content-hashed release: CloudFormation answers "No updates
    // are to be performed" and the release reports the stacks unchanged.
    const result = await release(1);
    expect(result.ok).toBe(true);
    expect(result.waves.map((wave) => wave.map((r) => [r.stackName, r.status]))).toEqual(
      tenants.map((tenantId) => [[tenantStackName(tenantId), 'UNCHANGED']]),
    );
    const alpha = outputs[tenants[0]] as TenantStackOutputs;
    expect((await describeTenantStack(clients, { tenantId: tenants[0] })).outputs?.ApiId).toBe(alpha.ApiId);
    const user = await createLocalUser({
      cognitoEndpoint: endpoints.cognitoEndpoint,
      region,
      userPoolId: alpha.UserPoolId,
      clientId: alpha.UserPoolClientId,
      tenantId: tenants[0],
      role: 'TenantUser',
    });
    expect((await getProducts(alpha, user.idToken)).status).toBe(200);
  }, 120_000);

  it('deletes one tenant stack without touching the other', async () => {
    const [alphaId, betaId] = tenants;
    const alpha = outputs[alphaId] as TenantStackOutputs;
    const beta = outputs[betaId] as TenantStackOutputs;
    expect(await deleteTenantStack(clients, { tenantId: alphaId })).toEqual({
      stackName: tenantStackName(alphaId),
      existed: true,
    });
    expect((await waitForStack(clients, tenantStackName(alphaId), fast)).status).toBe(STACK_NOT_FOUND);
    expect(await describeTenantStack(clients, { tenantId: alphaId })).toEqual({
      stackName: tenantStackName(alphaId),
      status: STACK_NOT_FOUND,
    });
    expect(await deleteTenantStack(clients, { tenantId: alphaId })).toMatchObject({ existed: false });
    expect(await tableExists(`tenantry-${alphaId}-products`)).toBe(false);
    expect((await getProducts(alpha)).status).toBe(404);

    expect(await tableExists(`tenantry-${betaId}-products`)).toBe(true);
    const betaUser = await createLocalUser({
      cognitoEndpoint: endpoints.cognitoEndpoint,
      region,
      userPoolId: beta.UserPoolId,
      clientId: beta.UserPoolClientId,
      tenantId: betaId,
      role: 'TenantUser',
    });
    expect((await getProducts(beta, betaUser.idToken)).status).toBe(200);
  }, 120_000);
});
