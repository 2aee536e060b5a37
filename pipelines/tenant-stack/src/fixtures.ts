/**
 * Test fixtures: templates shaped like what `osls package` produces for the platform and for an
 * application service (stage `dev`), small enough to read.
 */
import type { CfnResource, CfnTemplate } from './template.js';

const lambdaTrust = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com'] }, Action: ['sts:AssumeRole'] },
  ],
};
const deploymentBucket = {
  ServerlessDeploymentBucket: { Type: 'AWS::S3::Bucket', Properties: {} },
  ServerlessDeploymentBucketPolicy: {
    Type: 'AWS::S3::BucketPolicy',
    Properties: {
      Bucket: { Ref: 'ServerlessDeploymentBucket' },
      PolicyDocument: {
        Statement: [
          {
            Action: 's3:*',
            Effect: 'Deny',
            Principal: '*',
            Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${ServerlessDeploymentBucket}/*' },
            Condition: { Bool: { 'aws:SecureTransport': false } },
          },
        ],
      },
    },
  },
} satisfies Record<string, CfnResource>;

/** A function as osls packages it: log group, own role (serverless-iam-roles-per-function), code in the deployment bucket. */
function packagedFunction(
  service: string,
  fn: string,
  variables: Record<string, unknown>,
): Record<string, CfnResource> {
  const id = fn.charAt(0).toUpperCase() + fn.slice(1);
  const name = `tenantry-${service}-dev-${fn}`;
  return {
    [`${id}LogGroup`]: {
      Type: 'AWS::Logs::LogGroup',
      Properties: { LogGroupName: `/aws/lambda/${name}`, RetentionInDays: 30 },
    },
    [`${id}IamRoleLambdaExecution`]: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: lambdaTrust,
        Policies: [
          {
            PolicyName: { 'Fn::Join': ['-', [`tenantry-${service}`, 'dev', 'lambda']] },
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Allow',
                  Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
                  Resource: [
                    {
                      'Fn::Sub': `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/lambda/${name}:*:*`,
                    },
                  ],
                },
              ],
            },
          },
        ],
        Path: '/',
        RoleName: {
          'Fn::Join': ['-', [`tenantry-${service}`, 'dev', fn, { Ref: 'AWS::Region' }, 'lambdaRole']],
        },
      },
    },
    [`${id}LambdaFunction`]: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        Code: {
          S3Bucket: { Ref: 'ServerlessDeploymentBucket' },
          S3Key: `serverless/tenantry-${service}/dev/1795959253619-2026-11-29T13:34:13.619Z/${fn}.zip`,
        },
        Handler: `src/functions/${fn}/handler.handler`,
        Runtime: 'nodejs22.x',
        FunctionName: name,
        MemorySize: 1024,
        Timeout: 10,
        Environment: { Variables: { STAGE: 'dev', ...variables } },
        Role: { 'Fn::GetAtt': [`${id}IamRoleLambdaExecution`, 'Arn'] },
      },
      DependsOn: [`${id}IamRoleLambdaExecution`, `${id}LogGroup`],
    },
  };
}

