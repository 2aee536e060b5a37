import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  APIGatewayClient,
  CreateApiKeyCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  GetUsageCommand,
} from '@aws-sdk/client-api-gateway';
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from './cloud.js';
import { ROOT_CREDENTIALS as credentials } from './iam/credentials.js';

const region = 'us-east-1';
const FREE = { gateway: 0, cognito: 0, dynamodb: 0, aws: 0 };
const dataDir = mkdtempSync(join(tmpdir(), 'tenantry-restart-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const template = {
  Resources: {
    Table: {
      Type: 'AWS::DynamoDB::Table',
      Properties: {
        TableName: 'restart-items',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      },
    },
    Role: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
          ],
        },
      },
    },
    Fn: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        FunctionName: 'restart-hello',
        Handler: 'index.handler',
        Runtime: 'nodejs22.x',
        Role: { 'Fn::GetAtt': ['Role', 'Arn'] },
        Code: {
          ZipFile:
            'exports.handler = async (e) => ({ statusCode: 200, body: JSON.stringify({ ok: true, input: e.body ?? null }) });',
        },
      },
    },
    Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'restart-api' } },
    Hello: {
      Type: 'AWS::ApiGateway::Resource',
      Properties: {
        RestApiId: { Ref: 'Api' },
        ParentId: { 'Fn::GetAtt': ['Api', 'RootResourceId'] },
        PathPart: 'hello',
      },
    },
    GetHello: {
      Type: 'AWS::ApiGateway::Method',
      Properties: {
        RestApiId: { Ref: 'Api' },
        ResourceId: { Ref: 'Hello' },
        HttpMethod: 'GET',
        AuthorizationType: 'NONE',
        ApiKeyRequired: true,
        Integration: {
          Type: 'AWS_PROXY',
          IntegrationHttpMethod: 'POST',
          Uri: {
            'Fn::Sub':
              'arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations',
          },
        },
      },
    },
    Deployment: {
      Type: 'AWS::ApiGateway::Deployment',
      DependsOn: 'GetHello',
      Properties: { RestApiId: { Ref: 'Api' }, StageName: 'live' },
    },
  },
  Outputs: { ApiId: { Value: { Ref: 'Api' } }, FunctionArn: { Value: { 'Fn::GetAtt': ['Fn', 'Arn'] } } },
};

