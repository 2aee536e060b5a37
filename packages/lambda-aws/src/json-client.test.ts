import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AwsServiceError,
  COGNITO_IDENTITY_PROVIDER,
  createJsonClient,
  DYNAMODB,
  endpointOf,
} from './json-client.js';

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

type Answer = { status: number; body: unknown; headers?: Record<string, string> };

let server: Server | undefined;

async function serve(answers: Answer[]): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      const answer = answers[Math.min(received.length, answers.length) - 1] as Answer;
      res.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.0', ...answer.headers });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

async function stop(): Promise<void> {
  const running = server;
  server = undefined;
  if (running) await new Promise((resolve) => running.close(resolve));
}

afterEach(stop);

const credentials = {
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'secret',
  AWS_REGION: 'eu-west-1',
};
const noWait = async () => {};

describe('createJsonClient', () => {
  it('posts the operation as X-Amz-Target with the JSON body and returns the parsed answer', async () => {
    const { url, received } = await serve([{ status: 200, body: { Item: { pk: { S: 'a' } } } }]);
    const client = createJsonClient(DYNAMODB, { env: { ...credentials, AWS_ENDPOINT_URL_DYNAMODB: url } });

    const answer = await client.call('GetItem', { TableName: 't', Key: { pk: { S: 'a' } } });

    expect(answer).toEqual({ Item: { pk: { S: 'a' } } });
    const [request] = received;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/');
    expect(request?.headers['x-amz-target']).toBe('DynamoDB_20120810.GetItem');
    expect(request?.headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(JSON.parse(request?.body ?? '')).toEqual({ TableName: 't', Key: { pk: { S: 'a' } } });
  });

  it('signs with SigV4 for the service and region so that the received request verifies', async () => {
    const { url, received } = await serve([{ status: 200, body: {} }]);
    const env = { ...credentials, AWS_SESSION_TOKEN: 'session-token', AWS_ENDPOINT_URL: url };
    await createJsonClient(COGNITO_IDENTITY_PROVIDER, { env }).call('AdminGetUser', {
      UserPoolId: 'p',
      Username: 'u',
    });

    // What a server does: recompute the signature from the request as it arrived.
    const request = received[0] as Received;
    const authorization = String(request.headers.authorization);
    expect(authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/cognito-idp\/aws4_request, SignedHeaders=/,
    );
    expect(request.headers['x-amz-security-token']).toBe('session-token');
    const signedNames = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(';') ?? [];
    expect(signedNames).toEqual(
      expect.arrayContaining(['host', 'x-amz-date', 'x-amz-target', 'content-type']),
    );
    const amzDate = String(request.headers['x-amz-date']);
    const signingDate = new Date(
      `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
    );
    const verifier = new SignatureV4({
      service: 'cognito-idp',
      region: 'eu-west-1',
      sha256: Sha256,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'session-token' },
      applyChecksum: false,
    });
    const expected = await verifier.sign(
      {
        method: request.method,
        protocol: 'http:',
        hostname: '127.0.0.1',
        path: request.url,
        query: {},
        headers: Object.fromEntries(signedNames.map((name) => [name, String(request.headers[name])])),
        body: request.body,
      },
      { signingDate },
    );
    expect(authorization).toBe(expected.headers.authorization);
  });

  it('raises the service error by its type name, with status and request id', async () => {
    const { url } = await serve([
      {
        status: 400,
        body: { __type: 'com.amazonaws.cognito#UserNotFoundException', message: 'User does not exist.' },
        headers: { 'x-amzn-requestid': 'req-1' },
      },
    ]);
    const client = createJsonClient(COGNITO_IDENTITY_PROVIDER, {
      env: { ...credentials, AWS_ENDPOINT_URL: url },
    });

    const error = await client.call('AdminGetUser', {}).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AwsServiceError);
    expect(error).toMatchObject({
      name: 'UserNotFoundException',
      message: 'User does not exist.',
      statusCode: 400,
      requestId: 'req-1',
    });
  });

  it('retries throttling and server errors, then answers', async () => {
    const { url, received } = await serve([
      { status: 400, body: { __type: 'ProvisionedThroughputExceededException', message: 'slow down' } },
      { status: 500, body: { __type: 'InternalServerError', message: 'oops' } },
      { status: 200, body: { ok: true } },
    ]);
    const client = createJsonClient(DYNAMODB, {
      env: { ...credentials, AWS_ENDPOINT_URL: url },
      sleep: noWait,
    });

    await expect(client.call('GetItem', {})).resolves.toEqual({ ok: true });
    expect(received).toHaveLength(3);
  });

  it('gives up after maxAttempts and does not retry a client error', async () => {
    const throttled = await serve([
      { status: 400, body: { __type: 'ThrottlingException', message: 'slow down' } },
    ]);
    const client = createJsonClient(DYNAMODB, {
      env: { ...credentials, AWS_ENDPOINT_URL: throttled.url },
      sleep: noWait,
      maxAttempts: 2,
    });
    await expect(client.call('GetItem', {})).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(throttled.received).toHaveLength(2);
    await stop();

    const invalid = await serve([
      { status: 400, body: { __type: 'ValidationException', message: 'bad key' } },
    ]);
    const strict = createJsonClient(DYNAMODB, {
      env: { ...credentials, AWS_ENDPOINT_URL: invalid.url },
      sleep: noWait,
    });
    await expect(strict.call('GetItem', {})).rejects.toMatchObject({ name: 'ValidationException' });
    expect(invalid.received).toHaveLength(1);
  });

  it('fails naming the missing credentials instead of sending an unsigned request', async () => {
    const { url, received } = await serve([{ status: 200, body: {} }]);
    const client = createJsonClient(DYNAMODB, { env: { AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL: url } });

    await expect(client.call('GetItem', {})).rejects.toThrow(/AWS_ACCESS_KEY_ID/);
    expect(received).toHaveLength(0);
  });
});

describe('endpointOf', () => {
  it('prefers the service variable, then AWS_ENDPOINT_URL, then the regional AWS endpoint', () => {
    expect(
      endpointOf(DYNAMODB, { AWS_ENDPOINT_URL_DYNAMODB: 'http://a:1', AWS_ENDPOINT_URL: 'http://b:2' }).href,
    ).toBe('http://a:1/');
    expect(endpointOf(DYNAMODB, { AWS_ENDPOINT_URL: 'http://b:2' }).href).toBe('http://b:2/');
    expect(endpointOf(COGNITO_IDENTITY_PROVIDER, { AWS_REGION: 'eu-west-1' }).href).toBe(
      'https://cognito-idp.eu-west-1.amazonaws.com/',
    );
    expect(endpointOf(DYNAMODB, { AWS_REGION: 'cn-north-1' }).href).toBe(
      'https://dynamodb.cn-north-1.amazonaws.com.cn/',
    );
  });

  it('names AWS_REGION when no endpoint can be made', () => {
    expect(() => endpointOf(DYNAMODB, {})).toThrow(/AWS_REGION/);
  });
});
