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

/** One import (or Python init) in a fresh process, in ms. */
function measureOnce(command: string, args: string[], variables: Record<string, string> = {}): number {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    env: { ...process.env, ...variables, AWS_REGION: 'us-east-1', NODE_OPTIONS: '' },
  });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
  return Number(result.stdout.trim().split('\n').pop());
}

function pythonAvailable(): boolean {
  try {
    measureOnce('python3', ['-c', PYTHON_PROBE]);
    return true;
  } catch {
    return false; // no python3 with boto3 on this machine: the comparison row says so
  }
}

interface Target {
  row: Omit<ColdStartRow, 'importMs'>;
  file: string;
  variables: Record<string, string>;
  samples: number[];
}

/**
 * `variablesOf(functionName)`: the function's own environment, as Lambda gives it at init.
 * Runs `runs` rounds; each round imports every function once and runs the Python probe once, so
 * drift of the machine during the measurement hits the functions and the baseline alike.
 */
export function coldStarts(
  root: string,
  variablesOf: (functionName: string) => Record<string, string>,
  runs = 7,
): { rows: ColdStartRow[]; pythonMs: number | undefined } {
  const targets: Target[] = [];
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
        const file = join(scratch, service, fn, handlerFile);
        spawnSync('mkdir', ['-p', dirname(file)]);
        writeFileSync(file, code);
        targets.push({
          row: {
            service,
            fn,
            kind: fn === 'authorizer' ? 'authorizer' : 'handler',
            zipBytes: statSync(zipFile).size,
            bundleBytes: code.byteLength,
          },
          file,
          variables: variablesOf(config.name),
          samples: [],
        });
      }
    }
    const python = pythonAvailable() ? ([] as number[]) : undefined;
    for (let round = 0; round < runs; round += 1) {
      for (const target of targets) {
        target.samples.push(
          measureOnce(process.execPath, ['-e', IMPORT_PROBE, target.file], target.variables),
        );
      }
      python?.push(measureOnce('python3', ['-c', PYTHON_PROBE]));
    }
    return {
      rows: targets.map((target) => ({ ...target.row, importMs: median(target.samples) })),
      pythonMs: python === undefined ? undefined : median(python),
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
