/**
 * The local cloud: emulators for the AWS services Tenantry uses, each on its own loopback port,
 * and a CloudFormation engine that deploys the packaged templates into them.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiGateway } from './apigateway/index.js';
import { createAwsRouter } from './aws-router.js';
import { createCloudFormationApi } from './cfn/api.js';
import { deployOrder, StackEngine, type StackRecord, type Template } from './cfn/stacks.js';
import { createClock } from './clock.js';
import { createCognitoEmulator, isPublicRequest } from './cognito/index.js';
import { adminClient, dynamoDbProviders } from './dynamodb/providers.js';
import { createDynamoDbProxy, startDynamoDbLocal } from './dynamodb/server.js';
import { type CredentialsRegistry, createCredentialsRegistry } from './iam/credentials.js';
import { createDynamoDbGuard } from './iam/dynamodb-guard.js';
import { partitionKeyFromDescribeTable } from './iam/dynamodb-keys.js';
import { createIamStore, iamProviders } from './iam/providers.js';
import { type AuthProtocol, createRequestAuthenticator, requireSignature } from './iam/request-auth.js';
import { createLambdaRuntime } from './lambda/index.js';
import { createOutbox } from './outbox.js';
import { createS3Api } from './s3/api.js';
import { s3Providers } from './s3/providers.js';
import { createObjectStore } from './s3/store.js';
import { createSsm } from './ssm/index.js';
import { createStepFunctions } from './stepfunctions/index.js';
import { createSts } from './sts/index.js';
import type { Clock, HttpHandler, LocalCloudServices, LocalEndpoints } from './types.js';
import { createUsagePlans } from './usage-plans/index.js';

export interface LocalCloudPorts {
  gateway: number;
  cognito: number;
  dynamodb: number;
  aws: number;
}

export interface LocalCloudOptions {
  /** Keeps tables, user pools and stacks here between runs; everything lives in memory when absent. */
  dataDir?: string;
  /** 0 picks a free port. Defaults: gateway 4000, cognito 9229, dynamodb 8000, aws 4566. */
  ports?: Partial<LocalCloudPorts>;
  region?: string;
  accountId?: string;
  /** Start-up steps and emulator messages. */
  log?: (line: string) => void;
  /** Extra environment variables for every function (test-only switches). */
  functionEnvironment?: Record<string, string>;
  /** Function console output; defaults to `log`. */
  functionLog?: (functionName: string, line: string) => void;
}

export interface PackagedService {
  /** The service folder holding `.serverless/` from `osls package`. */
  dir: string;
  stackName: string;
  template: Template;
}

export const DEFAULT_PORTS: LocalCloudPorts = { gateway: 4000, cognito: 9229, dynamodb: 8000, aws: 4566 };

/** Persistent state outlives the process; everything else is re-created on each start. */
const PERSISTENT_TYPES = new Set([
  'AWS::DynamoDB::Table',
  'AWS::Cognito::UserPool',
  'AWS::Cognito::UserPoolClient',
  'AWS::Cognito::UserPoolGroup',
]);

export class PortBusyError extends Error {
  override name = 'PortBusyError';
}

/** Reads what `osls package` left in a service folder. */
export function readPackagedService(dir: string): PackagedService {
  const artifactDir = join(dir, '.serverless');
  const templateFile = join(artifactDir, 'cloudformation-template-update-stack.json');
  const stateFile = join(artifactDir, 'serverless-state.json');
  if (!existsSync(templateFile) || !existsSync(stateFile)) {
    throw new Error(`${dir} is not packaged: run \`pnpm package\` (osls package) first`);
  }
  const state = JSON.parse(readFileSync(stateFile, 'utf8')) as {
    service: { service: string; provider: { stage: string } };
  };
  return {
    dir,
    stackName: `${state.service.service}-${state.service.provider.stage}`,
    template: JSON.parse(readFileSync(templateFile, 'utf8')) as Template,
  };
}

