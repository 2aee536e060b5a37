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
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stack = await startDevStack({
    root: resolve(import.meta.dirname, '../../..'),
    ports: { gateway: 0, cognito: 0, dynamodb: 0, aws: 0 },
    functionLog: process.env.TENANTRY_TEST_LOGS ? (name, line) => process.stderr.write(`[${name}] ${line}\n`) : () => undefined,
  });
  project.provide('endpoints', stack.endpoints);
  return () => stack.stop();
}
