/**
 * CreateStack to CREATE_COMPLETE through the CloudFormation API (TemplateURL in the local S3, code
 * from the local S3, DescribeStacks polled every 20 ms) for the packaged application-plane
 * templates, against the same templates deployed directly through the engine, in one fresh local
 * cloud where only the platform stack is deployed. A stack that imports another's exports (orders
 * reads the product table) is created after it and deleted before it. Each cycle deletes what it
 * created.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import {
  CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStacksCommand,
  type Stack,
} from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { type LocalCloud, type PackagedService, readPackagedService } from '@tenantry/local-cloud';
import { relocateServerlessArtifacts } from '../../packages/local-cloud/src/cfn/artifacts.js';
import { rootClientConfig, withLocalCloud } from './local-cloud.js';
import { median, round } from './stats.js';

export const CREATE_STACK_PLAN = { cycles: 5, pollMs: 20, timeoutMs: 60_000 };
const BUCKET = 'tenantry-bench-artifacts';
const APPLICATION_PLANE = ['products', 'orders'];

export interface CreateStackRow {
  /** `products`, `orders`, or `products + orders` (in dependency order). */
  what: string;
  resources: number;
  /** Medians over the cycles, ms. */
  apiCreateMs: number;
  engineCreateMs: number;
  apiDeleteMs: number;
  apiCreateSamples: number[];
}

interface Relocated {
  service: PackagedService;
  templateUrl: string;
}

/** What one row creates: stacks in waves (a wave at once, waves in order) on top of prerequisites. */
interface BenchSet {
  what: string;
  /** Deployed through the engine before the cycles and kept meanwhile (untimed). */
  prerequisites: Relocated[];
  waves: Relocated[][];
}

/** Every string value of `node` under `key` (`Fn::ImportValue`, `Export.Name`), resolved ones only. */
function stringsUnder(node: unknown, key: string, into: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) stringsUnder(item, key, into);
  else if (node && typeof node === 'object')
    for (const [name, value] of Object.entries(node)) {
      if (name === key && typeof value === 'string') into.push(value);
      else stringsUnder(value, key, into);
    }
  return into;
}

const exportsOf = (item: Relocated) =>
  Object.values(item.service.template.Outputs ?? {}).flatMap((output) => stringsUnder(output, 'Name'));

/** Orders `items` in waves: each stack after the stacks of the set whose exports it imports. */
function waves(items: Relocated[]): Relocated[][] {
  const exporter = new Map(items.flatMap((item) => exportsOf(item).map((name) => [name, item] as const)));
  const result: Relocated[][] = [];
  const placed = new Set<Relocated>();
  while (placed.size < items.length) {
    const wave = items.filter(
      (item) =>
        !placed.has(item) &&
        stringsUnder(item.service.template, 'Fn::ImportValue').every((name) => {
          const from = exporter.get(name);
          return !from || from === item || placed.has(from);
        }),
    );
    if (wave.length === 0) throw new Error('the application-plane stacks import each other in a cycle');
    for (const item of wave) placed.add(item);
    result.push(wave);
  }
  return result;
}

/** One row per service (on top of the services it imports from), then all of them together. */
function benchSets(staged: Relocated[]): BenchSet[] {
  const ordered = waves(staged);
  const before = (item: Relocated) =>
    ordered
      .slice(
        0,
        ordered.findIndex((wave) => wave.includes(item)),
      )
      .flat();
  return [
    ...staged.map((item) => ({
      what: basename(item.service.dir),
      prerequisites: before(item),
      waves: [[item]],
    })),
    { what: APPLICATION_PLANE.join(' + '), prerequisites: [], waves: ordered },
  ];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Uploads each service's zips and relocated template to the bench bucket. */
async function stage(root: string, s3: S3Client): Promise<Relocated[]> {
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const staged: Relocated[] = [];
  for (const name of APPLICATION_PLANE) {
    const packaged = readPackagedService(join(root, 'services', name));
    const { template, artifactKeys } = relocateServerlessArtifacts(packaged.template, BUCKET);
    for (const key of artifactKeys) {
      const zip = readFileSync(join(packaged.dir, '.serverless', basename(key)));
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: zip }));
    }
    const templateKey = `templates/${name}.json`;
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: templateKey, Body: JSON.stringify(template) }));
    staged.push({
      service: { ...packaged, template },
      templateUrl: `https://${BUCKET}.s3.amazonaws.com/${templateKey}`,
    });
  }
  return staged;
}

