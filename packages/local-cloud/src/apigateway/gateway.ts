/** The execute pipeline: resolve API stage → match route → authorize → hook → integration → response. */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { readBody } from '../http.js';
import type { Clock, HttpHandler, LambdaInvoker } from '../types.js';
import type { AuthorizerRunner } from './authorizers.js';
import { IntegrationTimeoutError } from './errors.js';
import {
  buildProxyEvent,
  buildRequestAuthorizerEvent,
  buildRequestContext,
  collectHeaders,
  type EventRequest,
  newRequestIds,
  parseQuery,
  type RequestIds,
} from './events.js';
import { type RequestView, resolveValueSource } from './mapping.js';
import type {
  BeforeAuthorizationHook,
  BeforeIntegrationHook,
  LambdaProxyIntegration,
  MethodThrottleSetting,
  MockIntegration,
  RestApiState,
  StageState,
} from './model.js';
import type { Registry } from './registry.js';
import {
  type CompressionOptions,
  hasHeader,
  parseProxyResponse,
  renderTemplate,
  sendGatewayResponse,
  writeResponse,
} from './responses.js';
import type { RouteMatch } from './router.js';
import { withTimeout } from './timeout.js';

const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
const EXECUTE_PREFIX = '/restapis/';
const USER_REQUEST = '/_user_request_';

export interface PipelineDeps {
  region: string;
  accountId: string;
  clock: Clock;
  lambda: LambdaInvoker;
  registry: Registry;
  authorizers: AuthorizerRunner;
  beforeIntegration: () => BeforeIntegrationHook | undefined;
  /** Optional: emulators built before this hook existed pass nothing. */
  beforeAuthorization?: () => BeforeAuthorizationHook | undefined;
  onError: (error: unknown, where: string) => void;
}

/** Where a request goes once its URL is resolved. */
interface Target {
  api: RestApiState;
  stage: StageState;
  /** Raw path relative to the stage, starting with `/`. */
  apiPath: string;
  /** `event.path`: the API path, or base path + API path through a mapping (as AWS does for custom domains). */
  eventPath: string;
  /** `requestContext.path`: `/{stage}/path`, or base path + API path through a mapping. */
  contextPath: string;
}

