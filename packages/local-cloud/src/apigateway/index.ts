/**
 * The local API Gateway (REST, v1): CloudFormation providers for `AWS::ApiGateway::*` and the execute endpoint
 * that serves deployed stages with Lambda proxy / MOCK integrations and Lambda authorizers.
 *
 * @example
 * ```ts
 * const apigateway = createApiGateway({ region, accountId, clock, lambda, baseUrl: () => 'http://127.0.0.1:4000' });
 * engine.register(apigateway.providers);
 * http.createServer(apigateway.handle).listen(4000);
 * apigateway.setBasePath('/control', controlApiId, 'dev'); // http://127.0.0.1:4000/control/...
 * apigateway.urlOf(controlApiId, 'dev'); // http://127.0.0.1:4000/restapis/<id>/dev/_user_request_
 * ```
 */
import type { Clock, HttpHandler, LambdaInvoker, ProviderMap } from '../types.js';
import { createAuthorizerRunner } from './authorizers.js';
import { createPipeline } from './gateway.js';
import type { BeforeAuthorizationHook, BeforeIntegrationHook } from './model.js';
import { createProviders } from './providers.js';
import { createRegistry, normaliseBasePath } from './registry.js';

export { InvalidPropertyError } from '../errors.js';
export { ApiGatewayError, ConflictError, NotFoundError, UnsupportedFeatureError } from './errors.js';
export type {
  BeforeAuthorizationContext,
  BeforeAuthorizationHook,
  BeforeAuthorizationResult,
  BeforeIntegrationContext,
  BeforeIntegrationHook,
  BeforeIntegrationResult,
  GatewayResponseType,
} from './model.js';

export interface ApiGatewayOptions {
  region: string;
  accountId: string;
  clock: Clock;
  lambda: LambdaInvoker;
  /** The server's base URL, known after listen, e.g. `http://127.0.0.1:4000`. */
  baseUrl: () => string;
  /** Runs after authorization and before the integration (usage plans, API keys). */
  beforeIntegration?: BeforeIntegrationHook;
  /** Runs once the API stage is known, before routing and authorization (WAF web ACLs). */
  beforeAuthorization?: BeforeAuthorizationHook;
  /** Unexpected failures (an invoker that throws, a pipeline bug); defaults to a line on stderr. */
  onError?: (error: unknown, where: string) => void;
}

export interface ApiGatewayEmulator {
  /** Serves execute requests: base path mappings first (longest prefix), then `/restapis/{id}/{stage}/_user_request_/…`. */
  handle: HttpHandler;
  providers: ProviderMap;
  /** Maps `basePath` (e.g. `/control`; `/` for the root) to an API stage, like a custom domain's base path mapping. */
  setBasePath(basePath: string, restApiId: string, stage: string): void;
  removeBasePath(basePath: string): void;
  /** `{baseUrl}/restapis/{restApiId}/{stage}/_user_request_` (append the resource path). */
  urlOf(restApiId: string, stage: string): string;
  /** Clears cached authorizer results of an API (one stage, or every stage). */
  flushAuthorizerCache(restApiId: string, stage?: string): void;
  /** Installs (or removes) the hook that runs after authorization and before the integration. */
  setBeforeIntegration(hook: BeforeIntegrationHook | undefined): void;
  /** Installs (or removes) the hook that runs before routing and authorization (WAF). */
  setBeforeAuthorization(hook: BeforeAuthorizationHook | undefined): void;
  /** Ids of the REST APIs deployed now, with their names and served stages (for diagnostics and wiring). */
  listApis(): Array<{ id: string; name: string; stages: string[] }>;
}

export function createApiGateway(opts: ApiGatewayOptions): ApiGatewayEmulator {
  const registry = createRegistry();
  const authorizers = createAuthorizerRunner({ lambda: opts.lambda, clock: opts.clock });
  let hook = opts.beforeIntegration;
  let preAuthorization = opts.beforeAuthorization;
  const onError =
    opts.onError ??
    ((error: unknown, where: string) => {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      process.stderr.write(`[apigateway] ${where}: ${message}\n`);
    });
  const handle = createPipeline({
    region: opts.region,
    accountId: opts.accountId,
    clock: opts.clock,
    lambda: opts.lambda,
    registry,
    authorizers,
    beforeIntegration: () => hook,
    beforeAuthorization: () => preAuthorization,
    onError,
  });
  return {
    handle,
    providers: createProviders({ registry, authorizers }),
    setBasePath: (basePath, restApiId, stage) => registry.setBasePath(basePath, restApiId, stage),
    removeBasePath: (basePath) => registry.removeBasePath(normaliseBasePath(basePath)),
    urlOf: (restApiId, stage) => `${opts.baseUrl()}/restapis/${restApiId}/${stage}/_user_request_`,
    flushAuthorizerCache: (restApiId, stage) => authorizers.flush(restApiId, stage),
    setBeforeIntegration(next) {
      hook = next;
    },
    setBeforeAuthorization(next) {
      preAuthorization = next;
    },
    listApis: () =>
      [...registry.apis.values()].map((api) => ({
        id: api.id,
        name: api.name,
        stages: [...api.stages.keys()],
      })),
  };
}
