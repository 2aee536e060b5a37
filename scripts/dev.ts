/**
 * `pnpm dev`: packages what changed, runs the whole SaaS on the local cloud, prints `READY <json>`,
 * writes `.local/endpoints.json`, and redeploys a service when its sources change.
 * Ctrl-C, SIGTERM or a crash stop everything it started and remove the endpoints file.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, watch, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type DevStack, SERVICES, type ServiceName, startDevStack } from '@tenantry/dev-stack';
import { JavaMissingError, PortBusyError } from '@tenantry/local-cloud';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const root = resolve(import.meta.dirname, '..');
/** `.local/` by default; another folder (for tests) with TENANTRY_LOCAL_DIR. */
const localDir = resolve(root, process.env.TENANTRY_LOCAL_DIR ?? '.local');
const endpointsFile = join(localDir, 'endpoints.json');
const started = performance.now();
let stack: DevStack | undefined;
let stopping = false;

const step = (line: string) =>
  process.stderr.write(`[dev ${((performance.now() - started) / 1000).toFixed(1).padStart(5)}s] ${line}\n`);

function port(name: string, fallback: number): number {
  const raw = process.env[`TENANTRY_${name}_PORT`];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535)
    throw new Error(`TENANTRY_${name}_PORT must be a port number, got "${raw}"`);
  return value;
}

/** Runs the packaging script; resolves with whether it succeeded. */
function packageServices(): Promise<boolean> {
  return new Promise((done) => {
    const child = spawn(
      process.execPath,
      [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(root, 'scripts', 'package.ts')],
      {
        cwd: root,
        // stdout carries only the READY line: packaging progress goes to stderr.
        stdio: ['ignore', process.stderr, 'inherit'],
      },
    );
    child.on('exit', (code) => done(code === 0));
  });
}

function templateTime(service: ServiceName): number {
  const file = join(root, 'services', service, '.serverless', 'cloudformation-template-update-stack.json');
  return existsSync(file) ? statSync(file).mtimeMs : 0;
}

async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    rmSync(endpointsFile, { force: true });
    await stack?.stop().catch(() => undefined);
  }
  process.exit(code);
}

function watchSources(): void {
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let again = false;
  const rebuild = async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    const before = new Map(SERVICES.map((service) => [service, templateTime(service)]));
    step('sources changed: packaging');
    if (await packageServices()) {
      for (const service of SERVICES) {
        if (templateTime(service) === before.get(service)) continue;
        await stack
          ?.redeploy(service)
          .catch((error: unknown) => step(`redeploy of ${service} failed: ${(error as Error).message}`));
      }
    } else step('packaging failed: fix the error above, the running services are unchanged');
    running = false;
    if (again) {
      again = false;
      void rebuild();
    }
  };
  const onChange = (_event: string, file: string | Buffer | null) => {
    if (file && /(^|[\\/])(\.serverless|\.esbuild|node_modules)([\\/]|$)/.test(String(file))) return;
    clearTimeout(timer);
    timer = setTimeout(() => void rebuild(), 300);
  };
  for (const dir of [join(root, 'services'), join(root, 'packages')])
    watch(dir, { recursive: true }, onChange);
}

async function main(): Promise<void> {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(0));
  // Whoever reads our output went away (a closed terminal or pipe): stop everything.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => void shutdown(1));
  // The launcher (pnpm, tsx) was killed outright: do not live on as an orphan.
  const launcher = process.ppid;
  setInterval(() => {
    if (process.ppid !== launcher) void shutdown(1);
  }, 500).unref();
  process.on('uncaughtException', (error) => {
    step(`crashed: ${error.stack ?? error.message}`);
    void shutdown(1);
  });
  process.on('unhandledRejection', (error) => {
    step(`crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    void shutdown(1);
  });

  step('packaging services (only what changed)');
  if (!(await packageServices())) {
    step('packaging failed: fix the error above and run `pnpm dev` again');
    return shutdown(1);
  }
  mkdirSync(localDir, { recursive: true });
  step('starting the local cloud');
  try {
    stack = await startDevStack({
      root,
      dataDir: join(localDir, 'data'),
      ports: {
        gateway: port('GATEWAY', 4000),
        cognito: port('COGNITO', 9229),
        dynamodb: port('DYNAMODB', 8000),
        aws: port('AWS', 4566),
      },
      progress: step,
      functionLog: (name, line) => process.stderr.write(`[${name}] ${line}\n`),
    });
  } catch (error) {
    if (error instanceof PortBusyError || error instanceof JavaMissingError) step(error.message);
    else step(`start-up failed: ${error instanceof Error ? error.message : String(error)}`);
    return shutdown(1);
  }
  writeFileSync(endpointsFile, `${JSON.stringify(stack.endpoints, null, 2)}\n`);
  step(
    `ready in ${((performance.now() - started) / 1000).toFixed(1)} s; endpoints in .local/endpoints.json; Ctrl-C stops everything`,
  );
  process.stdout.write(`READY ${JSON.stringify(stack.endpoints)}\n`);
  watchSources();
}

void main();
