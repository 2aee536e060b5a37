/**
 * The whole Tenantry SaaS on the local cloud: deploys every packaged service, maps the contract's
 * base paths, seeds the SystemAdmin and describes the result as the contract's endpoints file.
 *
 * @example
 * const stack = await startDevStack({ root: process.cwd(), ports: { gateway: 0, cognito: 0, dynamodb: 0, aws: 0 } });
 * console.log(stack.endpoints.controlPlaneUrl);
 * await stack.stop();
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { S3Client } from '@aws-sdk/client-s3';
import { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import {
  deployOrder,
  exportNames,
  importNames,
  type LocalCloud,
  type LocalCloudPorts,
  ROOT_CREDENTIALS,
  readPackagedService,
  startLocalCloud,
} from '@tenantry/local-cloud';
import { ensurePageTokenKey } from '@tenantry/tenant-data';
import { prepareRelease, releaseParameters, releaseTenantStack } from '@tenantry/tenant-stack';

/** Every service, the shared-infrastructure one first. */
export const SERVICES = [
  'platform',
  'tenant-management',
  'user-management',
  'registration',
  'products',
  'orders',
] as const;
export type ServiceName = (typeof SERVICES)[number];

/** The contract's `.local/endpoints.json`. */
export interface Endpoints {
  controlPlaneUrl: string;
  pooledAppUrl: string;
  cognitoEndpoint: string;
  dynamodbEndpoint: string;
  outboxUrl: string;
  region: string;
  systemAdmin: { userPoolId: string; appClientId: string; username: string; password: string };
}

export interface DevStackOptions {
  /** The repository root. */
  root: string;
  /** Keeps data between runs (`.local/`); in memory when absent. */
  dataDir?: string;
  ports?: Partial<LocalCloudPorts>;
  stage?: string;
  /** Progress lines ("deployed products (120 ms)"). */
  progress?: (line: string) => void;
  functionLog?: (functionName: string, line: string) => void;
  /** Extra environment variables for every function (test-only switches such as fault injection). */
  functionEnvironment?: Record<string, string>;
}

export interface DevStack {
  cloud: LocalCloud;
  endpoints: Endpoints;
  /** Re-reads one service's package and updates its stack in place. */
  redeploy(service: ServiceName): Promise<void>;
  stop(): Promise<void>;
}

const SYSTEM_ADMIN_EMAIL = 'admin@tenantry.local';

export async function startDevStack(options: DevStackOptions): Promise<DevStack> {
  const stage = options.stage ?? 'dev';
  const progress = options.progress ?? (() => undefined);
  const packaged = deployOrder(
    SERVICES.map((name) => ({ ...readPackagedService(join(options.root, 'services', name)), name })),
  );
  // Read by every function environment the local cloud starts (it spreads this object at each
  // start), so values known only once the cloud listens can be added below, before deploying.
  const functionEnvironment: Record<string, string> = { ...options.functionEnvironment };
  const cloud = await startLocalCloud({
    dataDir: options.dataDir,
    ports: options.ports,
    log: progress,
    functionLog: options.functionLog,
    functionEnvironment,
  });
  // The pooled application API as clients reach it: the local /app base path stands in for the
  // custom domain (or execute-api URL) the registration service passes to tenants on AWS.
  functionEnvironment.POOLED_APP_URL = `${cloud.endpoints.gateway}/app`;
  try {
    if (packaged.length === 0) throw new Error('no services to deploy');
    // Each stack starts as soon as the stacks whose exports it imports are deployed (e.g. orders
    // imports the products table); independent stacks deploy in parallel.
    const exporter = new Map<string, string>();
    for (const service of packaged)
      for (const name of exportNames(service.template)) exporter.set(name, service.name);
    const deployed = new Map<string, Promise<unknown>>();
    for (const service of packaged) {
      const needs = [...importNames(service.template)]
        .map((name) => deployed.get(exporter.get(name) ?? ''))
        .filter((promise) => promise !== undefined);
      deployed.set(
        service.name,
        Promise.all(needs).then(() =>
          timed(progress, `deployed ${service.name}`, () => cloud.deploy(service)),
        ),
      );
    }
    await Promise.all(deployed.values());

    const platform = cloud.stacks.describe(`tenantry-platform-${stage}`);
    const output = (name: string) => {
      const value = platform?.outputs[name]?.value;
      if (typeof value !== 'string') throw new Error(`the platform stack has no output ${name}`);
      return value;
    };
    await timed(progress, 'seeded the page-token key', () =>
      ensurePageTokenKey(
        new SSMClient({
          region: cloud.services.region,
          endpoint: cloud.endpoints.aws,
          credentials: ROOT_CREDENTIALS,
        }),
        stage,
      ),
    );
    cloud.apigateway.setBasePath('/control', output('ControlPlaneApiId'), stage);
    cloud.apigateway.setBasePath('/app', output('AppApiId'), stage);

    // Platinum registrations create stacks from the released tenant template (docs/tenant-stack.md).
    await timed(progress, 'released the tenant stack', () =>
      releaseLocally(cloud, options.root, stage, progress),
    );

    const userPoolId = output('OperationsUserPoolId');
    const password = await timed(progress, 'seeded the SystemAdmin', () =>
      seedSystemAdmin(cloud, userPoolId, options.dataDir),
    );
    const endpoints: Endpoints = {
      controlPlaneUrl: `${cloud.endpoints.gateway}/control`,
      pooledAppUrl: `${cloud.endpoints.gateway}/app`,
      cognitoEndpoint: cloud.endpoints.cognito,
      dynamodbEndpoint: cloud.endpoints.dynamodb,
      outboxUrl: `${cloud.endpoints.gateway}/_local/outbox`,
      region: cloud.services.region,
      systemAdmin: {
        userPoolId,
        appClientId: output('OperationsUserPoolClientId'),
        username: SYSTEM_ADMIN_EMAIL,
        password,
      },
    };
    return {
      cloud,
      endpoints,
      async redeploy(name) {
        const service = readPackagedService(join(options.root, 'services', name));
        await timed(progress, `redeployed ${name}`, () => cloud.deploy(service));
      },
      stop: () => cloud.stop(),
    };
  } catch (error) {
    await cloud.stop();
    throw error;
  }
}

