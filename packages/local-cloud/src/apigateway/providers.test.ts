import { describe, expect, it } from 'vitest';
import { createClock } from '../clock.js';
import { corsMethod, proxyMethod } from './fixtures.js';
import { createApiGateway } from './index.js';
import {
  ACCOUNT_ID,
  createFakeLambda,
  deployTemplate,
  functionArn,
  REGION,
  type TemplateResource,
} from './testing.js';

function gateway() {
  return createApiGateway({
    region: REGION,
    accountId: ACCOUNT_ID,
    clock: createClock(),
    lambda: createFakeLambda().invoker,
    baseUrl: () => 'http://127.0.0.1:4000',
  });
}

const base: Record<string, TemplateResource> = {
  ApiGatewayRestApi: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'dev-test' } },
  ApiGatewayResourceItems: {
    Type: 'AWS::ApiGateway::Resource',
    Properties: {
      ParentId: { 'Fn::GetAtt': ['ApiGatewayRestApi', 'RootResourceId'] },
      PathPart: 'items',
      RestApiId: { Ref: 'ApiGatewayRestApi' },
    },
  },
};
const externals = { ItemsLambdaFunction: { Arn: functionArn('items') } };

function deploy(extra: Record<string, TemplateResource>) {
  return deployTemplate(gateway().providers, { ...base, ...extra }, externals);
}

function child(pathPart: string): TemplateResource {
  return {
    Type: 'AWS::ApiGateway::Resource',
    Properties: {
      ParentId: { Ref: 'ApiGatewayResourceItems' },
      PathPart: pathPart,
      RestApiId: { Ref: 'ApiGatewayRestApi' },
    },
  };
}

describe('API Gateway providers', () => {
  it('gives a RestApi a 10-character id and a RootResourceId attribute', async () => {
    const stack = await deploy({});
    expect(stack.ref('ApiGatewayRestApi')).toMatch(/^[a-z0-9]{10}$/);
    expect(stack.results.ApiGatewayRestApi?.attributes?.RootResourceId).toMatch(/^[a-z0-9]{10}$/);
    expect(stack.ref('ApiGatewayResourceItems')).toMatch(/^[a-z0-9]{6}$/);
  });

  it('deploys the MOCK OPTIONS method osls writes for CORS', async () => {
    await expect(
      deploy({ ApiGatewayMethodItemsOptions: corsMethod('ApiGatewayResourceItems', 'OPTIONS,GET') }),
    ).resolves.toBeDefined();
  });

  it('refuses integration types other than AWS_PROXY and MOCK, naming them', async () => {
    const method = proxyMethod('GET', 'ApiGatewayResourceItems', 'ItemsLambdaFunction');
    const integration = (method.Properties as { Integration: Record<string, unknown> }).Integration;
    for (const type of ['HTTP_PROXY', 'AWS', 'HTTP']) {
      integration.Type = type;
      await expect(deploy({ ApiGatewayMethodItemsGet: method })).rejects.toThrow(
        new RegExp(`Integration Type ${type} is not supported`),
      );
    }
  });

  it('refuses COGNITO_USER_POOLS and AWS_IAM authorization', async () => {
    const authorizer: TemplateResource = {
      Type: 'AWS::ApiGateway::Authorizer',
      Properties: {
        Name: 'cognito',
        Type: 'COGNITO_USER_POOLS',
        IdentitySource: 'method.request.header.Authorization',
        ProviderARNs: ['arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_x'],
        RestApiId: { Ref: 'ApiGatewayRestApi' },
      },
    };
    await expect(deploy({ CognitoAuthorizer: authorizer })).rejects.toThrow(
      /COGNITO_USER_POOLS is not supported/,
    );
    const method = proxyMethod('GET', 'ApiGatewayResourceItems', 'ItemsLambdaFunction');
    (method.Properties as Record<string, unknown>).AuthorizationType = 'AWS_IAM';
    await expect(deploy({ ApiGatewayMethodItemsGet: method })).rejects.toThrow(/AWS_IAM is not supported/);
  });

  it('refuses a second resource with the same path part or a second variable sibling', async () => {
    await expect(deploy({ A: child('x'), B: child('x') })).rejects.toThrow(
      /same parent already has the name x/,
    );
    await expect(deploy({ A: child('{id}'), B: child('{proxy+}') })).rejects.toThrow(/only one is allowed/);
  });

  it('refuses a second method for the same resource and HTTP method', async () => {
    await expect(
      deploy({
        A: proxyMethod('GET', 'ApiGatewayResourceItems', 'ItemsLambdaFunction'),
        B: proxyMethod('GET', 'ApiGatewayResourceItems', 'ItemsLambdaFunction'),
      }),
    ).rejects.toThrow(/method GET already exists/);
  });

  it('refuses an integration URI that is not a Lambda invocation URI', async () => {
    const method = proxyMethod('GET', 'ApiGatewayResourceItems', 'ItemsLambdaFunction');
    (method.Properties as { Integration: Record<string, unknown> }).Integration.Uri = 'https://example.com';
    await expect(deploy({ ApiGatewayMethodItemsGet: method })).rejects.toThrow(
      /lambda:path\/2015-03-31\/functions/,
    );
  });

  it('refuses a TOKEN authorizer without a header identity source', async () => {
    const authorizer: TemplateResource = {
      Type: 'AWS::ApiGateway::Authorizer',
      Properties: {
        Name: 'token',
        Type: 'TOKEN',
        IdentitySource: 'method.request.querystring.token',
        AuthorizerUri: `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/${functionArn('auth')}/invocations`,
        RestApiId: { Ref: 'ApiGatewayRestApi' },
      },
    };
    await expect(deploy({ TokenAuthorizer: authorizer })).rejects.toThrow(
      /TOKEN authorizer needs one IdentitySource/,
    );
  });

  it('refuses a GatewayResponse of an unknown type', async () => {
    await expect(
      deploy({
        Response: {
          Type: 'AWS::ApiGateway::GatewayResponse',
          Properties: { ResponseType: 'DEFAULT_3XX', RestApiId: { Ref: 'ApiGatewayRestApi' } },
        },
      }),
    ).rejects.toThrow(/unknown ResponseType DEFAULT_3XX/);
  });
});
