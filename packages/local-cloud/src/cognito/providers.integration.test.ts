import {
  AdminCreateUserCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  GetGroupCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderContext } from '../types.js';
import { type Harness, REGION, startEmulator } from './testing.js';

let h: Harness;
const ctx = {
  stackName: 'tenantry-dev',
  stackId: `arn:aws:cloudformation:${REGION}:000000000000:stack/tenantry-dev/1`,
  region: REGION,
  accountId: '000000000000',
} as ProviderContext;

const provider = (type: string) => {
  const p = h.emulator.providers[type];
  if (!p) throw new Error(`no provider for ${type}`);
  return p;
};

beforeAll(async () => {
  h = await startEmulator();
});

afterAll(async () => {
  await h.close();
});

describe('CloudFormation providers', () => {
  it('creates a user pool from CloudFormation properties and answers Ref and GetAtt', async () => {
    const pool = await provider('AWS::Cognito::UserPool').create(ctx, 'PooledUserPool', {
      UserPoolName: 'pooled',
      UsernameAttributes: ['email'],
      Schema: [
        { Name: 'tenantId', AttributeDataType: 'String', Mutable: false },
        { Name: 'userRole', AttributeDataType: 'String', Mutable: 'true' },
      ],
      Policies: { PasswordPolicy: { MinimumLength: '10', RequireSymbols: false, RequireNumbers: true } },
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    });
    expect(pool.attributes).toEqual({
      Arn: `arn:aws:cognito-idp:${REGION}:000000000000:userpool/${pool.physicalId}`,
      ProviderName: `cognito-idp.${REGION}.amazonaws.com/${pool.physicalId}`,
      ProviderURL: `https://cognito-idp.${REGION}.amazonaws.com/${pool.physicalId}`,
      UserPoolId: pool.physicalId,
    });
    const described = await h.sdk.send(new DescribeUserPoolCommand({ UserPoolId: pool.physicalId }));
    expect(described.UserPool?.Name).toBe('pooled');
    expect(described.UserPool?.Policies?.PasswordPolicy).toMatchObject({
      MinimumLength: 10,
      RequireSymbols: false,
    });
    await expect(
      h.sdk.send(
        new AdminCreateUserCommand({
          UserPoolId: pool.physicalId,
          Username: 'x@example.com',
          TemporaryPassword: 'short1A',
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidPasswordException' });

    const client = await provider('AWS::Cognito::UserPoolClient').create(ctx, 'WebClient', {
      UserPoolId: pool.physicalId,
      ClientName: 'web',
      GenerateSecret: true,
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      WriteAttributes: ['name'],
      PreventUserExistenceErrors: 'ENABLED',
      IdTokenValidity: 15,
      TokenValidityUnits: { IdToken: 'minutes' },
    });
    expect(client.physicalId).toMatch(/^[a-z0-9]{26}$/);
    expect(client.attributes?.Name).toBe('web');
    const describedClient = await h.sdk.send(
      new DescribeUserPoolClientCommand({ UserPoolId: pool.physicalId, ClientId: client.physicalId }),
    );
    expect(client.attributes?.ClientSecret).toBe(describedClient.UserPoolClient?.ClientSecret);
    expect(describedClient.UserPoolClient).toMatchObject({
      IdTokenValidity: 15,
      PreventUserExistenceErrors: 'ENABLED',
    });

    const group = await provider('AWS::Cognito::UserPoolGroup').create(ctx, 'Admins', {
      UserPoolId: pool.physicalId,
      GroupName: 'admins',
    });
    expect(group.physicalId).toBe('admins');

    await provider('AWS::Cognito::UserPoolGroup').delete(ctx, 'admins', { UserPoolId: pool.physicalId });
    await expect(
      h.sdk.send(new GetGroupCommand({ UserPoolId: pool.physicalId, GroupName: 'admins' })),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    await provider('AWS::Cognito::UserPoolClient').delete(ctx, client.physicalId, {
      UserPoolId: pool.physicalId,
    });
    await provider('AWS::Cognito::UserPool').delete(ctx, pool.physicalId, {});
    await expect(
      h.sdk.send(new DescribeUserPoolCommand({ UserPoolId: pool.physicalId })),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    await expect(
      provider('AWS::Cognito::UserPool').delete(ctx, pool.physicalId, {}),
    ).resolves.toBeUndefined();
  });

  it('names a generated group after the stack and logical id', async () => {
    const pool = await provider('AWS::Cognito::UserPool').create(ctx, 'P', {});
    const group = await provider('AWS::Cognito::UserPoolGroup').create(ctx, 'Readers', {
      UserPoolId: pool.physicalId,
    });
    expect(group.physicalId).toMatch(/^tenantry-dev-Readers-[A-Z0-9]{12}$/);
  });

  it('throws an error naming a property that would change behaviour', async () => {
    const create = (properties: Record<string, unknown>) =>
      provider('AWS::Cognito::UserPool').create(ctx, 'Pool', properties);
    await expect(
      create({ LambdaConfig: { PreTokenGeneration: 'arn:aws:lambda:us-east-1:000000000000:function:f' } }),
    ).rejects.toThrow(/LambdaConfig/);
    await expect(create({ MfaConfiguration: 'ON' })).rejects.toThrow(/MfaConfiguration/);
    await expect(create({ NotAProperty: true })).rejects.toThrow(/NotAProperty/);
  });
});
