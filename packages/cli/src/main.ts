/**
 * `pnpm tenantry <command>`: the Tenantry CLI (see `pnpm tenantry help`). Wires the real process —
 * fetch, clock, terminal, Cognito — into `run`.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildCognitoAuth } from './auth.js';
import { run } from './cli.js';
import { promptOnTerminal } from './prompt.js';

const root = resolve(import.meta.dirname, '../../..');
// The SDK's Node 20 deprecation notice would bury the CLI's own messages on stderr.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

process.exitCode = await run(
  process.argv.slice(2),
  {
    fetch: (input, init) => fetch(input, init),
    now: () => performance.now(),
    sleep: (ms) => sleep(ms),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stderrIsTTY: process.stderr.isTTY === true,
    interactive: process.stdin.isTTY === true && process.stderr.isTTY === true,
    prompt: promptOnTerminal,
    auth: buildCognitoAuth,
  },
  {
    ...(process.env.TENANTRY_ENDPOINTS ? { endpointsVariable: process.env.TENANTRY_ENDPOINTS } : {}),
    defaultEndpointsPath: resolve(root, '.local/endpoints.json'),
    // pnpm runs scripts in the package's directory; INIT_CWD is where the user typed the command.
    cwd: process.env.INIT_CWD ?? process.cwd(),
    readText: (path) => readFile(path, 'utf8'),
    debug: Boolean(process.env.TENANTRY_DEBUG),
  },
);