/** A service `widgets` with `listWidgets` on `GET /widgets`, a sharded table, attached to the platform's app API. */
export function widgetsTemplate(): CfnTemplate {
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: 'The AWS CloudFormation template for this Serverless application',
    Resources: {
      ...deploymentBucket,
      IamRoleLambdaExecution: {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: lambdaTrust,
          RoleName: { 'Fn::Join': ['-', ['tenantry-widgets', 'dev', { Ref: 'AWS::Region' }, 'lambdaRole']] },
        },
      },
      ...packagedFunction('widgets', 'listWidgets', {
        WIDGET_TABLE_NAME: { Ref: 'WidgetTable' },
        WIDGET_TABLE_SHARDS: '4',
      }),
      ApiGatewayResourceWidgets: {
        Type: 'AWS::ApiGateway::Resource',
        Properties: {
          ParentId: { 'Fn::ImportValue': 'tenantry-platform-dev-AppApiRootResourceId' },
          PathPart: 'widgets',
          RestApiId: { 'Fn::ImportValue': 'tenantry-platform-dev-AppApiId' },
        },
      },
      ApiGatewayMethodWidgetsGet: {
        Type: 'AWS::ApiGateway::Method',
        Properties: {
          HttpMethod: 'GET',
          ResourceId: { Ref: 'ApiGatewayResourceWidgets' },
          RestApiId: { 'Fn::ImportValue': 'tenantry-platform-dev-AppApiId' },
          ApiKeyRequired: true,
          AuthorizationType: 'CUSTOM',
          AuthorizerId: { 'Fn::ImportValue': 'tenantry-platform-dev-AppAuthorizerId' },
          Integration: {
            IntegrationHttpMethod: 'POST',
            Type: 'AWS_PROXY',
            Uri: {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':apigateway:',
                  { Ref: 'AWS::Region' },
                  ':lambda:path/2015-03-31/functions/',
                  { 'Fn::GetAtt': ['ListWidgetsLambdaFunction', 'Arn'] },
                  '/invocations',
                ],
              ],
            },
          },
        },
        DependsOn: ['ListWidgetsLambdaPermissionApiGateway'],
      },
      ApiGatewayDeployment1795959250765: {
        Type: 'AWS::ApiGateway::Deployment',
        Properties: { RestApiId: { 'Fn::ImportValue': 'tenantry-platform-dev-AppApiId' }, StageName: 'dev' },
        DependsOn: ['ApiGatewayMethodWidgetsGet'],
      },
      ListWidgetsLambdaPermissionApiGateway: {
        Type: 'AWS::Lambda::Permission',
        Properties: {
          FunctionName: { 'Fn::GetAtt': ['ListWidgetsLambdaFunction', 'Arn'] },
          Action: 'lambda:InvokeFunction',
          Principal: 'apigateway.amazonaws.com',
          SourceArn: {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':execute-api:',
                { Ref: 'AWS::Region' },
                ':',
                { Ref: 'AWS::AccountId' },
                ':',
                { 'Fn::ImportValue': 'tenantry-platform-dev-AppApiId' },
                '/*/*',
              ],
            ],
          },
        },
      },
      WidgetTable: {
        Type: 'AWS::DynamoDB::Table',
        Properties: {
          TableName: 'tenantry-dev-widgets',
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [
            { AttributeName: 'pk', AttributeType: 'S' },
            { AttributeName: 'sk', AttributeType: 'S' },
          ],
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
        },
      },
    },
    Outputs: {
      ServerlessDeploymentBucketName: {
        Value: { Ref: 'ServerlessDeploymentBucket' },
        Export: { Name: 'sls-tenantry-widgets-dev-ServerlessDeploymentBucketName' },
      },
      WidgetTableName: {
        Value: { Ref: 'WidgetTable' },
        Export: { Name: 'tenantry-widgets-dev-WidgetTableName' },
      },
    },
  };
}

