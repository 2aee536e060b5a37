/** CloudFormation providers for AWS::ApiGateway::* resources (properties arrive with intrinsics resolved). */

import { InvalidPropertyError } from '../errors.js';
import { optionalBoolean, optionalNumber, optionalString, type Props, requireString } from '../properties.js';
import type { ProviderMap, ResourceProvider } from '../types.js';
import type { AuthorizerRunner } from './authorizers.js';
import { ConflictError, NotFoundError, UnsupportedFeatureError } from './errors.js';
import { parseValueSource } from './mapping.js';
import type {
  AuthorizerConfig,
  GatewayResponseConfig,
  Integration,
  MethodConfig,
  MethodThrottleSetting,
  MockIntegrationResponse,
  RestApiState,
  ValueSource,
} from './model.js';
import { newId, type Registry } from './registry.js';
import { isGatewayResponseType } from './responses.js';

const DEFAULT_INTEGRATION_TIMEOUT_MS = 29_000;
const HTTP_METHODS = new Set(['ANY', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
const LAMBDA_URI =
  /^arn:aws[a-z-]*:apigateway:[a-z0-9-]+:lambda:path\/2015-03-31\/functions\/(.+)\/invocations$/;
const VARIABLE_PART = /^\{[A-Za-z0-9._-]+\+?\}$/;

export interface ProviderDeps {
  registry: Registry;
  authorizers: AuthorizerRunner;
}

export function createProviders(deps: ProviderDeps): ProviderMap {
  const { registry } = deps;

  const restApi: ResourceProvider = {
    async create(ctx, logicalId, props) {
      const what = `${logicalId} (AWS::ApiGateway::RestApi)`;
      for (const key of ['Body', 'BodyS3Location', 'CloneFrom']) {
        if (props[key] !== undefined)
          throw new UnsupportedFeatureError(`${what}: ${key} (OpenAPI import/clone) is not supported`);
      }
      const apiKeySourceType = optionalString(props, 'ApiKeySourceType', what) ?? 'HEADER';
      if (apiKeySourceType !== 'HEADER' && apiKeySourceType !== 'AUTHORIZER') {
        throw new InvalidPropertyError(`${what}: ApiKeySourceType must be HEADER or AUTHORIZER`);
      }
      const binary = props.BinaryMediaTypes;
      if (binary !== undefined && (!Array.isArray(binary) || !binary.every((t) => typeof t === 'string'))) {
        throw new InvalidPropertyError(`${what}: BinaryMediaTypes must be a list of strings`);
      }
      const kept = ctx.previous && !registry.apis.has(ctx.previous.physicalId) ? ctx.previous : undefined;
      const api: RestApiState = {
        id: kept?.physicalId ?? newId(10),
        name: optionalString(props, 'Name', what) ?? logicalId,
        rootResourceId:
          typeof kept?.attributes.RootResourceId === 'string' ? kept.attributes.RootResourceId : newId(10),
        apiKeySourceType,
        binaryMediaTypes: (binary ?? []).map((t: string) => t.replace(/~1/g, '/')),
        resources: new Map(),
        authorizers: new Map(),
        gatewayResponses: new Map(),
        stages: new Map(),
        version: 0,
      };
      const minimumCompressionSize = optionalNumber(props, 'MinimumCompressionSize', what);
      if (minimumCompressionSize !== undefined) api.minimumCompressionSize = minimumCompressionSize;
      api.resources.set(api.rootResourceId, { id: api.rootResourceId, pathPart: '', methods: new Map() });
      registry.apis.set(api.id, api);
      return { physicalId: api.id, attributes: { RootResourceId: api.rootResourceId } };
    },
    async delete(_ctx, physicalId) {
      registry.apis.delete(physicalId);
      deps.authorizers.flush(physicalId);
      for (const [id, deployment] of registry.deployments) {
        if (deployment.restApiId === physicalId) registry.deployments.delete(id);
      }
    },
  };

  const resource: ResourceProvider = {
    async create(ctx, logicalId, props) {
      const what = `${logicalId} (AWS::ApiGateway::Resource)`;
      const api = registry.requireApi(requireString(props, 'RestApiId', what), what);
      const parentId = requireString(props, 'ParentId', what);
      const pathPart = requireString(props, 'PathPart', what);
      const parent = api.resources.get(parentId);
      if (!parent)
        throw new NotFoundError(`${what}: parent resource ${parentId} does not exist in API ${api.id}`);
      if (pathPart.includes('/')) throw new InvalidPropertyError(`${what}: PathPart must not contain "/"`);
      if (/^\{.*\+\}$/.test(parent.pathPart)) {
        throw new InvalidPropertyError(
          `${what}: a greedy resource (${parent.pathPart}) cannot have children`,
        );
      }
      const variable = VARIABLE_PART.test(pathPart);
      if (pathPart.includes('{') && !variable)
        throw new InvalidPropertyError(`${what}: invalid PathPart ${pathPart}`);
      for (const sibling of api.resources.values()) {
        if (sibling.parentId !== parentId) continue;
        if (sibling.pathPart === pathPart) {
          throw new ConflictError(
            `${what}: another resource with the same parent already has the name ${pathPart}`,
          );
        }
        if (variable && VARIABLE_PART.test(sibling.pathPart)) {
          throw new ConflictError(
            `${what}: a sibling (${sibling.pathPart}) of this resource already has a variable path part -- only one is allowed`,
          );
        }
      }
      const id =
        ctx.previous && !api.resources.has(ctx.previous.physicalId) ? ctx.previous.physicalId : newId(6);
      api.resources.set(id, { id, parentId, pathPart, methods: new Map() });
      registry.touch(api);
      return { physicalId: id };
    },
    async delete(_ctx, physicalId, props) {
      const api = registry.apis.get(String(props.RestApiId));
      if (!api) return;
      // CloudFormation deletes children first; any left (another stack's) become unreachable, not deleted.
      api.resources.delete(physicalId);
      registry.touch(api);
    },
  };

  const method: ResourceProvider = {
    async create(_ctx, logicalId, props) {
      const what = `${logicalId} (AWS::ApiGateway::Method)`;
      const api = registry.requireApi(requireString(props, 'RestApiId', what), what);
      const resourceId = requireString(props, 'ResourceId', what);
      const target = api.resources.get(resourceId);
      if (!target) throw new NotFoundError(`${what}: resource ${resourceId} does not exist in API ${api.id}`);
      const httpMethod = requireString(props, 'HttpMethod', what).toUpperCase();
      if (!HTTP_METHODS.has(httpMethod))
        throw new InvalidPropertyError(`${what}: unknown HttpMethod ${httpMethod}`);
      if (target.methods.has(httpMethod)) {
        throw new ConflictError(`${what}: method ${httpMethod} already exists on resource ${resourceId}`);
      }
      const authorizationType = (optionalString(props, 'AuthorizationType', what) ?? 'NONE').toUpperCase();
      const config: MethodConfig = {
        restApiId: api.id,
        resourceId,
        httpMethod,
        authorizationType: 'NONE',
        apiKeyRequired: optionalBoolean(props, 'ApiKeyRequired', what) ?? false,
        integration: parseIntegration(props.Integration, what),
      };
      if (authorizationType === 'CUSTOM') {
        const authorizerId = requireString(props, 'AuthorizerId', what);
        if (!api.authorizers.has(authorizerId)) {
          throw new NotFoundError(`${what}: authorizer ${authorizerId} does not exist in API ${api.id}`);
        }
        config.authorizationType = 'CUSTOM';
        config.authorizerId = authorizerId;
      } else if (authorizationType !== 'NONE') {
        throw new UnsupportedFeatureError(
          `${what}: AuthorizationType ${authorizationType} is not supported by the local API Gateway (use NONE or CUSTOM)`,
        );
      }
      target.methods.set(httpMethod, config);
      registry.touch(api);
      return { physicalId: `${api.id}|${resourceId}|${httpMethod}` };
    },
    async delete(_ctx, physicalId) {
      const [apiId, resourceId, httpMethod] = physicalId.split('|');
      const api = registry.apis.get(apiId ?? '');
      const target = api?.resources.get(resourceId ?? '');
      if (!api || !target || httpMethod === undefined) return;
      target.methods.delete(httpMethod);
      registry.touch(api);
    },
  };

  const authorizer: ResourceProvider = {
    async create(ctx, logicalId, props) {
      const what = `${logicalId} (AWS::ApiGateway::Authorizer)`;
      const api = registry.requireApi(requireString(props, 'RestApiId', what), what);
      const type = requireString(props, 'Type', what).toUpperCase();
      if (type !== 'TOKEN' && type !== 'REQUEST') {
        throw new UnsupportedFeatureError(
          `${what}: authorizer Type ${type} is not supported by the local API Gateway (use a TOKEN or REQUEST Lambda authorizer)`,
        );
      }
      const functionArn = lambdaFunctionArn(
        requireString(props, 'AuthorizerUri', what),
        `${what}: AuthorizerUri`,
      );
      const ttlSeconds = optionalNumber(props, 'AuthorizerResultTtlInSeconds', what) ?? 300;
      if (!Number.isInteger(ttlSeconds) || ttlSeconds < 0 || ttlSeconds > 3600) {
        throw new InvalidPropertyError(
          `${what}: AuthorizerResultTtlInSeconds must be an integer from 0 to 3600`,
        );
      }
      const identitySource = optionalString(props, 'IdentitySource', what) ?? '';
      const identitySources = identitySource
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '')
        .map((s) => parseIdentitySource(s, what));
      if (type === 'TOKEN' && (identitySources.length !== 1 || identitySources[0]?.kind !== 'header')) {
        throw new InvalidPropertyError(
          `${what}: a TOKEN authorizer needs one IdentitySource method.request.header.X`,
        );
      }
      if (type === 'REQUEST' && ttlSeconds > 0 && identitySources.length === 0) {
        throw new InvalidPropertyError(
          `${what}: a REQUEST authorizer with caching enabled needs an IdentitySource`,
        );
      }
      const config: AuthorizerConfig = {
        id:
          ctx.previous && !api.authorizers.has(ctx.previous.physicalId) ? ctx.previous.physicalId : newId(6),
        name: optionalString(props, 'Name', what) ?? logicalId,
        type,
        functionArn,
        identitySources,
        ttlSeconds,
      };
      const expression = optionalString(props, 'IdentityValidationExpression', what);
      if (expression && type === 'TOKEN') {
        try {
          config.validation = new RegExp(`^(?:${expression})$`);
        } catch (error) {
          throw new InvalidPropertyError(`${what}: invalid IdentityValidationExpression`, { cause: error });
        }
      }
      api.authorizers.set(config.id, config);
      return { physicalId: config.id, attributes: { AuthorizerId: config.id } };
    },
    async delete(_ctx, physicalId, props) {
      const api = registry.apis.get(String(props.RestApiId));
      if (!api) return;
      api.authorizers.delete(physicalId);
      deps.authorizers.forgetAuthorizer(api.id, physicalId);
    },
  };

  const deployment: ResourceProvider = {
    async create(_ctx, logicalId, props) {
      const what = `${logicalId} (AWS::ApiGateway::Deployment)`;
      const api = registry.requireApi(requireString(props, 'RestApiId', what), what);
      const id = newId(6);
      const stageName = optionalString(props, 'StageName', what);
      registry.deployments.set(
        id,
        stageName === undefined ? { restApiId: api.id } : { restApiId: api.id, stageName },
      );
      if (stageName !== undefined) {
        const description = props.StageDescription;
        const variables = isRecord(description)
          ? stringMap(description.Variables, `${what}: StageDescription.Variables`)
          : null;
        const methodThrottles = isRecord(description)
          ? parseMethodThrottles(description, `${what}: StageDescription`)
          : [];
        registry.addStageOwner(api, stageName, `deployment:${id}`, {
          variables,
          deploymentId: id,
          methodThrottles,
        });
      }
      return { physicalId: id, attributes: { DeploymentId: id } };
    },
    async delete(_ctx, physicalId) {
      const record = registry.deployments.get(physicalId);
      registry.deployments.delete(physicalId);
      const api = record && registry.apis.get(record.restApiId);
      if (!api || record?.stageName === undefined) return;
      registry.removeStageOwner(api, record.stageName, `deployment:${physicalId}`);
    },
  };

  const stage: ResourceProvider = {
    async create(_ctx, logicalId, props) {
      const what = `${logicalId} (AWS::ApiGateway::Stage)`;
      const api = registry.requireApi(requireString(props, 'RestApiId', what), what);
      const stageName = requireString(props, 'StageName', what);
      const deploymentId = optionalString(props, 'DeploymentId', what);
      if (deploymentId !== undefined && !registry.deployments.has(deploymentId)) {
        throw new NotFoundError(`${what}: deployment ${deploymentId} does not exist`);
      }
      const variables = stringMap(props.Variables, `${what}: Variables`);
      const methodThrottles = parseMethodThrottles({ MethodSettings: props.MethodSettings }, what);
      registry.addStageOwner(
        api,
        stageName,
        `stage:${stageName}`,
        deploymentId === undefined
          ? { variables, methodThrottles }
          : { variables, deploymentId, methodThrottles },
      );
      return { physicalId: stageName };
    },
    async delete(_ctx, physicalId, props) {
      const api = registry.apis.get(String(props.RestApiId));
      if (!api) return;
      registry.removeStageOwner(api, physicalId, `stage:${physicalId}`);
      deps.authorizers.flush(api.id, physicalId);
    },
  };

  /** physical id → the response it put in place (a later one of the same type replaces it, as PutGatewayResponse does). */
  const gatewayResponseIds = new Map<string, { apiId: string; config: GatewayResponseConfig }>();
  const gatewayResponse: ResourceProvider = {
    async create(_ctx, logicalId, props) {
      const what = `${logicalId} (AWS::ApiGateway::GatewayResponse)`;
      const api = registry.requireApi(requireString(props, 'RestApiId', what), what);
      const type = requireString(props, 'ResponseType', what);
      if (!isGatewayResponseType(type))
        throw new InvalidPropertyError(`${what}: unknown ResponseType ${type}`);
      const headers: Array<[string, ValueSource]> = [];
      const parameters = props.ResponseParameters;
      if (parameters !== undefined) {
        if (!isRecord(parameters))
          throw new InvalidPropertyError(`${what}: ResponseParameters must be a map`);
        for (const [key, value] of Object.entries(parameters)) {
          if (!key.startsWith('gatewayresponse.header.') || typeof value !== 'string') {
            throw new InvalidPropertyError(
              `${what}: ResponseParameters entries must be gatewayresponse.header.X: "<expression>" (got ${key})`,
            );
          }
          headers.push([
            key.slice('gatewayresponse.header.'.length),
            parseValueSource(value, `${what}: ${key}`),
          ]);
        }
      }
      const config: GatewayResponseConfig = {
        type,
        headers,
        templates: stringMap(props.ResponseTemplates, `${what}: ResponseTemplates`) ?? {},
      };
      const statusCode = optionalNumber(props, 'StatusCode', what);
      if (statusCode !== undefined) config.statusCode = statusCode;
      api.gatewayResponses.set(type, config);
      const id = `${newId(6)}`;
      gatewayResponseIds.set(id, { apiId: api.id, config });
      return { physicalId: id };
    },
    async delete(_ctx, physicalId) {
      const record = gatewayResponseIds.get(physicalId);
      gatewayResponseIds.delete(physicalId);
      const api = record && registry.apis.get(record.apiId);
      if (!api || !record) return;
      if (api.gatewayResponses.get(record.config.type) === record.config)
        api.gatewayResponses.delete(record.config.type);
    },
  };

  const account: ResourceProvider = {
    async create() {
      return { physicalId: `account-${newId(6)}` };
    },
    async delete() {},
  };

  const basePathMapping: ResourceProvider = {
    async create(_ctx, logicalId, props) {
      const what = `${logicalId} (AWS::ApiGateway::BasePathMapping)`;
      const api = registry.requireApi(requireString(props, 'RestApiId', what), what);
      const basePath = optionalString(props, 'BasePath', what) ?? '';
      const stageName = requireString(props, 'Stage', what);
      registry.setBasePath(basePath, api.id, stageName);
      return { physicalId: `${basePath}|${api.id}|${stageName}` };
    },
    async delete(_ctx, physicalId) {
      const [basePath = '', apiId, stageName] = physicalId.split('|');
      const current = registry.basePaths.find((m) => m.restApiId === apiId && m.stage === stageName);
      if (current) registry.removeBasePath(basePath);
    },
  };

  return {
    'AWS::ApiGateway::RestApi': restApi,
    'AWS::ApiGateway::Resource': resource,
    'AWS::ApiGateway::Method': method,
    'AWS::ApiGateway::Authorizer': authorizer,
    'AWS::ApiGateway::Deployment': deployment,
    'AWS::ApiGateway::Stage': stage,
    'AWS::ApiGateway::GatewayResponse': gatewayResponse,
    'AWS::ApiGateway::Account': account,
    'AWS::ApiGateway::BasePathMapping': basePathMapping,
  };
}

function parseIntegration(raw: unknown, what: string): Integration {
  if (!isRecord(raw)) throw new InvalidPropertyError(`${what}: Integration is required`);
  const type = requireString(raw, 'Type', `${what}: Integration`).toUpperCase();
  if (type === 'AWS_PROXY') {
    const timeoutMs =
      optionalNumber(raw, 'TimeoutInMillis', `${what}: Integration`) ?? DEFAULT_INTEGRATION_TIMEOUT_MS;
    return {
      type,
      functionArn: lambdaFunctionArn(
        requireString(raw, 'Uri', `${what}: Integration`),
        `${what}: Integration.Uri`,
      ),
      timeoutMs,
    };
  }
  if (type === 'MOCK') return parseMockIntegration(raw, what);
  throw new UnsupportedFeatureError(
    `${what}: Integration Type ${type} is not supported by the local API Gateway (use AWS_PROXY or MOCK)`,
  );
}

function parseMockIntegration(raw: Props, what: string): Integration {
  const templates = stringMap(raw.RequestTemplates, `${what}: Integration.RequestTemplates`);
  const template = templates?.['application/json'] ?? Object.values(templates ?? {})[0] ?? '';
  const statusMatch = /"?statusCode"?\s*:\s*"?(\d{3})/.exec(template);
  const responses: MockIntegrationResponse[] = [];
  const list = raw.IntegrationResponses ?? [];
  if (!Array.isArray(list))
    throw new InvalidPropertyError(`${what}: Integration.IntegrationResponses must be a list`);
  for (const entry of list) {
    if (!isRecord(entry)) throw new InvalidPropertyError(`${what}: every IntegrationResponse must be a map`);
    const where = `${what}: IntegrationResponse`;
    const statusCode = optionalNumber(entry, 'StatusCode', where);
    if (statusCode === undefined) throw new InvalidPropertyError(`${where} needs a StatusCode`);
    const response: MockIntegrationResponse = {
      statusCode,
      headers: [],
      body: '',
      contentType: 'application/json',
    };
    const pattern = optionalString(entry, 'SelectionPattern', where);
    if (pattern) response.selectionPattern = new RegExp(`^(?:${pattern})$`);
    const parameters = entry.ResponseParameters;
    if (parameters !== undefined) {
      if (!isRecord(parameters)) throw new InvalidPropertyError(`${where}: ResponseParameters must be a map`);
      for (const [key, value] of Object.entries(parameters)) {
        if (!key.startsWith('method.response.header.') || typeof value !== 'string') {
          throw new InvalidPropertyError(`${where}: unsupported ResponseParameters entry ${key}`);
        }
        response.headers.push([
          key.slice('method.response.header.'.length),
          parseValueSource(value, `${where}: ${key}`),
        ]);
      }
    }
    const responseTemplates = stringMap(entry.ResponseTemplates, `${where}: ResponseTemplates`);
    if (responseTemplates) {
      const json = responseTemplates['application/json'];
      const first = Object.entries(responseTemplates)[0];
      if (json !== undefined) response.body = json;
      else if (first) [response.contentType, response.body] = first;
    }
    responses.push(response);
  }
  return { type: 'MOCK', statusCode: statusMatch?.[1] ? Number(statusMatch[1]) : 200, responses };
}

/** Account-level defaults that apply to a throttling value a method setting leaves out. */
const ACCOUNT_RATE_LIMIT = 10_000;
const ACCOUNT_BURST_LIMIT = 5_000;

/**
 * Throttling from `MethodSettings` (and, for a Deployment's StageDescription, its top-level
 * ThrottlingRateLimit/ThrottlingBurstLimit, which apply to every method). Settings without throttling are skipped.
 */
function parseMethodThrottles(source: Props, what: string): MethodThrottleSetting[] {
  const settings: MethodThrottleSetting[] = [];
  const add = (entry: Props, resourcePath: string, httpMethod: string) => {
    const rate = optionalNumber(entry, 'ThrottlingRateLimit', what);
    const burst = optionalNumber(entry, 'ThrottlingBurstLimit', what);
    if (rate === undefined && burst === undefined) return;
    settings.push({
      resourcePath,
      httpMethod,
      rateLimit: rate ?? ACCOUNT_RATE_LIMIT,
      burstLimit: burst ?? ACCOUNT_BURST_LIMIT,
    });
  };
  add(source, '/*', '*');
  const list = source.MethodSettings;
  if (list === undefined || list === null) return settings;
  if (!Array.isArray(list)) throw new InvalidPropertyError(`${what}: MethodSettings must be a list`);
  for (const entry of list) {
    if (!isRecord(entry)) throw new InvalidPropertyError(`${what}: every MethodSettings entry must be a map`);
    const rawPath = optionalString(entry, 'ResourcePath', what) ?? '/*';
    const httpMethod = (optionalString(entry, 'HttpMethod', what) ?? '*').toUpperCase();
    // CloudFormation escapes the resource path's slashes: `/~1products~1{productId}`.
    const resourcePath = rawPath === '/*' ? rawPath : rawPath.replace(/~1/g, '/').replace(/^\/\//, '/');
    add(entry, resourcePath, httpMethod);
  }
  return settings;
}

function parseIdentitySource(source: string, what: string): ValueSource {
  const parsed = parseValueSource(source, `${what}: IdentitySource`);
  if (parsed.kind === 'literal' || parsed.kind === 'path') {
    throw new InvalidPropertyError(`${what}: unsupported IdentitySource ${source}`);
  }
  return parsed;
}

/** The function ARN inside an API Gateway Lambda integration URI. */
export function lambdaFunctionArn(uri: string, what: string): string {
  const match = LAMBDA_URI.exec(uri);
  if (!match?.[1]) {
    throw new InvalidPropertyError(
      `${what}: expected arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{functionArn}/invocations, got ${uri}`,
    );
  }
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return match[1];
  }
}

function stringMap(value: unknown, what: string): Record<string, string> | null {
  if (value === undefined || value === null) return null;
  if (!isRecord(value)) throw new InvalidPropertyError(`${what} must be a map of strings`);
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string' && typeof item !== 'number' && typeof item !== 'boolean') {
      throw new InvalidPropertyError(`${what} must be a map of strings`);
    }
    out[key] = String(item);
  }
  return out;
}

function isRecord(value: unknown): value is Props {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
