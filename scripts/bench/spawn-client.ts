/** Runs a load generator (client.ts, throttle-client.ts) in its own Node process and reads its result line. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { ClientArgs, ClientResult } from './types.js';

/** `tsx <script> '<args as JSON>'`; the script prints one line `RESULT <json>` and exits 0. */
export function runScript<T>(root: string, script: string, args: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), script, JSON.stringify(args)],
      { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      const line = stdout.split('\n').find((text) => text.startsWith('RESULT '));
      if (code !== 0 || !line) {
        reject(new Error(`${script} exited with ${signal ?? code}: ${stdout.trim().slice(-500)}`));
        return;
      }
      resolve(JSON.parse(line.slice('RESULT '.length)) as T);
    });
  });
}

export function runClient(root: string, args: ClientArgs): Promise<ClientResult> {
  return runScript<ClientResult>(root, 'scripts/bench/client.ts', args);
}
