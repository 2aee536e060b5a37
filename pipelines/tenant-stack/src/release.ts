/**
 * The release step of the tenant stack (`pnpm release:tenant-stack`, after `pnpm package`):
 *
 * 1. builds the tenant template from the packaged services;
 * 2. uploads it and every function zip to `s3://<bucket>/releases/<content hash>/…` (a release of
 *    unchanged code lands in the same folder);
 * 3. records the template URL, artifact prefix and bucket in SSM (`/tenantry/<stage>/tenant-stack/…`),
 *    where new tenant stacks are created from;
 * 4. updates the existing tenant stacks in waves of `--wave-size`, each wave reaching UPDATE_COMPLETE
 *    before the next starts; a failed wave stops the release and is reported (exit code 1).
 *
 *   npx tsx pipelines/tenant-stack/src/release.ts [--stage dev] [--bucket name] [--region us-east-1]
 *     [--endpoint http://127.0.0.1:4566] [--wave-size 5] [--build-only]
 *
 * Locally, point it at the local cloud's AWS endpoint (`--endpoint` or `AWS_ENDPOINT_URL`); on AWS
 * leave the endpoint unset. Same code either way.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { CloudFormationClient, ListStacksCommand, type StackStatus } from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand, HeadBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { ROOT_CREDENTIALS } from '@tenantry/local-cloud';
import { type BuiltTenantTemplate, buildTenantTemplate } from './builder.js';
import { ReleaseError } from './errors.js';
import { releaseParameters, TENANT_STACK_PREFIX } from './names.js';
import { packagedDir, readPackagedServices } from './packaged.js';
import { updateTenantStack, type WaitOptions, waitForStack } from './stacks.js';

export interface ReleaseClients {
  cloudformation: CloudFormationClient;
  s3: S3Client;
  ssm: SSMClient;
}

export interface ReleaseOptions {
  /** The repository root (services/<svc>/.serverless must be packaged). */
  root: string;
  stage: string;
  bucket: string;
  region: string;
  /** Stacks updated at once. */
  waveSize: number;
  /** Which tenant stacks to update (default: all); tests keep the release to their own stacks. */
  includeStack?: (stackName: string) => boolean;
  wait?: WaitOptions;
  log?: (line: string) => void;
}

export interface StackUpdateResult {
  stackName: string;
  /** UPDATE_COMPLETE, UNCHANGED, SKIPPED (not updatable now) or the failed status. */
  status: string;
  reason?: string;
}

export interface ReleaseResult {
  prefix: string;
  templateUrl: string;
  /** Waves that ran, in order. */
  waves: StackUpdateResult[][];
  /** Stacks not updated because a wave failed before their turn. */
  notAttempted: string[];
  ok: boolean;
}

/** The tenant template and the files of a release, with its content-addressed prefix. */
export function prepareRelease(
  root: string,
  stage: string,
): { built: BuiltTenantTemplate; prefix: string; body: string } {
  const built = buildTenantTemplate(readPackagedServices(root, stage));
  const body = JSON.stringify(built.template);
  const hash = createHash('sha256').update(body);
  for (const artifact of [...built.artifacts].sort((a, b) => a.key.localeCompare(b.key))) {
    hash.update(artifact.key).update(readFileSync(join(packagedDir(root, artifact.service), artifact.file)));
  }
  return { built, prefix: `releases/${hash.digest('hex').slice(0, 16)}`, body };
}

/** Virtual-hosted S3 URL, as CloudFormation wants it (the local cloud reads it too). */
export const templateUrlOf = (bucket: string, region: string, key: string) =>
  `https://${bucket}.s3.${region}.amazonaws.com/${key}`;

async function ensureBucket(s3: S3Client, bucket: string): Promise<void> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status !== 404 && (error as Error).name !== 'NotFound') throw error;
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  }
}

/** Names of the existing tenant stacks, with their status. */
export async function listTenantStacks(
  cloudformation: CloudFormationClient,
): Promise<{ stackName: string; status: string }[]> {
  const stacks: { stackName: string; status: string }[] = [];
  let NextToken: string | undefined;
  do {
    const page = await cloudformation.send(new ListStacksCommand({ NextToken }));
    for (const summary of page.StackSummaries ?? []) {
      const status = summary.StackStatus as StackStatus | undefined;
      if (summary.StackName?.startsWith(TENANT_STACK_PREFIX) && status && status !== 'DELETE_COMPLETE')
        stacks.push({ stackName: summary.StackName, status });
    }
    NextToken = page.NextToken;
  } while (NextToken);
  return stacks.sort((a, b) => a.stackName.localeCompare(b.stackName));
}

