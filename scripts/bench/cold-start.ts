/**
 * Cold start of every packaged function: bundle size and the time to import it (module load and
 * top-level evaluation) in a fresh Node process, against a Python handler's usual init
 * (`import boto3` plus a DynamoDB client), median of several runs each, measured in the same run.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { median } from './stats.js';

export interface ColdStartRow {
  service: string;
  fn: string;
  kind: 'handler' | 'authorizer';
  zipBytes: number;
  bundleBytes: number;
  importMs: number;
}

const IMPORT_PROBE = `const t=process.hrtime.bigint();require(process.argv[1]);process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6));`;
const PYTHON_PROBE = `import time;t=time.perf_counter();import boto3;c=boto3.client('dynamodb',region_name='us-east-1');print((time.perf_counter()-t)*1000)`;

function measure(
  command: string,
  args: string[],
  runs: number,
  variables: Record<string, string> = {},
): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const result = spawnSync(command, args, {
      encoding: 'utf8',
      env: { ...process.env, ...variables, AWS_REGION: 'us-east-1', NODE_OPTIONS: '' },
    });
    if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
    samples.push(Number(result.stdout.trim().split('\n').pop()));
  }
  return median(samples);
}

/** `variablesOf(functionName)`: the function's own environment, as Lambda gives it at init. */
export function coldStarts(
  root: string,
  variablesOf: (functionName: string) => Record<string, string>,
  runs = 7,
): { rows: ColdStartRow[]; pythonMs: number | undefined } {
  const rows: ColdStartRow[] = [];
  const scratch = mkdtempSync(join(tmpdir(), 'tenantry-cold-'));
  try {
    for (const service of readdirSync(join(root, 'services'))) {
      const artifactDir = join(root, 'services', service, '.serverless');
      let state: { service: { functions: Record<string, { handler: string; name: string }> } };
      try {
        state = JSON.parse(readFileSync(join(artifactDir, 'serverless-state.json'), 'utf8'));
      } catch {
        continue;
      }
      for (const [fn, config] of Object.entries(state.service.functions)) {
        const zipFile = join(artifactDir, `${fn}.zip`);
        const files = unzipSync(readFileSync(zipFile));
        const handlerFile = `${config.handler.slice(0, config.handler.lastIndexOf('.'))}.js`;
        const code = files[handlerFile];
        if (!code) throw new Error(`${zipFile} has no ${handlerFile}`);
        const target = join(scratch, service, fn, handlerFile);
        spawnSync('mkdir', ['-p', dirname(target)]);
        writeFileSync(target, code);
        rows.push({
          service,
          fn,
          kind: fn === 'authorizer' ? 'authorizer' : 'handler',
          zipBytes: statSync(zipFile).size,
          bundleBytes: code.byteLength,
          importMs: measure(process.execPath, ['-e', IMPORT_PROBE, target], runs, variablesOf(config.name)),
        });
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  let pythonMs: number | undefined;
  try {
    pythonMs = measure('python3', ['-c', PYTHON_PROBE], runs);
  } catch {
    pythonMs = undefined; // no python3 with boto3 on this machine: the comparison row says so
  }
  return { rows, pythonMs };
}