function clients(cloud: LocalCloud) {
  const aws = { region, endpoint: cloud.endpoints.aws, credentials };
  return {
    cfn: new CloudFormationClient(aws),
    apigw: new APIGatewayClient({ ...aws, maxAttempts: 1 }),
    ssm: new SSMClient(aws),
    sfn: new SFNClient(aws),
    cognito: new CognitoIdentityProviderClient({ region, endpoint: cloud.endpoints.cognito, credentials }),
    dynamodb: new DynamoDBClient({ region, endpoint: cloud.endpoints.dynamodb, credentials }),
  };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 400; i += 1) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('the local cloud across a restart', () => {
  it('keeps stacks, API keys and their usage, parameters, executions, users and data', async () => {
    const first = await startLocalCloud({ dataDir, ports: FREE });
    let apiId: string;
    let keyValue: string;
    let usagePlanId: string;
    let keyId: string;
    let executionArn: string;
    let poolId: string;
    let clientId: string;
    try {
      const c = clients(first);
      await c.cfn.send(
        new CreateStackCommand({ StackName: 'restart-stack', TemplateBody: JSON.stringify(template) }),
      );
      const stack = await until('the stack', async () => {
        const found = (await c.cfn.send(new DescribeStacksCommand({ StackName: 'restart-stack' })))
          .Stacks?.[0];
        return found?.StackStatus === 'CREATE_COMPLETE' ? found : undefined;
      });
      apiId = stack.Outputs?.find((o) => o.OutputKey === 'ApiId')?.OutputValue as string;
      const key = await c.apigw.send(new CreateApiKeyCommand({ name: 'tenant-a', enabled: true }));
      keyId = key.id as string;
      keyValue = key.value as string;
      const plan = await c.apigw.send(
        new CreateUsagePlanCommand({
          name: 'restart-plan',
          apiStages: [{ apiId, stage: 'live' }],
          throttle: { rateLimit: 100, burstLimit: 100 },
          quota: { limit: 3, period: 'DAY' },
        }),
      );
      usagePlanId = plan.id as string;
      await c.apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId, keyId, keyType: 'API_KEY' }));
      const url = `${first.endpoints.gateway}/restapis/${apiId}/live/_user_request_/hello`;
      expect((await fetch(url, { headers: { 'x-api-key': keyValue } })).status).toBe(200);
      expect((await fetch(url, { headers: { 'x-api-key': keyValue } })).status).toBe(200);

      await c.ssm.send(
        new PutParameterCommand({ Name: '/tenantry/restart/secret', Value: 's3cr3t', Type: 'SecureString' }),
      );
      await c.dynamodb.send(new PutItemCommand({ TableName: 'restart-items', Item: { pk: { S: 'kept' } } }));

      const functionArn = stack.Outputs?.find((o) => o.OutputKey === 'FunctionArn')?.OutputValue as string;
      const machine = await c.sfn.send(
        new CreateStateMachineCommand({
          name: 'restart-flow',
          roleArn: 'arn:aws:iam::000000000000:role/sfn',
          definition: JSON.stringify({
            StartAt: 'Call',
            States: { Call: { Type: 'Task', Resource: functionArn, End: true } },
          }),
        }),
      );
      executionArn = (
        await c.sfn.send(
          new StartExecutionCommand({ stateMachineArn: machine.stateMachineArn, name: 'run-1', input: '{}' }),
        )
      ).executionArn as string;
      await until('the execution', async () => {
        const run = await c.sfn.send(new DescribeExecutionCommand({ executionArn }));
        return run.status === 'SUCCEEDED' ? run : undefined;
      });

      poolId = (
        await c.cognito.send(
          new CreateUserPoolCommand({ PoolName: 'restart-pool', UsernameAttributes: ['email'] }),
        )
      ).UserPool?.Id as string;
      clientId = (
        await c.cognito.send(
          new CreateUserPoolClientCommand({
            UserPoolId: poolId,
            ClientName: 'app',
            ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
          }),
        )
      ).UserPoolClient?.ClientId as string;
      await c.cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: poolId,
          Username: 'kept@example.com',
          MessageAction: 'SUPPRESS',
        }),
      );
      await c.cognito.send(
        new AdminSetUserPasswordCommand({
          UserPoolId: poolId,
          Username: 'kept@example.com',
          Password: 'Kept-passw0rd',
          Permanent: true,
        }),
      );
    } finally {
      await first.stop();
    }

    const second = await startLocalCloud({ dataDir, ports: FREE });
    try {
      const c = clients(second);
      const stack = (await c.cfn.send(new DescribeStacksCommand({ StackName: 'restart-stack' }))).Stacks?.[0];
      expect(stack?.StackStatus).toBe('CREATE_COMPLETE');
      expect(stack?.Outputs?.find((o) => o.OutputKey === 'ApiId')?.OutputValue).toBe(apiId);

      // The same URL serves, the key still works, and its quota remembers the two calls already made.
      const url = `${second.endpoints.gateway}/restapis/${apiId}/live/_user_request_/hello`;
      expect((await fetch(url, { headers: { 'x-api-key': keyValue } })).status).toBe(200);
      const over = await fetch(url, { headers: { 'x-api-key': keyValue } });
      expect(over.status).toBe(429);
      expect(await over.json()).toEqual({ message: 'Limit Exceeded' });
      const usage = await c.apigw.send(
        new GetUsageCommand({
          usagePlanId,
          keyId,
          startDate: new Date().toISOString().slice(0, 10),
          endDate: new Date().toISOString().slice(0, 10),
        }),
      );
      expect(usage.items?.[keyId]?.[0]).toEqual([3, 0]);

      const parameter = await c.ssm.send(
        new GetParameterCommand({ Name: '/tenantry/restart/secret', WithDecryption: true }),
      );
      expect(parameter.Parameter?.Value).toBe('s3cr3t');
      const item = await c.dynamodb.send(
        new GetItemCommand({ TableName: 'restart-items', Key: { pk: { S: 'kept' } } }),
      );
      expect(item.Item?.pk?.S).toBe('kept');

      const execution = await c.sfn.send(new DescribeExecutionCommand({ executionArn }));
      expect(execution.status).toBe('SUCCEEDED');
      const history = await c.sfn.send(new GetExecutionHistoryCommand({ executionArn }));
      expect(history.events?.map((e) => e.type)).toContain('ExecutionSucceeded');

      const login = await c.cognito.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: 'kept@example.com', PASSWORD: 'Kept-passw0rd' },
        }),
      );
      expect(login.AuthenticationResult?.IdToken).toBeTruthy();
    } finally {
      await second.stop();
    }
  });
});