const UPDATABLE = new Set(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE']);

/** Builds, uploads and records a release, then rolls it out to the tenant stacks in waves. */
export async function releaseTenantStack(
  clients: ReleaseClients,
  options: ReleaseOptions,
): Promise<ReleaseResult> {
  const log = options.log ?? (() => undefined);
  if (!Number.isInteger(options.waveSize) || options.waveSize < 1)
    throw new ReleaseError(`the wave size must be a positive integer (got ${options.waveSize})`);
  const { built, prefix, body } = prepareRelease(options.root, options.stage);
  const { bucket } = options;

  await ensureBucket(clients.s3, bucket);
  for (const artifact of built.artifacts) {
    await clients.s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: `${prefix}/${artifact.key}`,
        Body: readFileSync(join(packagedDir(options.root, artifact.service), artifact.file)),
        ContentType: 'application/zip',
      }),
    );
  }
  const templateKey = `${prefix}/tenant-stack.json`;
  await clients.s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: templateKey, Body: body, ContentType: 'application/json' }),
  );
  const templateUrl = templateUrlOf(bucket, options.region, templateKey);
  log(
    `uploaded ${built.artifacts.length} functions and the template (${body.length} bytes) to s3://${bucket}/${prefix}/`,
  );

  const names = releaseParameters(options.stage);
  for (const [name, value] of [
    [names.templateUrl, templateUrl],
    [names.artifactPrefix, prefix],
    [names.artifactBucket, bucket],
  ] as const) {
    await clients.ssm.send(
      new PutParameterCommand({ Name: name, Value: value, Type: 'String', Overwrite: true }),
    );
  }
  log(`recorded ${names.templateUrl} = ${templateUrl}`);

  const include = options.includeStack ?? (() => true);
  const stacks = (await listTenantStacks(clients.cloudformation)).filter((s) => include(s.stackName));
  const waves: StackUpdateResult[][] = [];
  for (let start = 0; start < stacks.length; start += options.waveSize) {
    const wave = stacks.slice(start, start + options.waveSize);
    log(`wave ${waves.length + 1}: ${wave.map((s) => s.stackName).join(', ')}`);
    const results = await Promise.all(
      wave.map(async ({ stackName, status }): Promise<StackUpdateResult> => {
        if (!UPDATABLE.has(status)) return { stackName, status: 'SKIPPED', reason: `the stack is ${status}` };
        try {
          const changed = await updateTenantStack(clients, {
            stackName,
            templateUrl,
            artifactBucket: bucket,
            artifactPrefix: prefix,
          });
          if (!changed) return { stackName, status: 'UNCHANGED' };
          const done = await waitForStack(clients, stackName, options.wait);
          return {
            stackName,
            status: done.status,
            ...(done.statusReason ? { reason: done.statusReason } : {}),
          };
        } catch (error) {
          return {
            stackName,
            status: 'UPDATE_FAILED',
            reason: error instanceof Error ? error.message : String(error),
          };
        }
      }),
    );
    waves.push(results);
    for (const r of results) log(`  ${r.stackName}: ${r.status}${r.reason ? ` (${r.reason})` : ''}`);
    const failed = results.filter((r) => !['UPDATE_COMPLETE', 'UNCHANGED', 'SKIPPED'].includes(r.status));
    if (failed.length > 0) {
      const notAttempted = stacks.slice(start + options.waveSize).map((s) => s.stackName);
      log(
        `wave ${waves.length} failed: ${failed.map((r) => r.stackName).join(', ')}; ${notAttempted.length} stacks not attempted`,
      );
      return { prefix, templateUrl, waves, notAttempted, ok: false };
    }
  }
  return { prefix, templateUrl, waves, notAttempted: [], ok: true };
}

/** Writes the built template where `pnpm cfn-lint` and people can read it. */
export function writeBuiltTemplate(root: string, stage: string): string {
  const { body } = prepareRelease(root, stage);
  const path = join(root, '.local', 'tenant-stack', `tenant-stack-${stage}.json`);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(JSON.parse(body), null, 2)}\n`);
  return path;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      stage: { type: 'string', default: process.env.TENANTRY_STAGE ?? 'dev' },
      bucket: { type: 'string' },
      region: { type: 'string', default: process.env.AWS_REGION ?? 'us-east-1' },
      endpoint: { type: 'string', default: process.env.AWS_ENDPOINT_URL },
      'wave-size': { type: 'string', default: '5' },
      'build-only': { type: 'boolean', default: false },
    },
  });
  const root = join(import.meta.dirname, '..', '..', '..');
  const stage = values.stage as string;
  if (values['build-only']) {
    console.log(`tenant template: ${writeBuiltTemplate(root, stage)}`);
    return;
  }
  const region = values.region as string;
  const endpoint = values.endpoint;
  // Against the local cloud without credentials in the environment, sign as its root (docs/local-cloud.md).
  const credentials = endpoint && !process.env.AWS_ACCESS_KEY_ID ? ROOT_CREDENTIALS : undefined;
  const config = { region, ...(endpoint ? { endpoint } : {}), ...(credentials ? { credentials } : {}) };
  const clients: ReleaseClients = {
    cloudformation: new CloudFormationClient(config),
    s3: new S3Client({ ...config, forcePathStyle: true }),
    ssm: new SSMClient(config),
  };
  const result = await releaseTenantStack(clients, {
    root,
    stage,
    region,
    bucket: values.bucket ?? process.env.TENANTRY_ARTIFACT_BUCKET ?? `tenantry-${stage}-tenant-artifacts`,
    waveSize: Number(values['wave-size']),
    log: (line) => console.log(line),
  });
  const updated = result.waves.flat();
  console.log(
    `release ${result.prefix}: ${updated.length} tenant stacks in ${result.waves.length} waves, ${result.ok ? 'done' : 'FAILED'}`,
  );
  if (!result.ok) process.exitCode = 1;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
    process.exitCode = 1;
  });
}
