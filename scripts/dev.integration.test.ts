import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const tsx = join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const FREE_PORTS = {
  TENANTRY_GATEWAY_PORT: '0',
  TENANTRY_COGNITO_PORT: '0',
  TENANTRY_DYNAMODB_PORT: '0',
  TENANTRY_AWS_PORT: '0',
};
const scratch: string[] = [];

const started: ChildProcess[] = [];

afterEach(() => {
  // A failed assertion must not leave a dev stack running.
  for (const child of started.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

function startDev(env: Record<string, string>): {
  child: ChildProcess;
  localDir: string;
  stdout: () => string;
  stderr: () => string;
} {
  const localDir = mkdtempSync(join(tmpdir(), 'tenantry-dev-'));
  scratch.push(localDir);
  const child = spawn(process.execPath, [tsx, join(root, 'scripts', 'dev.ts')], {
    cwd: root,
    env: { ...process.env, TENANTRY_LOCAL_DIR: localDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk) => {
    out += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    err += chunk;
  });
  return { child, localDir, stdout: () => out, stderr: () => err };
}

async function waitFor<T>(what: string, check: () => T | undefined, timeoutMs = 60_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((done) =>
    child.exitCode !== null ? done(child.exitCode) : child.once('exit', (code) => done(code)),
  );

/** Every process below `pid` (children, grandchildren, ...). */
function descendants(pid: number): number[] {
  const children = spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter(Boolean)
    .map(Number);
  return children.flatMap((child) => [child, ...descendants(child)]);
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('pnpm dev', () => {
  it('prints READY with the endpoints, writes the endpoints file, and leaves nothing behind on Ctrl-C', async () => {
    const dev = startDev(FREE_PORTS);
    const line = await waitFor('READY', () =>
      dev
        .stdout()
        .split('\n')
        .find((l) => l.startsWith('READY ')),
    );
    const endpoints = JSON.parse(line.slice('READY '.length)) as Record<string, unknown>;
    expect(Object.keys(endpoints).sort()).toEqual(
      [
        'cognitoEndpoint',
        'controlPlaneUrl',
        'dynamodbEndpoint',
        'outboxUrl',
        'pooledAppUrl',
        'region',
        'systemAdmin',
      ].sort(),
    );
    const file = join(dev.localDir, 'endpoints.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(endpoints);
    const config = await fetch(`${endpoints.controlPlaneUrl}/tenant-config/nobody-here`);
    expect(config.status).toBe(404);

    const tree = descendants(dev.child.pid as number);
    expect(tree.length).toBeGreaterThan(0);
    dev.child.kill('SIGINT');
    expect(await exited(dev.child)).toBe(0);
    expect(existsSync(file)).toBe(false);
    await waitFor('every child to exit', () => (tree.some(alive) ? undefined : true), 10_000);
  });

  it('leaves no process behind when its launcher is killed outright', async () => {
    const dev = startDev(FREE_PORTS);
    await waitFor('READY', () =>
      dev
        .stdout()
        .split('\n')
        .find((l) => l.startsWith('READY ')),
    );
    const tree = descendants(dev.child.pid as number);
    dev.child.kill('SIGKILL');
    await waitFor('every child to exit', () => (tree.some(alive) ? undefined : true), 10_000);
  });

  it('leaves no process behind when it crashes outright', async () => {
    const dev = startDev(FREE_PORTS);
    await waitFor('READY', () =>
      dev
        .stdout()
        .split('\n')
        .find((l) => l.startsWith('READY ')),
    );
    const tree = descendants(dev.child.pid as number);
    const java = tree.find((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('java'));
    expect(java).toBeDefined();
    // The process that runs scripts/dev.ts (java's parent) dies without running any handler.
    const devProcess = Number(readFileSync(`/proc/${java}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]);
    process.kill(devProcess, 'SIGKILL');
    await exited(dev.child);
    await waitFor('every child to exit', () => (tree.some(alive) ? undefined : true), 10_000);
  });

  it('fails with a clear message and stops what it started when a port is busy', async () => {
    const busy: Server = createServer();
    await new Promise<void>((done) => busy.listen(0, '127.0.0.1', done));
    const address = busy.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const dev = startDev({ ...FREE_PORTS, TENANTRY_GATEWAY_PORT: String(port) });
      expect(await exited(dev.child)).toBe(1);
      expect(dev.stderr()).toContain(`port ${port} (gateway) is busy`);
      expect(dev.stdout()).not.toContain('READY');
      expect(existsSync(join(dev.localDir, 'endpoints.json'))).toBe(false);
    } finally {
      busy.close();
    }
  });
});
