/**
 * API Gateway resources as `osls package` writes them (names, property shapes and intrinsics), for a small
 * products service: a TOKEN authorizer, a REQUEST authorizer, CORS preflight MOCK methods, a greedy proxy and
 * gateway responses.
 */
import { lambdaUri, type TemplateResource } from './testing.js';

const CORS_ALLOW_HEADERS =
  "'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token,X-Amz-User-Agent,X-Amzn-Trace-Id'";

const restApiId = { Ref: 'ApiGatewayRestApi' };
const rootId = { 'Fn::GetAtt': ['ApiGatewayRestApi', 'RootResourceId'] };

function resource(parent: unknown, pathPart: string, restApi: unknown = restApiId): TemplateResource {
  return {
    Type: 'AWS::ApiGateway::Resource',
    Properties: { ParentId: parent, PathPart: pathPart, RestApiId: restApi },
  };
}

export function proxyMethod(
  httpMethod: string,
  resourceLogicalId: string,
  functionLogicalId: string,
  authorizerLogicalId?: string,
  extra: { timeoutInMillis?: number; restApi?: unknown; resourceId?: unknown } = {},
): TemplateResource {
  const integration: Record<string, unknown> = {
    IntegrationHttpMethod: 'POST',
    Type: 'AWS_PROXY',
    Uri: lambdaUri(functionLogicalId),
  };
  if (extra.timeoutInMillis !== undefined) integration.TimeoutInMillis = extra.timeoutInMillis;
  return {
    Type: 'AWS::ApiGateway::Method',
    Properties: {
      HttpMethod: httpMethod,
      RequestParameters: {},
      ResourceId: extra.resourceId ?? { Ref: resourceLogicalId },
      RestApiId: extra.restApi ?? restApiId,
      ApiKeyRequired: false,
      AuthorizationType: authorizerLogicalId ? 'CUSTOM' : 'NONE',
      ...(authorizerLogicalId ? { AuthorizerId: { Ref: authorizerLogicalId } } : {}),
      Integration: integration,
      MethodResponses: [],
    },
    ...(authorizerLogicalId ? { DependsOn: [authorizerLogicalId] } : {}),
  };
}

export function corsMethod(resourceLogicalId: string, methods: string): TemplateResource {
  return {
    Type: 'AWS::ApiGateway::Method',
    Properties: {
      AuthorizationType: 'NONE',
      HttpMethod: 'OPTIONS',
      MethodResponses: [
        {
          StatusCode: '200',
          ResponseParameters: {
            'method.response.header.Access-Control-Allow-Origin': true,
            'method.response.header.Access-Control-Allow-Headers': true,
            'method.response.header.Access-Control-Allow-Methods': true,
          },
          ResponseModels: {},
        },
      ],
      RequestParameters: {},
      Integration: {
        Type: 'MOCK',
        RequestTemplates: { 'application/json': '{statusCode:200}' },
        ContentHandling: 'CONVERT_TO_TEXT',
        IntegrationResponses: [
          {
            StatusCode: '200',
            ResponseParameters: {
              'method.response.header.Access-Control-Allow-Origin': "'*'",
              'method.response.header.Access-Control-Allow-Headers': CORS_ALLOW_HEADERS,
              'method.response.header.Access-Control-Allow-Methods': `'${methods}'`,
            },
            ResponseTemplates: { 'application/json': '' },
          },
        ],
      },
      ResourceId: { Ref: resourceLogicalId },
      RestApiId: restApiId,
    },
  };
}

function authorizer(
  type: 'TOKEN' | 'REQUEST',
  functionLogicalId: string,
  identitySource: string,
  ttl: number,
) {
  return {
    Type: 'AWS::ApiGateway::Authorizer',
    Properties: {
      IdentitySource: identitySource,
      Name: functionLogicalId.replace(/LambdaFunction$/, '').toLowerCase(),
      RestApiId: restApiId,
      AuthorizerResultTtlInSeconds: ttl,
      AuthorizerUri: lambdaUri(functionLogicalId),
      Type: type,
    },
  } satisfies TemplateResource;
}

/** Lambda functions of the fixture service (logical id → function name); other emulators own them. */
export const FUNCTIONS = {
  ListProductsLambdaFunction: 'products-dev-listProducts',
  GetProductLambdaFunction: 'products-dev-getProduct',
  FeaturedProductsLambdaFunction: 'products-dev-featuredProducts',
  FilesLambdaFunction: 'products-dev-files',
  SlowLambdaFunction: 'products-dev-slow',
  ListOrdersLambdaFunction: 'products-dev-listOrders',
  RootLambdaFunction: 'products-dev-root',
  AuthorizerLambdaFunction: 'products-dev-authorizer',
  TenantAuthorizerLambdaFunction: 'products-dev-tenantAuthorizer',
  NoCacheAuthorizerLambdaFunction: 'products-dev-noCacheAuthorizer',
} as const;

