/**
 * Packages every service with `osls package`, two at a time, skipping a service whose inputs have
 * not changed since its last package.
 *
 *   npx tsx scripts/package.ts [--quiet] [--force]
 *
 * Inputs of a service: its serverless.yml, the files beside it and package.json, its src/ (tests excluded),
 * services/serverless.common.yml, and the src/ of the workspace packages it depends on
 * (transitively). Their hash is kept in `services/<svc>/.serverless/.inputs-hash`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const CONCURRENCY = 2;
const root = join(import.meta.dirname, '..');
const servicesDir = join(root, 'services');
const osls = join(root, 'node_modules', '.bin', 'osls');
const quiet = process.argv.includes('--quiet');
const force = process.argv.includes('--force');

interface PackageJson {
  name?: string;
  dependencies?: Record<string, string>;
}

const readJson = (path: string): PackageJson => JSON.parse(readFileSync(path, 'utf8')) as PackageJson;

/** Workspace packages by name → directory. */
const workspacePackages = new Map<string, string>();
for (const parent of ['packages', 'services']) {
  const dir = join(root, parent);
  if (!existsSync(dir)) continue;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const manifest = join(dir, entry.name, 'package.json');
    if (entry.isDirectory() && existsSync(manifest)) {
      const name = readJson(manifest).name;
      if (name) workspacePackages.set(name, join(dir, entry.name));
    }
  }
}

/** Directories of the workspace packages `dir` depends on at run time, transitively. */
function workspaceDependencies(dir: string, seen = new Set<string>()): Set<string> {
  for (const [name, range] of Object.entries(readJson(join(dir, 'package.json')).dependencies ?? {})) {
    const depDir = workspacePackages.get(name);
    if (!range.startsWith('workspace:') || !depDir || seen.has(depDir)) continue;
    seen.add(depDir);
    workspaceDependencies(depDir, seen);
  }
  return seen;
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && !/\.test\.ts$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

function inputsHash(serviceDir: string): string {
  const files = [
    join(servicesDir, 'serverless.common.yml'),
    // serverless.yml and the files it includes (e.g. platform's cognito-email.yml).
    ...readdirSync(serviceDir)
      .filter((name) => name.endsWith('.yml') || name.endsWith('.json'))
      .map((name) => join(serviceDir, name)),
    ...listFiles(join(serviceDir, 'src')),
    ...[...workspaceDependencies(serviceDir)].flatMap((dir) => [
      join(dir, 'package.json'),
      ...listFiles(join(dir, 'src')),
    ]),
  ].sort();
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

type Outcome = {
  service: string;
  status: 'packaged' | 'unchanged' | 'failed';
  seconds: number;
  output?: string;
};

const running = new Set<ChildProcess>();

function runOsls(cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(osls, ['package'], { cwd, env: { ...process.env, FORCE_COLOR: '0' } });
    running.add(child);
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('error', (error) => {
      output += String(error);
    });
    child.on('close', (code) => {
      running.delete(child);
      resolve({ code: code ?? 1, output });
    });
  });
}

async function packageService(service: string): Promise<Outcome> {
  const dir = join(servicesDir, service);
  const hashFile = join(dir, '.serverless', '.inputs-hash');
  const template = join(dir, '.serverless', 'cloudformation-template-update-stack.json');
  const hash = inputsHash(dir);
  if (!force && existsSync(template) && existsSync(hashFile) && readFileSync(hashFile, 'utf8') === hash) {
    return { service, status: 'unchanged', seconds: 0 };
  }
  rmSync(hashFile, { force: true });
  const started = performance.now();
  const { code, output } = await runOsls(dir);
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) return { service, status: 'failed', seconds, output };
  writeFileSync(hashFile, hash);
  return { service, status: 'packaged', seconds };
}

function report(outcome: Outcome): void {
  if (outcome.status === 'failed') {
    console.error(
      `failed ${outcome.service} (${outcome.seconds.toFixed(1)} s)\n${outcome.output?.trim() ?? ''}\n`,
    );
  } else if (!quiet) {
    console.log(
      outcome.status === 'packaged'
        ? `packaged ${outcome.service} (${outcome.seconds.toFixed(1)} s)`
        : `${outcome.service} unchanged`,
    );
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    for (const child of running) child.kill('SIGTERM');
    process.exit(130);
  });
}

const services = readdirSync(servicesDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(servicesDir, entry.name, 'serverless.yml')))
  .map((entry) => entry.name)
  .sort();

const started = performance.now();
const outcomes: Outcome[] = [];
const queue = [...services];
await Promise.all(
  Array.from({ length: Math.min(CONCURRENCY, queue.length) }, async () => {
    for (let service = queue.shift(); service; service = queue.shift()) {
      const outcome = await packageService(service);
      outcomes.push(outcome);
      report(outcome);
    }
  }),
);

const count = (status: Outcome['status']) => outcomes.filter((outcome) => outcome.status === status).length;
const failed = count('failed');
const summary = `${count('packaged')} packaged, ${count('unchanged')} unchanged, ${failed} failed (${((performance.now() - started) / 1000).toFixed(1)} s)`;
if (failed > 0) console.error(summary);
else console.log(summary);
process.exit(failed > 0 ? 1 : 0);
