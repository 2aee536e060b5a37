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
    /**
     * Credentials of function execution roles, by role ARN, for every stack output named
     * `…FunctionRoleArn` (e.g. `GetProductFunctionRoleArn`): isolation tests check what a
     * function's own role can and cannot do.
     */
    functionRoleCredentials: Record<
      string,
      { accessKeyId: string; secretAccessKey: string; sessionToken: string }
    >;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stack = await startDevStack({
    root: resolve(import.meta.dirname, '../../..'),
    ports: { gateway: 0, cognito: 0, dynamodb: 0, aws: 0 },
    // Lets tests fail a chosen provisioning step (docs/onboarding.md); never set by pnpm dev or on AWS.
    functionEnvironment: { TENANTRY_FAULT_INJECTION: 'enabled' },
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
  const functionRoleCredentials: Record<
    string,
    { accessKeyId: string; secretAccessKey: string; sessionToken: string }
  > = {};
  for (const outputs of Object.values(stackOutputs))
    for (const [name, roleArn] of Object.entries(outputs))
      if (name.endsWith('FunctionRoleArn')) {
        const { accessKeyId, secretAccessKey, sessionToken } = stack.cloud.credentials.credentialsForRole(
          roleArn,
          {
            sessionName: 'integration-test',
            servicePrincipal: 'lambda.amazonaws.com',
            durationSeconds: 43_200,
          },
        );
        functionRoleCredentials[roleArn] = { accessKeyId, secretAccessKey, sessionToken };
      }
  project.provide('functionRoleCredentials', functionRoleCredentials);
  project.provide('localCloud', { ...stack.cloud.endpoints });
  return () => stack.stop();
}