export function productsTemplate(): Record<string, TemplateResource> {
  return {
    ApiGatewayRestApi: {
      Type: 'AWS::ApiGateway::RestApi',
      Properties: {
        Name: 'dev-products',
        EndpointConfiguration: { Types: ['EDGE'] },
        Policy: '',
        ApiKeySourceType: 'AUTHORIZER',
        BinaryMediaTypes: ['image/png'],
      },
    },
    ApiGatewayResourceProducts: resource(rootId, 'products'),
    ApiGatewayResourceProductsFeatured: resource({ Ref: 'ApiGatewayResourceProducts' }, 'featured'),
    ApiGatewayResourceProductsProductidVar: resource({ Ref: 'ApiGatewayResourceProducts' }, '{productId}'),
    ApiGatewayResourceFiles: resource(rootId, 'files'),
    ApiGatewayResourceFilesProxyVar: resource({ Ref: 'ApiGatewayResourceFiles' }, '{proxy+}'),
    ApiGatewayResourceSlow: resource(rootId, 'slow'),
    ApiGatewayResourceOrders: resource(rootId, 'orders'),
    ApiGatewayResourceNocache: resource(rootId, 'nocache'),
    ApiGatewayMethodProductsOptions: corsMethod('ApiGatewayResourceProducts', 'OPTIONS,GET,POST'),
    ApiGatewayMethodProductsGet: proxyMethod(
      'GET',
      'ApiGatewayResourceProducts',
      'ListProductsLambdaFunction',
      'AuthorizerApiGatewayAuthorizer',
    ),
    ApiGatewayMethodProductsPost: proxyMethod(
      'POST',
      'ApiGatewayResourceProducts',
      'ListProductsLambdaFunction',
      'AuthorizerApiGatewayAuthorizer',
    ),
    ApiGatewayMethodProductsProductidVarGet: proxyMethod(
      'GET',
      'ApiGatewayResourceProductsProductidVar',
      'GetProductLambdaFunction',
      'AuthorizerApiGatewayAuthorizer',
    ),
    ApiGatewayMethodProductsFeaturedGet: proxyMethod(
      'GET',
      'ApiGatewayResourceProductsFeatured',
      'FeaturedProductsLambdaFunction',
    ),
    ApiGatewayMethodFilesProxyVarAny: proxyMethod(
      'ANY',
      'ApiGatewayResourceFilesProxyVar',
      'FilesLambdaFunction',
    ),
    ApiGatewayMethodSlowGet: proxyMethod('GET', 'ApiGatewayResourceSlow', 'SlowLambdaFunction', undefined, {
      timeoutInMillis: 100,
    }),
    ApiGatewayMethodOrdersGet: proxyMethod(
      'GET',
      'ApiGatewayResourceOrders',
      'ListOrdersLambdaFunction',
      'TenantAuthorizerApiGatewayAuthorizer',
    ),
    ApiGatewayMethodNocacheGet: proxyMethod(
      'GET',
      'ApiGatewayResourceNocache',
      'ListOrdersLambdaFunction',
      'NoCacheAuthorizerApiGatewayAuthorizer',
    ),
    ApiGatewayMethodGet: {
      ...proxyMethod('GET', '', 'RootLambdaFunction', undefined, { resourceId: rootId }),
    },
    AuthorizerApiGatewayAuthorizer: {
      ...authorizer('TOKEN', 'AuthorizerLambdaFunction', 'method.request.header.Authorization', 300),
    },
    TenantAuthorizerApiGatewayAuthorizer: authorizer(
      'REQUEST',
      'TenantAuthorizerLambdaFunction',
      'method.request.header.Authorization, method.request.querystring.tenant',
      60,
    ),
    NoCacheAuthorizerApiGatewayAuthorizer: {
      Type: 'AWS::ApiGateway::Authorizer',
      Properties: {
        ...authorizer('TOKEN', 'NoCacheAuthorizerLambdaFunction', 'method.request.header.Authorization', 0)
          .Properties,
        IdentityValidationExpression: '^Bearer [A-Za-z0-9._-]+$',
      },
    },
    GatewayResponseDefault4XX: {
      Type: 'AWS::ApiGateway::GatewayResponse',
      Properties: {
        ResponseParameters: {
          'gatewayresponse.header.Access-Control-Allow-Origin': "'*'",
          'gatewayresponse.header.Access-Control-Allow-Headers': "'*'",
        },
        ResponseType: 'DEFAULT_4XX',
        RestApiId: restApiId,
      },
    },
    GatewayResponseUnauthorized: {
      Type: 'AWS::ApiGateway::GatewayResponse',
      Properties: {
        ResponseParameters: {
          'gatewayresponse.header.Access-Control-Allow-Origin': 'method.request.header.Origin',
          'gatewayresponse.header.WWW-Authenticate': "'Bearer'",
        },
        ResponseTemplates: {
          'application/json': '{"message":$context.error.messageString,"requestId":"$context.requestId"}',
        },
        ResponseType: 'UNAUTHORIZED',
        RestApiId: restApiId,
        StatusCode: '401',
      },
    },
    ApiGatewayDeployment1700000000000: {
      Type: 'AWS::ApiGateway::Deployment',
      Properties: { RestApiId: restApiId, StageName: 'dev' },
      DependsOn: [
        'ApiGatewayMethodProductsOptions',
        'ApiGatewayMethodProductsGet',
        'ApiGatewayMethodProductsPost',
        'ApiGatewayMethodProductsProductidVarGet',
        'ApiGatewayMethodProductsFeaturedGet',
        'ApiGatewayMethodFilesProxyVarAny',
        'ApiGatewayMethodSlowGet',
        'ApiGatewayMethodOrdersGet',
        'ApiGatewayMethodNocacheGet',
        'ApiGatewayMethodGet',
      ],
    },
  };
}

/** Lambda functions as the deployer's `externals`: `Fn::GetAtt [<id>, Arn]`. */
export function functionExternals(arnOf: (name: string) => string): Record<string, { Arn: string }> {
  return Object.fromEntries(Object.entries(FUNCTIONS).map(([id, name]) => [id, { Arn: arnOf(name) }]));
}
