/**
 * Test support: a local API Gateway with the usage-plans hooks installed, a fake Lambda, a small
 * osls-shaped API, and the real `@aws-sdk/client-api-gateway` pointed at the management API.
 */
import { request as httpRequest } from 'node:http';
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { createApiGateway } from '../apigateway/index.js';
import {
  ACCOUNT_ID,
  createFakeLambda,
  type DeployedStack,
  deployTemplate,
  functionArn,
  lambdaUri,
  REGION,
  startServer,
  type TemplateResource,
  type TestServer,
} from '../apigateway/testing.js';
import { createClock } from '../clock.js';
import { createUsagePlans, type UsagePlans } from './index.js';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** One HTTP request; `localAddress` picks the client address (any 127.x.y.z works on Linux loopback). */
export function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; localAddress?: string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: options.method ?? 'GET',
        headers: options.headers ?? {},
        localAddress: options.localAddress,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

function method(
  httpMethod: string,
  resource: unknown,
  restApi: string,
  extra: { apiKeyRequired?: boolean; authorizer?: string } = {},
): TemplateResource {
  return {
    Type: 'AWS::ApiGateway::Method',
    Properties: {
      HttpMethod: httpMethod,
      RequestParameters: {},
      ResourceId: resource,
      RestApiId: { Ref: restApi },
      ApiKeyRequired: extra.apiKeyRequired ?? false,
      AuthorizationType: extra.authorizer ? 'CUSTOM' : 'NONE',
      ...(extra.authorizer ? { AuthorizerId: { Ref: extra.authorizer } } : {}),
      Integration: { IntegrationHttpMethod: 'POST', Type: 'AWS_PROXY', Uri: lambdaUri('EchoLambdaFunction') },
      MethodResponses: [],
    },
    ...(extra.authorizer ? { DependsOn: [extra.authorizer] } : {}),
  };
}

function resource(restApi: string, pathPart: string): TemplateResource {
  return {
    Type: 'AWS::ApiGateway::Resource',
    Properties: {
      ParentId: { 'Fn::GetAtt': [restApi, 'RootResourceId'] },
      PathPart: pathPart,
      RestApiId: { Ref: restApi },
    },
  };
}

/**
 * Two APIs: `KeysApi` (HEADER keys: GET /items needs a key, GET /open is throttled by stage method settings,
 * POST /registrations is open) and `TenantApi` (AUTHORIZER keys: GET /orders behind a TOKEN authorizer that
 * returns the token as `usageIdentifierKey`).
 */
export function apiTemplate(): Record<string, TemplateResource> {
  return {
    KeysApi: {
      Type: 'AWS::ApiGateway::RestApi',
      Properties: { Name: 'dev-keys', ApiKeySourceType: 'HEADER' },
    },
    KeysItems: resource('KeysApi', 'items'),
    KeysOpen: resource('KeysApi', 'open'),
    KeysRegistrations: resource('KeysApi', 'registrations'),
    KeysItemsGet: method('GET', { Ref: 'KeysItems' }, 'KeysApi', { apiKeyRequired: true }),
    KeysOpenGet: method('GET', { Ref: 'KeysOpen' }, 'KeysApi'),
    KeysRegistrationsPost: method('POST', { Ref: 'KeysRegistrations' }, 'KeysApi'),
    KeysDeployment: {
      Type: 'AWS::ApiGateway::Deployment',
      Properties: {
        RestApiId: { Ref: 'KeysApi' },
        StageName: 'dev',
        StageDescription: {
          MethodSettings: [
            { ResourcePath: '/~1open', HttpMethod: 'GET', ThrottlingRateLimit: 1, ThrottlingBurstLimit: 2 },
          ],
        },
      },
      DependsOn: ['KeysItemsGet', 'KeysOpenGet', 'KeysRegistrationsPost'],
    },
    TenantApi: {
      Type: 'AWS::ApiGateway::RestApi',
      Properties: { Name: 'dev-tenant', ApiKeySourceType: 'AUTHORIZER' },
    },
    TenantAuthorizer: {
      Type: 'AWS::ApiGateway::Authorizer',
      Properties: {
        Name: 'tenant',
        Type: 'TOKEN',
        IdentitySource: 'method.request.header.Authorization',
        AuthorizerResultTtlInSeconds: 0,
        AuthorizerUri: lambdaUri('AuthorizerLambdaFunction'),
        RestApiId: { Ref: 'TenantApi' },
      },
    },
    TenantOrders: resource('TenantApi', 'orders'),
    TenantOrdersGet: method('GET', { Ref: 'TenantOrders' }, 'TenantApi', {
      apiKeyRequired: true,
      authorizer: 'TenantAuthorizer',
    }),
    TenantDeployment: {
      Type: 'AWS::ApiGateway::Deployment',
      Properties: { RestApiId: { Ref: 'TenantApi' }, StageName: 'dev' },
      DependsOn: ['TenantOrdersGet'],
    },
  };
}