async function describe(cfn: CloudFormationClient, stackName: string): Promise<Stack | undefined> {
  try {
    return (await cfn.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks?.[0];
  } catch (error) {
    if (error instanceof Error && /does not exist/.test(error.message)) return undefined;
    throw error;
  }
}

/** Polls until `done`; throws on a rollback or after the plan's timeout. */
async function waitFor(
  cfn: CloudFormationClient,
  stackName: string,
  done: (stack: Stack | undefined) => boolean,
): Promise<void> {
  const deadline = performance.now() + CREATE_STACK_PLAN.timeoutMs;
  for (;;) {
    const stack = await describe(cfn, stackName);
    if (done(stack)) return;
    if (stack?.StackStatus === 'ROLLBACK_COMPLETE')
      throw new Error(`stack ${stackName} rolled back: ${stack.StackStatusReason}`);
    if (performance.now() > deadline) throw new Error(`stack ${stackName} stayed ${stack?.StackStatus}`);
    await sleep(CREATE_STACK_PLAN.pollMs);
  }
}

/** Throws unless the stack holds every resource of its template (a complete stack, not a shell). */
function checkComplete(cloud: LocalCloud, service: PackagedService): void {
  const created = Object.keys(cloud.stacks.describe(service.stackName)?.resources ?? {}).length;
  const expected = Object.keys(service.template.Resources).length;
  if (created !== expected)
    throw new Error(`${service.stackName} is CREATE_COMPLETE with ${created} of ${expected} resources`);
}

/** One create through the API (wave by wave, each wave at once), then its delete; both timed. */
async function apiCycle(
  cloud: LocalCloud,
  cfn: CloudFormationClient,
  set: BenchSet,
): Promise<[number, number]> {
  const started = performance.now();
  for (const wave of set.waves)
    await Promise.all(
      wave.map(async ({ service, templateUrl }) => {
        await cfn.send(new CreateStackCommand({ StackName: service.stackName, TemplateURL: templateUrl }));
        await waitFor(cfn, service.stackName, (stack) => stack?.StackStatus === 'CREATE_COMPLETE');
      }),
    );
  const created = performance.now();
  for (const { service } of set.waves.flat()) checkComplete(cloud, service);
  for (const wave of [...set.waves].reverse())
    await Promise.all(
      wave.map(async ({ service }) => {
        await cfn.send(new DeleteStackCommand({ StackName: service.stackName }));
        await waitFor(cfn, service.stackName, (stack) => stack === undefined);
      }),
    );
  return [created - started, performance.now() - created];
}

/** The same stacks through the engine directly (code read from `.serverless/`), then deleted. */
async function engineCycle(cloud: LocalCloud, set: BenchSet): Promise<number> {
  const started = performance.now();
  for (const wave of set.waves) await Promise.all(wave.map(({ service }) => cloud.deploy(service)));
  const elapsed = performance.now() - started;
  for (const { service } of set.waves.flat()) checkComplete(cloud, service);
  for (const { service } of set.waves.flat().reverse()) await cloud.stacks.delete(service.stackName);
  return elapsed;
}

export async function createStackTimes(root: string): Promise<CreateStackRow[]> {
  return withLocalCloud(async (cloud) => {
    await cloud.deploy(readPackagedService(join(root, 'services', 'platform')));
    const s3 = new S3Client({ ...rootClientConfig(cloud), forcePathStyle: true });
    const cfn = new CloudFormationClient(rootClientConfig(cloud));
    try {
      const staged = await stage(root, s3);
      const rows: CreateStackRow[] = [];
      for (const set of benchSets(staged)) {
        for (const { service } of set.prerequisites) await cloud.deploy(service);
        const api: number[] = [];
        const deletes: number[] = [];
        const engine: number[] = [];
        for (let cycle = 0; cycle < CREATE_STACK_PLAN.cycles; cycle += 1) {
          // Alternate which path goes first, so warm caches favour neither.
          if (cycle % 2 === 1) engine.push(await engineCycle(cloud, set));
          const [created, deleted] = await apiCycle(cloud, cfn, set);
          api.push(created);
          deletes.push(deleted);
          if (cycle % 2 === 0) engine.push(await engineCycle(cloud, set));
        }
        for (const { service } of [...set.prerequisites].reverse())
          await cloud.stacks.delete(service.stackName);
        rows.push({
          what: set.what,
          resources: set.waves
            .flat()
            .reduce((sum, { service }) => sum + Object.keys(service.template.Resources).length, 0),
          apiCreateMs: round(median(api), 1),
          engineCreateMs: round(median(engine), 1),
          apiDeleteMs: round(median(deletes), 1),
          apiCreateSamples: api.map((ms) => round(ms, 1)),
        });
      }
      return rows;
    } finally {
      s3.destroy();
      cfn.destroy();
    }
  });
}
