/**
 * The identity-and-isolation phase of `pnpm bench`: two fresh processes with stdout on /dev/null,
 * one with Powertools silenced (`POWERTOOLS_LOG_LEVEL=SILENT`: the authorizer and the middleware
 * stack), one with Powertools at INFO (the middleware stack again).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuthorizerResults } from './authorizer.js';
import type { IsolationClientArgs, IsolationClientResult } from './isolation-client.js';
import { machine } from './machine.js';
import type { MiddlewareResults } from './middleware.js';

export interface IsolationMeasurements {
  machine: ReturnType<typeof machine>;
  authorizer: AuthorizerResults;
  middleware: { silent: MiddlewareResults; info: MiddlewareResults };
}

/** The bench's environment with Powertools at `logLevel` and nothing that would override it. */
function isolationEnvironment(logLevel: string): NodeJS.ProcessEnv {
  const { AWS_LAMBDA_LOG_LEVEL: _lambda, POWERTOOLS_DEV: _dev, LOG_LEVEL: _legacy, ...env } = process.env;
  return { ...env, POWERTOOLS_LOG_LEVEL: logLevel, POWERTOOLS_SERVICE_NAME: 'bench' };
}

function runIsolationClient(
  root: string,
  logLevel: string,
  authorizer: boolean,
): Promise<IsolationClientResult> {
  const scratch = mkdtempSync(join(tmpdir(), 'tenantry-isolation-'));
  const args: IsolationClientArgs = { resultFile: join(scratch, 'result.json'), authorizer };
  return new Promise<IsolationClientResult>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
        'scripts/bench/isolation-client.ts',
        JSON.stringify(args),
      ],
      {
        cwd: root,
        // stdout to /dev/null: log lines cost their write, as on Lambda, without flooding the terminal.
        stdio: ['ignore', 'ignore', 'inherit'],
        env: isolationEnvironment(logLevel),
      },
    );
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code !== 0) reject(new Error(`isolation-client.ts (${logLevel}) exited with ${signal ?? code}`));
      else resolve(JSON.parse(readFileSync(args.resultFile, 'utf8')) as IsolationClientResult);
    });
  }).finally(() => rmSync(scratch, { recursive: true, force: true }));
}

export async function runIsolation(
  root: string,
  step: (line: string) => void,
): Promise<IsolationMeasurements> {
  const host = machine();
  step('authorizer and middleware stack in a fresh process, Powertools SILENT (a few seconds)');
  const silent = await runIsolationClient(root, 'SILENT', true);
  step('middleware stack again, Powertools at INFO, stdout to /dev/null');
  const info = await runIsolationClient(root, 'INFO', false);
  if (!silent.authorizer) throw new Error('the SILENT run measured no authorizer');
  return {
    machine: host,
    authorizer: silent.authorizer,
    middleware: { silent: silent.middleware, info: info.middleware },
  };
}