export function createPipeline(deps: PipelineDeps): HttpHandler {
  const { registry } = deps;

  function resolveTarget(rawPath: string): Target | undefined {
    let root: Target | undefined | null = null;
    for (const mapping of registry.basePaths) {
      const { basePath } = mapping;
      if (basePath === '') {
        root = stageTarget(mapping.restApiId, mapping.stage, rawPath === '' ? '/' : rawPath, '');
        continue;
      }
      if (
        rawPath === basePath ||
        (rawPath.startsWith(basePath) && rawPath.charCodeAt(basePath.length) === 47)
      ) {
        return stageTarget(mapping.restApiId, mapping.stage, rawPath.slice(basePath.length) || '/', basePath);
      }
    }
    if (rawPath.startsWith(EXECUTE_PREFIX)) {
      const apiEnd = rawPath.indexOf('/', EXECUTE_PREFIX.length);
      const stageEnd = apiEnd === -1 ? -1 : rawPath.indexOf('/', apiEnd + 1);
      if (stageEnd !== -1 && rawPath.startsWith(USER_REQUEST, stageEnd)) {
        const rest = rawPath.slice(stageEnd + USER_REQUEST.length);
        if (rest === '' || rest.charCodeAt(0) === 47) {
          const api = registry.apis.get(rawPath.slice(EXECUTE_PREFIX.length, apiEnd));
          const stage = api?.stages.get(rawPath.slice(apiEnd + 1, stageEnd));
          if (!api || !stage) return undefined;
          const apiPath = rest || '/';
          return { api, stage, apiPath, eventPath: apiPath, contextPath: `/${stage.name}${apiPath}` };
        }
      }
    }
    return root ?? undefined;
  }

  function stageTarget(
    apiId: string,
    stageName: string,
    apiPath: string,
    basePath: string,
  ): Target | undefined {
    const api = registry.apis.get(apiId);
    const stage = api?.stages.get(stageName);
    if (!api || !stage) return undefined;
    const fullPath = basePath === '' ? apiPath : `${basePath}${apiPath === '/' ? '' : apiPath}`;
    return { api, stage, apiPath, eventPath: fullPath, contextPath: fullPath };
  }

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      await serve(req, res);
    } catch (error) {
      deps.onError(error, 'API Gateway pipeline');
      if (!res.headersSent) {
        writeResponse(
          res,
          500,
          { 'Content-Type': 'application/json' },
          '{"message":"Internal server error"}',
          undefined,
        );
      } else res.destroy();
    }
  };

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const queryStart = url.indexOf('?');
    const rawPath = queryStart === -1 ? url : url.slice(0, queryStart);
    const target = resolveTarget(rawPath);
    const nowMs = deps.clock.now();
    const ids = newRequestIds(nowMs);
    if (!target) {
      req.resume();
      writeResponse(
        res,
        404,
        {
          'Content-Type': 'application/json',
          'x-amzn-RequestId': ids.requestId,
          'x-amzn-ErrorType': 'NotFoundException',
        },
        '{"message":"Not Found"}',
        undefined,
      );
      return;
    }
    const { api, stage } = target;
    const httpMethod = req.method ?? 'GET';
    const sourceIp = stripV4Prefix(req.socket.remoteAddress ?? '127.0.0.1');
    const preAuthorization = deps.beforeAuthorization?.();
    if (preAuthorization) {
      const stagePath = `/${stage.name}${target.apiPath === '/' ? '' : target.apiPath}`;
      const verdict = preAuthorization({
        restApiId: api.id,
        stage: stage.name,
        requestId: ids.requestId,
        httpMethod,
        sourceIp,
        headers: req.headers,
        query: queryStart === -1 ? '' : url.slice(queryStart + 1),
        uriPaths: target.contextPath === stagePath ? [stagePath] : [stagePath, target.contextPath],
      });
      if (verdict) {
        req.resume();
        if ('responseType' in verdict) {
          const blockedView: RequestView = {
            headers: req.headers,
            query: {},
            pathParameters: null,
            stageVariables: stage.variables,
            context: { requestId: ids.requestId, stage: stage.name, apiId: api.id, httpMethod },
          };
          sendGatewayResponse(
            res,
            api,
            verdict.responseType,
            ids,
            blockedView,
            verdict.message,
            verdict.statusCode,
          );
        } else {
          writeVerdict(res, verdict, ids);
        }
        return;
      }
    }
    const match = registry.routerFor(api).match(httpMethod, target.apiPath);
    const query = parseQuery(queryStart === -1 ? '' : url.slice(queryStart + 1));
    if (!match) {
      req.resume();
      const view: RequestView = {
        headers: req.headers,
        query: query.query,
        pathParameters: null,
        stageVariables: stage.variables,
        context: { requestId: ids.requestId, stage: stage.name, apiId: api.id, httpMethod },
      };
      sendGatewayResponse(res, api, 'MISSING_AUTHENTICATION_TOKEN', ids, view);
      return;
    }

    const rawBody = hasBody(req) ? await requestBody(req) : null;
    const { headers, multiValueHeaders } = collectHeaders(
      req,
      sourceIp,
      String(req.socket.localPort ?? ''),
      ids.traceId,
    );
    const request: EventRequest = {
      resource: match.resource.path,
      path: target.eventPath,
      httpMethod,
      headers,
      multiValueHeaders,
      query: query.query,
      multiQuery: query.multiQuery,
      pathParameters: match.pathParameters,
      stageVariables: stage.variables,
    };
    const requestContext = buildRequestContext({
      accountId: deps.accountId,
      apiId: api.id,
      stage: stage.name,
      deploymentId: stage.deploymentId,
      resourceId: match.resource.id,
      resourcePath: match.resource.path,
      httpMethod,
      path: target.contextPath,
      protocol: `HTTP/${req.httpVersion}`,
      host: req.headers.host ?? '127.0.0.1',
      ids,
      nowMs,
      sourceIp,
      userAgent: req.headers['user-agent'] ?? null,
    });
    const view: RequestView = {
      headers: req.headers,
      query: query.query,
      pathParameters: match.pathParameters,
      stageVariables: stage.variables,
      context: requestContext,
    };
    if (rawBody === 'too-large') {
      sendGatewayResponse(res, api, 'REQUEST_TOO_LARGE', ids, view);
      return;
    }

    // Authorization
    const methodConfig = match.method;
    let usageIdentifierKey: string | undefined;
    if (methodConfig.authorizationType === 'CUSTOM') {
      const authorizer = api.authorizers.get(methodConfig.authorizerId ?? '');
      if (!authorizer) {
        sendGatewayResponse(res, api, 'AUTHORIZER_CONFIGURATION_ERROR', ids, view);
        return;
      }
      const methodArn = `arn:aws:execute-api:${deps.region}:${deps.accountId}:${api.id}/${stage.name}/${httpMethod}/${target.apiPath.slice(1)}`;
      const answer = deps.authorizers.authorize({
        apiId: api.id,
        stage: stage.name,
        authorizer,
        methodArn,
        view,
        requestEvent: () => buildRequestAuthorizerEvent(request, { ...requestContext }, methodArn),
        timeoutMs: 29_000,
      });
      const outcome = answer instanceof Promise ? await answer : answer;
      if (!outcome.ok) {
        sendGatewayResponse(res, api, outcome.responseType, ids, view, outcome.message);
        return;
      }
      requestContext.authorizer = outcome.authorizer;
      usageIdentifierKey = outcome.usageIdentifierKey;
    }

    // Hook for usage plans / API keys.
    const hook = deps.beforeIntegration();
    if (hook) {
      const apiKeyHeader = req.headers['x-api-key'];
      const verdict = hook({
        restApiId: api.id,
        stage: stage.name,
        requestId: ids.requestId,
        resourcePath: match.resource.path,
        httpMethod,
        sourceIp,
        apiKeyRequired: methodConfig.apiKeyRequired,
        apiKeySourceType: api.apiKeySourceType,
        ...(typeof apiKeyHeader === 'string' ? { apiKeyHeader } : {}),
        ...(usageIdentifierKey !== undefined ? { usageIdentifierKey } : {}),
        ...methodThrottleFor(stage, match.resource.path, httpMethod),
      });
      if (verdict) {
        if ('responseType' in verdict) {
          sendGatewayResponse(res, api, verdict.responseType, ids, view, verdict.message, verdict.statusCode);
          return;
        }
        if ('statusCode' in verdict) {
          writeVerdict(res, verdict, ids);
          return;
        }
        const identity = requestContext.identity as Record<string, unknown>;
        if (verdict.apiKey !== undefined) identity.apiKey = verdict.apiKey;
        if (verdict.apiKeyId !== undefined) identity.apiKeyId = verdict.apiKeyId;
      }
    }

    const integration = methodConfig.integration;
    if (integration.type === 'MOCK') {
      sendMockResponse(res, api, integration, ids, view);
      return;
    }
    const binary = rawBody !== null && isBinary(api, req.headers['content-type']);
    const body = rawBody === null ? null : binary ? rawBody.toString('base64') : rawBody.toString('utf8');
    const event = buildProxyEvent(request, requestContext, body, binary);
    await invokeProxy(req, res, api, integration, event, ids, view, match);
  }

  async function invokeProxy(
    req: IncomingMessage,
    res: ServerResponse,
    api: RestApiState,
    integration: LambdaProxyIntegration,
    event: Record<string, unknown>,
    ids: RequestIds,
    view: RequestView,
    match: RouteMatch,
  ): Promise<void> {
    let result: Awaited<ReturnType<LambdaInvoker['invoke']>>;
    try {
      result = await withTimeout(deps.lambda.invoke(integration.functionArn, event), integration.timeoutMs);
    } catch (error) {
      if (error instanceof IntegrationTimeoutError) {
        sendGatewayResponse(res, api, 'INTEGRATION_TIMEOUT', ids, view);
        return;
      }
      deps.onError(
        error,
        `invoking ${integration.functionArn} for ${match.method.httpMethod} ${match.resource.path}`,
      );
      sendGatewayResponse(res, api, 'API_CONFIGURATION_ERROR', ids, view);
      return;
    }
    const response = result.ok ? parseProxyResponse(result.payload) : undefined;
    if (!response) {
      sendGatewayResponse(res, api, 'DEFAULT_5XX', ids, view);
      return;
    }
    const headers = response.headers;
    if (!hasHeader(headers, 'content-type')) headers['Content-Type'] = 'application/json';
    headers['x-amzn-RequestId'] = ids.requestId;
    headers['x-amz-apigw-id'] = ids.extendedRequestId;
    headers['X-Amzn-Trace-Id'] = ids.traceId;
    writeResponse(res, response.statusCode, headers, response.body, compressionFor(api, req));
  }

  function sendMockResponse(
    res: ServerResponse,
    api: RestApiState,
    integration: MockIntegration,
    ids: RequestIds,
    view: RequestView,
  ): void {
    const status = String(integration.statusCode);
    let chosen = integration.responses.find((r) => r.selectionPattern?.test(status));
    chosen ??= integration.responses.find((r) => r.selectionPattern === undefined);
    if (!chosen) {
      sendGatewayResponse(res, api, 'API_CONFIGURATION_ERROR', ids, view, 'Internal server error', 500);
      return;
    }
    const headers: OutgoingHttpHeaders = {};
    for (const [name, source] of chosen.headers) {
      const value = resolveValueSource(source, view);
      if (value !== undefined) headers[name] = value;
    }
    if (!hasHeader(headers, 'content-type')) headers['Content-Type'] = chosen.contentType;
    Object.assign(headers, standardHeaders(ids));
    writeResponse(
      res,
      chosen.statusCode,
      headers,
      renderTemplate(chosen.body, view.context, view.stageVariables),
      undefined,
    );
  }
}

