/**
 * Vitest global setup for integration tests: one in-memory Tenantry stack per run, on free ports.
 * Tests read its endpoints with `inject('endpoints')`.
 */
import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { type Endpoints, startDevStack } from './index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    endpoints: Endpoints;
    /** Every stack's outputs by stack name (e.g. `tenantry-platform-dev`), for tests that need ids. */
    stackOutputs: Record<string, Record<string, string>>;
    /** The local cloud's own endpoints (gateway, cognito, dynamodb, aws) for tests of the local cloud itself. */
    localCloud: { gateway: string; cognito: string; dynamodb: string; aws: string };
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stack = await startDevStack({
    root: resolve(import.meta.dirname, '../../..'),
    ports: { gateway: 0, cognito: 0, dynamodb: 0, aws: 0 },
    functionLog: process.env.TENANTRY_TEST_LOGS
      ? (name, line) => process.stderr.write(`[${name}] ${line}\n`)
      : () => undefined,
  });
  project.provide('endpoints', stack.endpoints);
  const stackOutputs: Record<string, Record<string, string>> = {};
  for (const record of stack.cloud.stacks.list()) {
    stackOutputs[record.stackName] = Object.fromEntries(
      Object.entries(record.outputs).map(([name, output]) => [name, String(output.value)]),
    );
  }
  project.provide('stackOutputs', stackOutputs);
  project.provide('localCloud', { ...stack.cloud.endpoints });
  return () => stack.stop();
}
