/** Test harness: the emulator on 127.0.0.1 (port 0) with the real SDK client pointed at it. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { createClock } from '../clock.js';
import { createOutbox } from '../outbox.js';
import type { Clock, OutboxMessage } from '../types.js';
import { type CognitoEmulator, createCognitoEmulator } from './index.js';

export const REGION = 'us-east-1';

export interface Harness {
  emulator: CognitoEmulator;
  sdk: CognitoIdentityProviderClient;
  clock: Clock;
  outbox: ReturnType<typeof createOutbox>;
  endpoint: string;
  /** aws-jwt-verify's JWKS cache, fetching AWS-style JWKS URIs from the emulator instead. */
  jwksCache: () => SimpleJwksCache;
  close(): Promise<void>;
}

export async function startEmulator(
  options: { dataFile?: string; clock?: Clock; messages?: OutboxMessage[] } = {},
): Promise<Harness> {
  const clock = options.clock ?? createClock();
  const outbox = createOutbox(clock, options.messages);
  let endpoint = '';
  const emulator = createCognitoEmulator({
    clock,
    outbox,
    region: REGION,
    accountId: '000000000000',
    endpoint: () => endpoint,
    ...(options.dataFile ? { dataFile: options.dataFile } : {}),
  });
  const server: Server = createServer((req, res) => void emulator.handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sdk = new CognitoIdentityProviderClient({
    region: REGION,
    endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const jwksCache = () =>
    new SimpleJwksCache({
      fetcher: {
        async fetch(uri: string) {
          const local = uri.replace(`https://cognito-idp.${REGION}.amazonaws.com`, endpoint);
          const response = await fetch(local);
          if (!response.ok) throw new Error(`JWKS fetch ${local}: ${response.status}`);
          return response.arrayBuffer();
        },
      },
    });
  return {
    emulator,
    sdk,
    clock,
    outbox,
    endpoint,
    jwksCache,
    async close() {
      sdk.destroy();
      await emulator.close();
      await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
  };
}

/** Decodes a JWT's payload (no verification; tests verify separately). */
export function claims(token: string | undefined): Record<string, unknown> {
  const payload = token?.split('.')[1];
  if (!payload) throw new Error('not a JWT');
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}

export function header(token: string | undefined): Record<string, unknown> {
  const part = token?.split('.')[0];
  if (!part) throw new Error('not a JWT');
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}
