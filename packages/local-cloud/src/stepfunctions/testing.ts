/** Test harness: the emulator on 127.0.0.1 (port 0) with the real SDK client pointed at it, and a fake Lambda. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SFNClient } from '@aws-sdk/client-sfn';
import { createClock } from '../clock.js';
import type { Clock, InvokeResult, LambdaInvoker } from '../types.js';
import { createStepFunctions, type StepFunctions } from './index.js';

export const REGION = 'us-east-1';
export const ACCOUNT = '000000000000';
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/local-sfn`;

/** A function of the fake Lambda: its return value is the payload; a thrown error becomes a function error. */
export type FakeFunction = (payload: unknown) => unknown | Promise<unknown>;

/** Raised by a fake function to fail with a given errorType, as a Lambda handler throwing a named error. */
export class FunctionError extends Error {
  constructor(
    readonly errorType: string,
    message: string,
  ) {
    super(message);
    this.name = 'FunctionError';
  }
}

/** A LambdaInvoker over plain functions keyed by name; ARNs resolve to their function name. */
export function fakeLambda(
  functions: Record<string, FakeFunction>,
): LambdaInvoker & { calls: { name: string; payload: unknown }[] } {
  const calls: { name: string; payload: unknown }[] = [];
  return {
    calls,
    async invoke(reference, payload): Promise<InvokeResult> {
      const name = reference.startsWith('arn:')
        ? (reference.split(':')[6] ?? '')
        : (reference.split(':')[0] ?? '');
      const fn = functions[name];
      if (!fn)
        throw Object.assign(new Error(`Function not found: ${reference}`), {
          code: 'ResourceNotFoundException',
        });
      calls.push({ name, payload });
      try {
        return { ok: true, payload: await fn(payload) };
      } catch (error) {
        const errorType =
          error instanceof FunctionError ? error.errorType : error instanceof Error ? error.name : 'Error';
        return {
          ok: false,
          error: { errorType, errorMessage: error instanceof Error ? error.message : String(error) },
        };
      }
    },
  };
}

export interface Harness {
  sfn: StepFunctions;
  client: SFNClient;
  clock: Clock;
  endpoint: string;
  close(): Promise<void>;
}

export async function startStepFunctions(options: {
  lambda: LambdaInvoker;
  dataFile?: string;
  waitScale?: number;
  clock?: Clock;
}): Promise<Harness> {
  const clock = options.clock ?? createClock();
  const sfn = createStepFunctions({
    region: REGION,
    accountId: ACCOUNT,
    clock,
    lambda: options.lambda,
    ...(options.dataFile ? { dataFile: options.dataFile } : {}),
    ...(options.waitScale === undefined ? {} : { waitScale: options.waitScale }),
  });
  const server: Server = createServer((req, res) => void sfn.handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new SFNClient({
    region: REGION,
    endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  return {
    sfn,
    client,
    clock,
    endpoint,
    async close() {
      client.destroy();
      await sfn.close();
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}