/** The stage's throttling for one method: the method's own setting, else the `/*` `*` default. */
function methodThrottleFor(
  stage: StageState,
  resourcePath: string,
  httpMethod: string,
): { methodThrottle?: { rateLimit: number; burstLimit: number } } {
  if (stage.methodThrottles.length === 0) return {};
  let specific: MethodThrottleSetting | undefined;
  let general: MethodThrottleSetting | undefined;
  for (const setting of stage.methodThrottles) {
    if (setting.httpMethod !== httpMethod && setting.httpMethod !== '*') continue;
    if (setting.resourcePath === resourcePath) specific = setting;
    else if (setting.resourcePath === '/*') general = setting;
  }
  const found = specific ?? general;
  return found ? { methodThrottle: { rateLimit: found.rateLimit, burstLimit: found.burstLimit } } : {};
}

function standardHeaders(ids: RequestIds): OutgoingHttpHeaders {
  return { 'x-amzn-RequestId': ids.requestId, 'x-amz-apigw-id': ids.extendedRequestId };
}

/** Answers the response a hook rejected the request with. */
function writeVerdict(
  res: ServerResponse,
  verdict: { statusCode: number; body: string; headers?: Record<string, string> },
  ids: RequestIds,
): void {
  writeResponse(
    res,
    verdict.statusCode,
    { 'Content-Type': 'application/json', ...verdict.headers, ...standardHeaders(ids) },
    verdict.body,
    undefined,
  );
}