/** The platform's packaged template, reduced to what the tenant stack copies (plus the control plane it must not). */
export function platformTemplate(): CfnTemplate {
  const pool = (name: string): CfnResource => ({
    Type: 'AWS::Cognito::UserPool',
    Properties: {
      UserPoolName: name,
      UsernameAttributes: ['email'],
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      Schema: [
        { Name: 'email', AttributeDataType: 'String', Required: true, Mutable: true },
        { Name: 'tenantId', AttributeDataType: 'String', Mutable: false },
        { Name: 'userRole', AttributeDataType: 'String', Mutable: true },
      ],
    },
  });
  const client = (name: string, poolId: string): CfnResource => ({
    Type: 'AWS::Cognito::UserPoolClient',
    Properties: {
      ClientName: name,
      UserPoolId: { Ref: poolId },
      GenerateSecret: false,
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    },
  });
  const gatewayResponse = (type: string): CfnResource => ({
    Type: 'AWS::ApiGateway::GatewayResponse',
    Properties: {
      RestApiId: { Ref: 'AppApi' },
      ResponseType: type,
      ResponseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" },
    },
  });
  const authorizer = packagedFunction('platform', 'authorizer', {
    OPERATIONS_USER_POOL_ID: { Ref: 'OperationsUserPool' },
    OPERATIONS_CLIENT_ID: { Ref: 'OperationsUserPoolClient' },
    POOLED_USER_POOL_ID: { Ref: 'PooledUserPool' },
    POOLED_CLIENT_ID: { Ref: 'PooledUserPoolClient' },
    CONTROL_PLANE_API_ID: { Ref: 'ControlPlaneApi' },
    APP_API_ID: { Ref: 'AppApi' },
    TENANT_TABLE_NAME: { Ref: 'TenantTable' },
  });
  const role = authorizer.AuthorizerIamRoleLambdaExecution as CfnResource;
  const policies = (role.Properties?.Policies ?? []) as { PolicyDocument: { Statement: unknown[] } }[];
  policies[0]?.PolicyDocument.Statement.push(
    { Effect: 'Allow', Action: ['dynamodb:GetItem'], Resource: { 'Fn::GetAtt': ['TenantTable', 'Arn'] } },
    {
      Effect: 'Allow',
      Action: ['cognito-idp:AdminGetUser'],
      Resource: [
        { 'Fn::GetAtt': ['OperationsUserPool', 'Arn'] },
        { 'Fn::GetAtt': ['PooledUserPool', 'Arn'] },
      ],
    },
  );
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Resources: {
      ...deploymentBucket,
      ...authorizer,
      ControlPlaneApi: {
        Type: 'AWS::ApiGateway::RestApi',
        Properties: { Name: 'tenantry-dev-control-plane' },
      },
      AppApi: {
        Type: 'AWS::ApiGateway::RestApi',
        Properties: {
          Name: 'tenantry-dev-app',
          EndpointConfiguration: { Types: ['REGIONAL'] },
          ApiKeySourceType: 'AUTHORIZER',
        },
      },
      AppAuthorizer: {
        Type: 'AWS::ApiGateway::Authorizer',
        Properties: {
          Name: 'tenantry-app',
          RestApiId: { Ref: 'AppApi' },
          Type: 'REQUEST',
          IdentitySource: 'method.request.header.Authorization',
          AuthorizerResultTtlInSeconds: 2,
          AuthorizerUri: {
            'Fn::Sub':
              'arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${AuthorizerLambdaFunction.Arn}/invocations',
          },
        },
      },
      AuthorizerInvokePermission: {
        Type: 'AWS::Lambda::Permission',
        Properties: {
          Action: 'lambda:InvokeFunction',
          FunctionName: { 'Fn::GetAtt': ['AuthorizerLambdaFunction', 'Arn'] },
          Principal: 'apigateway.amazonaws.com',
          SourceArn: {
            'Fn::Sub': 'arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:*/authorizers/*',
          },
        },
      },
      AppDefault4xx: gatewayResponse('DEFAULT_4XX'),
      AppDefault5xx: gatewayResponse('DEFAULT_5XX'),
      OperationsUserPool: pool('tenantry-dev-operations'),
      OperationsUserPoolClient: client('tenantry-dev-operations', 'OperationsUserPool'),
      PooledUserPool: pool('tenantry-dev-pooled'),
      PooledUserPoolClient: client('tenantry-dev-pooled', 'PooledUserPool'),
      TenantTable: {
        Type: 'AWS::DynamoDB::Table',
        Properties: {
          TableName: 'tenantry-dev-tenants',
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        },
      },
    },
    Outputs: {
      AppApiId: { Value: { Ref: 'AppApi' }, Export: { Name: 'tenantry-platform-dev-AppApiId' } },
    },
  };
}