export interface Harness {
  clock: ReturnType<typeof createClock>;
  usagePlans: UsagePlans;
  sdk: APIGatewayClient;
  stack: DeployedStack;
  keysApiId: string;
  tenantApiId: string;
  /** `{gateway}/restapis/{api}/dev/_user_request_{path}` */
  url(api: 'keys' | 'tenant', path: string): string;
  /** Deploys more resources (usage plans, WAF) with every provider, referring to the API stack's resources. */
  deploy(resources: Record<string, TemplateResource>, stackName?: string): Promise<DeployedStack>;
  close(): Promise<void>;
}

export async function startHarness(
  options: { dataFile?: string; controlPlaneLimits?: boolean } = {},
): Promise<Harness> {
  const clock = createClock();
  const lambda = createFakeLambda();
  lambda.define('echo', (event) => ({ statusCode: 200, body: JSON.stringify(event.requestContext) }));
  lambda.define('authorizer', (event) => ({
    principalId: 'user',
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: '*' }],
    },
    usageIdentifierKey: String(event.authorizationToken).replace(/^Bearer /, ''),
  }));
  let gatewayUrl = '';
  const gateway = createApiGateway({
    region: REGION,
    accountId: ACCOUNT_ID,
    clock,
    lambda: lambda.invoker,
    baseUrl: () => gatewayUrl,
    onError: () => undefined,
  });
  const usagePlans = createUsagePlans({
    region: REGION,
    accountId: ACCOUNT_ID,
    clock,
    flushAuthorizerCache: gateway.flushAuthorizerCache,
    stageExists: (id, stage) => gateway.listApis().some((api) => api.id === id && api.stages.includes(stage)),
    ...(options.dataFile ? { dataFile: options.dataFile } : {}),
    ...(options.controlPlaneLimits === undefined ? {} : { controlPlaneLimits: options.controlPlaneLimits }),
  });
  gateway.setBeforeAuthorization(usagePlans.beforeAuthorization);
  gateway.setBeforeIntegration(usagePlans.beforeIntegration);
  const gatewayServer: TestServer = await startServer(gateway.handle);
  gatewayUrl = gatewayServer.baseUrl;
  const managementServer = await startServer(usagePlans.handle);
  const providers = { ...gateway.providers, ...usagePlans.providers };
  const externals = {
    EchoLambdaFunction: { Arn: functionArn('echo') },
    AuthorizerLambdaFunction: { Arn: functionArn('authorizer') },
  };
  const stack = await deployTemplate(providers, apiTemplate(), externals, 'apis-dev');
  const keysApiId = stack.ref('KeysApi');
  const tenantApiId = stack.ref('TenantApi');
  const sdk = new APIGatewayClient({
    region: REGION,
    endpoint: managementServer.baseUrl,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  return {
    clock,
    usagePlans,
    sdk,
    stack,
    keysApiId,
    tenantApiId,
    url: (api, path) =>
      `${gatewayUrl}/restapis/${api === 'keys' ? keysApiId : tenantApiId}/dev/_user_request_${path}`,
    deploy: (resources, stackName = 'tiers-dev') =>
      deployTemplate(
        providers,
        resources,
        { ...externals, KeysApi: { Ref: keysApiId }, TenantApi: { Ref: tenantApiId } },
        stackName,
      ),
    async close() {
      sdk.destroy();
      await usagePlans.flush();
      await Promise.all([gatewayServer.close(), managementServer.close()]);
    },
  };
}
