import {
  CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStacksCommand,
  type Stack,
  UpdateStackCommand,
} from '@aws-sdk/client-cloudformation';
import {
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { zipSync } from 'fflate';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { ROOT_CREDENTIALS } from '../iam/credentials.js';

const cloud = inject('localCloud');
const credentials = ROOT_CREDENTIALS;
const region = 'us-east-1';
const cfn = new CloudFormationClient({ region, endpoint: cloud.aws, credentials });
const s3 = new S3Client({ region, endpoint: cloud.aws, credentials, forcePathStyle: true });
const dynamodb = new DynamoDBClient({ region, endpoint: cloud.dynamodb, credentials });
const bucket = `cfn-test-${Date.now().toString(36)}`;

/** One tenant's application plane in miniature: a table, a function and an API of its own. */
const tenantTemplate = {
  Parameters: { TenantId: { Type: 'String', AllowedPattern: '[a-z0-9-]+' } },
  Resources: {
    Table: {
      Type: 'AWS::DynamoDB::Table',
      Properties: {
        TableName: { 'Fn::Sub': 'cfn-test-${TenantId}-items' },
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      },
    },
    Role: {
      Type: 'AWS::IAM::Role',
      Properties: {
        RoleName: { 'Fn::Sub': 'cfn-test-${TenantId}-role' },
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com'] }, Action: ['sts:AssumeRole'] },
          ],
        },
      },
    },
    Fn: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        FunctionName: { 'Fn::Sub': 'cfn-test-${TenantId}-hello' },
        Handler: 'index.handler',
        Runtime: 'nodejs22.x',
        Role: { 'Fn::GetAtt': ['Role', 'Arn'] },
        Code: { S3Bucket: bucket, S3Key: 'artifacts/hello.zip' },
        Environment: { Variables: { TABLE_NAME: { Ref: 'Table' }, TENANT: { Ref: 'TenantId' } } },
      },
    },
    Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: { 'Fn::Sub': 'cfn-test-${TenantId}' } } },
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
  Outputs: { ApiId: { Value: { Ref: 'Api' } }, TableName: { Value: { Ref: 'Table' } } },
};