export interface LocalCloud {
  endpoints: LocalEndpoints;
  services: LocalCloudServices;
  stacks: StackEngine;
  apigateway: ReturnType<typeof createApiGateway>;
  lambda: ReturnType<typeof createLambdaRuntime>;
  cognito: ReturnType<typeof createCognitoEmulator>;
  usagePlans: ReturnType<typeof createUsagePlans>;
  /** Issues credentials for roles (functions get theirs on start; tests can get a role's too). */
  credentials: CredentialsRegistry;
  /** Deploys (or updates) one packaged service as its stack. */
  deploy(service: PackagedService): Promise<StackRecord>;
  /** Stops every server, worker and child process it started. */
  stop(): Promise<void>;
}

export async function startLocalCloud(options: LocalCloudOptions = {}): Promise<LocalCloud> {
  const log = options.log ?? (() => undefined);
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '000000000000';
  const ports = { ...DEFAULT_PORTS, ...options.ports };
  const clock = createClock();
  const outbox = createOutbox(clock);
  const dataDir = options.dataDir;
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const cleanups: (() => Promise<void> | void)[] = [];
  const stopAll = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };

  try {
    const endpoints: LocalEndpoints = { gateway: '', cognito: '', dynamodb: '', aws: '' };
    const dynamoDir = dataDir ? join(dataDir, 'dynamodb') : undefined;
    if (dynamoDir) mkdirSync(dynamoDir, { recursive: true });
    log('starting DynamoDB Local');
    const dynamo = await startDynamoDbLocal({ dataDir: dynamoDir, log });
    cleanups.push(() => dynamo.stop());

    const iam = createIamStore();
    const credentials = createCredentialsRegistry({ clock, roles: iam, accountId });
    const lambda = createLambdaRuntime({
      region,
      accountId,
      clock,
      codeCacheDir: join(dataDir ?? join(process.cwd(), '.local', 'tmp'), 'lambda-code'),
      baseEnvironment: (fn) => ({
        ...options.functionEnvironment,
        // Each execution environment runs with credentials of its function's execution role.
        ...roleCredentials(credentials, fn.role, fn.functionName),
        AWS_ENDPOINT_URL: endpoints.aws,
        AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
        AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: endpoints.cognito,
        AWS_ENDPOINT_URL_API_GATEWAY: endpoints.aws,
        // Where deployed APIs are served (`{endpoint}/restapis/{id}/{stage}/_user_request_`); unset on AWS.
        AWS_ENDPOINT_URL_EXECUTE_API: endpoints.gateway,
        // Functions declare nodejs22.x; the SDK's warning about running them on a local Node 20 is noise.
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      }),
      log: options.functionLog
        ? (name: string, line: string) => options.functionLog?.(name, line)
        : undefined,
    });
    cleanups.push(() => lambda.close());

    // Without a data folder, objects live in a scratch folder removed on stop.
    const objectDir = dataDir ? join(dataDir, 's3') : mkdtempSync(join(tmpdir(), 'tenantry-s3-'));
    if (!dataDir) cleanups.push(() => rmSync(objectDir, { recursive: true, force: true }));
    const objects = createObjectStore(objectDir);
    const services: LocalCloudServices = { region, accountId, clock, outbox, endpoints, lambda, objects };
    const cognito = createCognitoEmulator({
      clock,
      outbox,
      region,
      accountId,
      endpoint: () => endpoints.cognito,
      dataFile: dataDir ? join(dataDir, 'cognito.json') : undefined,
    });
    cleanups.push(() => cognito.flush());
    const apigateway = createApiGateway({
      region,
      accountId,
      clock,
      lambda,
      baseUrl: () => endpoints.gateway,
    });

    const usagePlans = createUsagePlans({
      region,
      accountId,
      clock,
      dataFile: dataDir ? join(dataDir, 'usage-plans.json') : undefined,
      flushAuthorizerCache: apigateway.flushAuthorizerCache,
      stageExists: (id, stage) =>
        apigateway.listApis().some((api) => api.id === id && api.stages.includes(stage)),
    });
    apigateway.setBeforeAuthorization(usagePlans.beforeAuthorization);
    apigateway.setBeforeIntegration(usagePlans.beforeIntegration);
    cleanups.push(() => usagePlans.flush());
    const stepFunctions = createStepFunctions({
      region,
      accountId,
      clock,
      lambda,
      dataFile: dataDir ? join(dataDir, 'stepfunctions.json') : undefined,
    });
    cleanups.push(() => stepFunctions.close());
    const ssm = createSsm({
      clock,
      region,
      accountId,
      dataFile: dataDir ? join(dataDir, 'ssm.json') : undefined,
    });
    cleanups.push(() => ssm.flush());
    const stacks = new StackEngine({
      cloud: services,
      providers: {
        // The engine creates tables directly in DynamoDB Local, as CloudFormation's service role would.
        ...dynamoDbProviders(adminClient(dynamo.internalEndpoint, region)),
        ...lambda.providers,
        ...apigateway.providers,
        ...cognito.providers,
        ...iamProviders(iam),
        ...s3Providers(objects),
        ...usagePlans.providers,
        ...ssm.providers,
        ...stepFunctions.providers,
      },
      persistentTypes: PERSISTENT_TYPES,
      stateFile: dataDir ? join(dataDir, 'stacks.json') : undefined,
      log,
    });

    const guard = createDynamoDbGuard({
      credentials,
      roles: iam,
      region,
      accountId,
      // Read straight from DynamoDB Local, not through the guard.
      keySchema: partitionKeyFromDescribeTable(adminClient(dynamo.internalEndpoint, region)),
    });

    // Every AWS API verifies SigV4 signatures as AWS does (docs/local-cloud.md, "Signatures").
    const authenticator = createRequestAuthenticator({ credentials, clock, region });
    const signed = (service: string, protocol: AuthProtocol, handler: HttpHandler) =>
      requireSignature(handler, {
        authenticator,
        service,
        protocol,
        ...(service === 's3' ? { payload: 'header' as const } : {}),
      });
    const controls = localControls(services, usagePlans);
    const servers: [keyof LocalCloudPorts, HttpHandler][] = [
      ['dynamodb', createDynamoDbProxy(dynamo.internalEndpoint, () => guard, authenticator)],
      [
        'cognito',
        requireSignature(cognito.handle, {
          authenticator,
          service: 'cognito-idp',
          protocol: 'json-1.1',
          allowUnsigned: isPublicRequest,
        }),
      ],
      [
        'aws',
        createAwsRouter({
          lambda: signed('lambda', 'rest-json', lambda.handle),
          apigateway: signed('apigateway', 'rest-json', usagePlans.handle),
          sts: signed('sts', 'query', createSts({ credentials, roles: iam, accountId }).handle),
          ssm: signed('ssm', 'json-1.1', ssm.handle),
          states: signed('states', 'json-1.0', stepFunctions.handle),
          cloudformation: signed(
            'cloudformation',
            'query',
            createCloudFormationApi({ stacks, objects, log }),
          ),
          s3: signed('s3', 'rest-xml', createS3Api(objects)),
        }),
      ],
      [
        'gateway',
        (req, res) => (req.url?.startsWith('/_local/') ? controls(req, res) : apigateway.handle(req, res)),
      ],
    ];
    for (const [name, handler] of servers) {
      const server = await listen(name, ports[name], handler, clock);
      cleanups.push(() => closeServer(server));
      const address = server.address();
      endpoints[name] =
        `http://127.0.0.1:${typeof address === 'object' && address ? address.port : ports[name]}`;
    }

    // Stacks kept from an earlier run come back as they were (their in-memory parts are re-created).
    const restored = stacks
      .list()
      .filter((stack) => stack.status === 'CREATE_COMPLETE' || stack.status === 'UPDATE_COMPLETE');
    for (const stack of deployOrder(restored)) {
      await stacks
        .deploy({
          stackName: stack.stackName,
          template: stack.template,
          parameters: stack.parameters,
          artifactDir: stack.artifactDir,
          restore: true,
        })
        .catch((error: unknown) =>
          log(
            `could not restore stack ${stack.stackName}: ${error instanceof Error ? error.message : String(error)}`,
          ),
        );
    }
    if (restored.length > 0) log(`restored ${restored.length} stacks`);

    return {
      endpoints,
      services,
      stacks,
      apigateway,
      lambda,
      cognito,
      usagePlans,
      credentials,
      deploy: (service) =>
        stacks.deploy({
          stackName: service.stackName,
          template: service.template,
          artifactDir: join(service.dir, '.serverless'),
        }),
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** The environment variables that give a function its execution role's credentials. */
function roleCredentials(
  registry: CredentialsRegistry,
  roleArn: string | undefined,
  functionName: string,
): Record<string, string> {
  if (!roleArn) return {};
  const issued = registry.credentialsForRole(roleArn, {
    sessionName: functionName,
    servicePrincipal: 'lambda.amazonaws.com',
    durationSeconds: 43_200,
  });
  return {
    AWS_ACCESS_KEY_ID: issued.accessKeyId,
    AWS_SECRET_ACCESS_KEY: issued.secretAccessKey,
    AWS_SESSION_TOKEN: issued.sessionToken,
  };
}

/**
 * Local-only controls on the gateway port: `/_local/outbox` (the contract's outbox),
 * `/_local/clock` (test clock) and `/_local/usage` (served and throttled requests per API key per
 * UTC day: what the access logs give on AWS).
 */
function localControls(
  services: LocalCloudServices,
  usagePlans: ReturnType<typeof createUsagePlans>,
): HttpHandler {
  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
    res.end(JSON.stringify(body));
  };
  return async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://local');
    if (url.pathname === '/_local/outbox' && req.method === 'GET') {
      const to = url.searchParams.get('to');
      if (!to) return json(res, 400, { message: 'query parameter "to" is required' });
      return json(res, 200, { messages: services.outbox.list(to) });
    }
    if (url.pathname === '/_local/clock') {
      if (req.method === 'POST') {
        let body = '';
        for await (const chunk of req) body += chunk;
        const advanceMs = (JSON.parse(body || '{}') as { advanceMs?: unknown }).advanceMs;
        if (typeof advanceMs !== 'number' || advanceMs < 0)
          return json(res, 400, { message: '"advanceMs" must be a positive number' });
        services.clock.advance(advanceMs);
      }
      return json(res, 200, {
        now: new Date(services.clock.now()).toISOString(),
        offsetMs: services.clock.offset(),
      });
    }
    if (url.pathname === '/_local/usage' && req.method === 'GET') {
      const [keyId, from, to] = ['keyId', 'from', 'to'].map((name) => url.searchParams.get(name));
      if (!keyId || !from || !to || !/^\d{4}-\d{2}-\d{2}$/.test(from) || !/^\d{4}-\d{2}-\d{2}$/.test(to)) {
        return json(res, 400, { message: 'query parameters keyId, from and to (YYYY-MM-DD) are required' });
      }
      const usagePlanId = url.searchParams.get('usagePlanId') ?? undefined;
      return json(res, 200, { keyId, days: usagePlans.dailyCounts(keyId, from, to, usagePlanId) });
    }
    return json(res, 404, { message: 'Not Found' });
  };
}

function listen(name: string, port: number, handler: HttpHandler, clock: Clock): Promise<Server> {
  return new Promise((resolveServer, reject) => {
    const server = createServer((req, res) => {
      // Answers are dated by the local cloud's clock: SDK clients correct their clock skew from it.
      res.setHeader('date', new Date(clock.now()).toUTCString());
      Promise.resolve(handler(req, res)).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            message: `local cloud error: ${error instanceof Error ? error.message : String(error)}`,
          }),
        );
      });
    });
    server.keepAliveTimeout = 65_000;
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(
          new PortBusyError(
            `port ${port} (${name}) is busy: stop whatever uses it (another \`pnpm dev\`?) or choose another port with TENANTRY_${name.toUpperCase()}_PORT`,
          ),
        );
      } else reject(error);
    });
    server.listen(port, '127.0.0.1', () => resolveServer(server));
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolveClose) => {
    server.close(() => resolveClose());
    server.closeAllConnections();
  });
}