/** The bucket `pnpm dev` and the tests release the tenant stack into. */
export const artifactBucket = (stage: string): string => `tenantry-${stage}-artifacts`;

/**
 * Runs the tenant stack's release (`pnpm release:tenant-stack`) against the local cloud, so that a
 * platinum registration finds its template and code. Skipped when SSM already names a release of
 * the same content in the same bucket (a restart of `pnpm dev` with unchanged packages); existing
 * tenant stacks are updated by the release when the content changed.
 */
async function releaseLocally(
  cloud: LocalCloud,
  root: string,
  stage: string,
  progress: (line: string) => void,
): Promise<void> {
  const config = {
    region: cloud.services.region,
    endpoint: cloud.endpoints.aws,
    credentials: ROOT_CREDENTIALS,
  };
  const clients = {
    cloudformation: new CloudFormationClient(config),
    s3: new S3Client({ ...config, forcePathStyle: true }),
    ssm: new SSMClient(config),
  };
  const bucket = artifactBucket(stage);
  const names = releaseParameters(stage);
  const { prefix } = prepareRelease(root, stage);
  const { Parameters = [] } = await clients.ssm.send(
    new GetParametersCommand({ Names: [names.artifactPrefix, names.artifactBucket] }),
  );
  const recorded = (name: string) => Parameters.find((p) => p.Name === name)?.Value;
  if (recorded(names.artifactPrefix) === prefix && recorded(names.artifactBucket) === bucket) {
    progress(`tenant stack release ${prefix} is current`);
    return;
  }
  const result = await releaseTenantStack(clients, {
    root,
    stage,
    bucket,
    region: cloud.services.region,
    waveSize: 5,
    wait: { intervalMs: 50, timeoutMs: 120_000 },
    log: (line) => progress(`tenant stack: ${line}`),
  });
  if (!result.ok)
    throw new Error(`the tenant stack release ${result.prefix} failed to update the tenant stacks`);
}

/** The SSM parameter holding the key that seals `nextToken`s (see scripts/init-secrets.ts). */
async function timed<T>(progress: (line: string) => void, what: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  progress(`${what} (${Math.round(performance.now() - started)} ms)`);
  return result;
}

/**
 * Creates the SystemAdmin with a permanent password (no challenge on first login). The password
 * is generated once and kept in the data folder, so it stays the same across restarts.
 */
async function seedSystemAdmin(
  cloud: LocalCloud,
  userPoolId: string,
  dataDir: string | undefined,
): Promise<string> {
  const secretFile = dataDir ? join(dataDir, 'system-admin.json') : undefined;
  const saved =
    secretFile && existsSync(secretFile)
      ? (JSON.parse(readFileSync(secretFile, 'utf8')) as { password: string }).password
      : undefined;
  const password = saved ?? `Adm1n-${randomBytes(12).toString('base64url')}`;
  const cognito = new CognitoIdentityProviderClient({
    region: cloud.services.region,
    endpoint: cloud.endpoints.cognito,
    credentials: ROOT_CREDENTIALS,
  });
  try {
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: userPoolId,
        Username: SYSTEM_ADMIN_EMAIL,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: SYSTEM_ADMIN_EMAIL },
          { Name: 'email_verified', Value: 'true' },
          { Name: 'custom:userRole', Value: 'SystemAdmin' },
        ],
      }),
    );
  } catch (error) {
    if (!(error instanceof UsernameExistsException)) throw error;
  }
  await cognito.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: userPoolId,
      Username: SYSTEM_ADMIN_EMAIL,
      Password: password,
      Permanent: true,
    }),
  );
  if (secretFile && !saved) {
    mkdirSync(dataDir as string, { recursive: true });
    writeFileSync(secretFile, JSON.stringify({ password }), { mode: 0o600 });
  }
  return password;
}