async function waitForStatus(
  stackName: string,
  done: (stack: Stack | undefined) => boolean,
): Promise<Stack | undefined> {
  for (let i = 0; i < 200; i += 1) {
    let stack: Stack | undefined;
    try {
      stack = (await cfn.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks?.[0];
    } catch (error) {
      if (!(error instanceof Error && /does not exist/.test(error.message))) throw error;
    }
    if (done(stack)) return stack;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`stack ${stackName} did not reach the expected state`);
}

const output = (stack: Stack | undefined, key: string) =>
  stack?.Outputs?.find((o) => o.OutputKey === key)?.OutputValue;
const tableExists = async (name: string) =>
  dynamodb.send(new DescribeTableCommand({ TableName: name })).then(
    () => true,
    (error) => {
      if (error instanceof ResourceNotFoundException) return false;
      throw error;
    },
  );

describe('CloudFormation stacks at run time', () => {
  beforeAll(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const code = zipSync({
      'index.js': new TextEncoder().encode(
        'exports.handler = async () => ({ statusCode: 200, body: JSON.stringify({ tenant: process.env.TENANT, table: process.env.TABLE_NAME }) });',
      ),
    });
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'artifacts/hello.zip', Body: code }));
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'templates/tenant.json',
        Body: JSON.stringify(tenantTemplate),
      }),
    );
  });

  it('creates two copies of one template side by side, then deletes one without touching the other', async () => {
    const templateUrl = `https://${bucket}.s3.amazonaws.com/templates/tenant.json`;
    for (const tenant of ['alpha', 'beta']) {
      const created = await cfn.send(
        new CreateStackCommand({
          StackName: `cfn-test-${tenant}`,
          TemplateURL: templateUrl,
          Parameters: [{ ParameterKey: 'TenantId', ParameterValue: tenant }],
        }),
      );
      expect(created.StackId).toMatch(/^arn:aws:cloudformation:us-east-1:\d{12}:stack\/cfn-test-/);
    }
    const first = await cfn.send(new DescribeStacksCommand({ StackName: 'cfn-test-alpha' }));
    expect(['CREATE_IN_PROGRESS', 'CREATE_COMPLETE']).toContain(first.Stacks?.[0]?.StackStatus);

    const stacks: Record<string, Stack | undefined> = {};
    for (const tenant of ['alpha', 'beta']) {
      stacks[tenant] = await waitForStatus(`cfn-test-${tenant}`, (s) => s?.StackStatus === 'CREATE_COMPLETE');
      const apiId = output(stacks[tenant], 'ApiId');
      const response = await fetch(`${cloud.gateway}/restapis/${apiId}/live/_user_request_/hello`);
      expect(await response.json()).toEqual({ tenant, table: `cfn-test-${tenant}-items` });
      expect(await tableExists(`cfn-test-${tenant}-items`)).toBe(true);
    }

    await expect(
      cfn.send(
        new UpdateStackCommand({
          StackName: 'cfn-test-alpha',
          TemplateURL: templateUrl,
          Parameters: [{ ParameterKey: 'TenantId', ParameterValue: 'alpha' }],
        }),
      ),
    ).rejects.toThrow('No updates are to be performed.');
    // AWS accepts the stack id wherever it accepts the name.
    await cfn.send(new DeleteStackCommand({ StackName: stacks.alpha?.StackId }));
    await waitForStatus('cfn-test-alpha', (s) => s === undefined);
    expect(await tableExists('cfn-test-alpha-items')).toBe(false);
    const gone = await fetch(
      `${cloud.gateway}/restapis/${output(stacks.alpha, 'ApiId')}/live/_user_request_/hello`,
    );
    expect(gone.status).toBe(404);
    expect(await tableExists('cfn-test-beta-items')).toBe(true);
    const beta = await fetch(
      `${cloud.gateway}/restapis/${output(stacks.beta, 'ApiId')}/live/_user_request_/hello`,
    );
    expect(await beta.json()).toEqual({ tenant: 'beta', table: 'cfn-test-beta-items' });
    await cfn.send(new DeleteStackCommand({ StackName: 'cfn-test-beta' }));
  });

  it('adds an index to a table in place on update, keeping its items', async () => {
    const table = {
      Resources: {
        Items: {
          Type: 'AWS::DynamoDB::Table',
          Properties: {
            TableName: 'cfn-test-update-items',
            BillingMode: 'PAY_PER_REQUEST',
            AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
            KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          },
        },
      },
    };
    await cfn.send(
      new CreateStackCommand({ StackName: 'cfn-test-update', TemplateBody: JSON.stringify(table) }),
    );
    await waitForStatus('cfn-test-update', (s) => s?.StackStatus === 'CREATE_COMPLETE');
    await dynamodb.send(
      new PutItemCommand({
        TableName: 'cfn-test-update-items',
        Item: { pk: { S: 'kept' }, colour: { S: 'red' } },
      }),
    );
    const indexed = structuredClone(table) as typeof table & {
      Resources: { Items: { Properties: Record<string, unknown> } };
    };
    indexed.Resources.Items.Properties.AttributeDefinitions = [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'colour', AttributeType: 'S' },
    ];
    indexed.Resources.Items.Properties.GlobalSecondaryIndexes = [
      {
        IndexName: 'byColour',
        KeySchema: [{ AttributeName: 'colour', KeyType: 'HASH' }],
        Projection: { ProjectionType: 'ALL' },
      },
    ];
    await cfn.send(
      new UpdateStackCommand({ StackName: 'cfn-test-update', TemplateBody: JSON.stringify(indexed) }),
    );
    await waitForStatus('cfn-test-update', (s) => s?.StackStatus === 'UPDATE_COMPLETE');
    const described = await dynamodb.send(new DescribeTableCommand({ TableName: 'cfn-test-update-items' }));
    expect(described.Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual(['byColour']);
    const kept = await dynamodb.send(
      new GetItemCommand({ TableName: 'cfn-test-update-items', Key: { pk: { S: 'kept' } } }),
    );
    expect(kept.Item?.colour?.S).toBe('red');
    await cfn.send(new DeleteStackCommand({ StackName: 'cfn-test-update' }));
  });

  it('refuses a template with an unsupported resource type, naming it', async () => {
    const template = { Resources: { Queue: { Type: 'AWS::SQS::Queue', Properties: {} } } };
    await expect(
      cfn.send(
        new CreateStackCommand({ StackName: 'cfn-test-unsupported', TemplateBody: JSON.stringify(template) }),
      ),
    ).rejects.toThrow('Unrecognized resource types: [AWS::SQS::Queue]');
  });

  it('rolls back a stack whose resource fails, keeps the reason, and wants it deleted before a new create', async () => {
    const template = structuredClone(tenantTemplate);
    template.Resources.Fn.Properties.Code.S3Key = 'artifacts/missing.zip';
    const create = () =>
      cfn.send(
        new CreateStackCommand({
          StackName: 'cfn-test-failing',
          TemplateBody: JSON.stringify(template),
          Parameters: [{ ParameterKey: 'TenantId', ParameterValue: 'failing' }],
        }),
      );
    await create();
    const stack = await waitForStatus('cfn-test-failing', (s) => s?.StackStatus === 'ROLLBACK_COMPLETE');
    expect(stack?.StackStatusReason).toContain('artifacts/missing.zip');
    expect(await tableExists('cfn-test-failing-items')).toBe(false);
    await expect(create()).rejects.toThrow('already exists');
    await cfn.send(new DeleteStackCommand({ StackName: 'cfn-test-failing' }));
    await waitForStatus('cfn-test-failing', (s) => s === undefined);
    await create();
    await waitForStatus('cfn-test-failing', (s) => s?.StackStatus === 'ROLLBACK_COMPLETE');
    await cfn.send(new DeleteStackCommand({ StackName: 'cfn-test-failing' }));
  });

  it('refuses a TemplateURL where nothing is stored', async () => {
    await expect(
      cfn.send(
        new CreateStackCommand({
          StackName: 'cfn-test-missing',
          TemplateURL: `https://${bucket}.s3.amazonaws.com/templates/none.json`,
        }),
      ),
    ).rejects.toThrow('nothing is stored');
  });
});