function compressionFor(api: RestApiState, req: IncomingMessage): CompressionOptions | undefined {
  if (api.minimumCompressionSize === undefined) return undefined;
  return { minimumSize: api.minimumCompressionSize, acceptEncoding: req.headers['accept-encoding'] };
}

function isBinary(api: RestApiState, contentType: string | undefined): boolean {
  if (api.binaryMediaTypes.length === 0 || contentType === undefined) return false;
  const type = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  for (const pattern of api.binaryMediaTypes) {
    if (pattern === '*/*' || pattern === type) return true;
    if (pattern.endsWith('/*') && type.startsWith(pattern.slice(0, -1))) return true;
  }
  return false;
}

function stripV4Prefix(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

/** Whether the request announces a body; a request without one is drained here. */
function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  if ((length === undefined || length === '0') && req.headers['transfer-encoding'] === undefined) {
    req.resume();
    return false;
  }
  return true;
}

/** The request body, null when it is empty, or 'too-large' past API Gateway's 10 MB limit. */
async function requestBody(req: IncomingMessage): Promise<Buffer | null | 'too-large'> {
  const length = req.headers['content-length'];
  if (length !== undefined && Number(length) > MAX_PAYLOAD_BYTES) {
    req.resume();
    return 'too-large';
  }
  const body = await readBody(req, MAX_PAYLOAD_BYTES);
  return body === undefined ? 'too-large' : body.length === 0 ? null : body;
}
