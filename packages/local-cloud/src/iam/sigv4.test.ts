import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { ROOT_CREDENTIALS } from './credentials.js';
import { SignatureError } from './errors.js';
import { createSigV4Verifier, SIGNATURE_MISMATCH_MESSAGE, type SignedRequest } from './sigv4.js';

const NOW = Date.UTC(2026, 10, 29, 12, 0, 0);
const SESSION = { accessKeyId: 'ASIASESSION', secretAccessKey: 'session-secret', sessionToken: 'token-1' };
const secrets: Record<string, string> = {
  [ROOT_CREDENTIALS.accessKeyId]: ROOT_CREDENTIALS.secretAccessKey,
  [SESSION.accessKeyId]: SESSION.secretAccessKey,
};

const verifier = (now = NOW) =>
  createSigV4Verifier({ secretOf: (id) => secrets[id], now: () => now, region: 'us-east-1' });

interface Signing {
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  service?: string;
  region?: string;
  signingDate?: Date;
  path?: string;
  query?: Record<string, string>;
  body?: string;
  /** Whether the signer adds `x-amz-content-sha256` (the SDK clients do). */
  applyChecksum?: boolean;
}

/** A GetItem call as the SDK's signer signs it, turned into what the server receives. */
async function signed(options: Signing = {}): Promise<SignedRequest> {
  const body = options.body ?? JSON.stringify({ TableName: 'Items', Key: { pk: { S: 'TENANT#a' } } });
  const signer = new SignatureV4({
    service: options.service ?? 'dynamodb',
    region: options.region ?? 'us-east-1',
    credentials: options.credentials ?? ROOT_CREDENTIALS,
    sha256: Sha256,
    applyChecksum: options.applyChecksum ?? false,
  });
  const request = await signer.sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 8000,
      path: options.path ?? '/',
      query: options.query ?? {},
      headers: {
        host: '127.0.0.1:8000',
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'DynamoDB_20120810.GetItem',
        'user-agent': 'aws-sdk-js/3',
      },
      body,
    },
    { signingDate: options.signingDate ?? new Date(NOW) },
  );
  const search = new URLSearchParams(options.query ?? {}).toString().replaceAll('+', '%20');
  return {
    method: request.method,
    url: `${request.path}${search ? `?${search}` : ''}`,
    headers: Object.fromEntries(
      Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), value]),
    ),
    body: Buffer.from(body),
  };
}

const refusal = async (request: SignedRequest, service = 'dynamodb', now = NOW) => {
  const error = await verifier(now)
    .verify(request, service)
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(error).toBeInstanceOf(SignatureError);
  const { reason, message } = error as SignatureError;
  return { reason, message };
};

describe('createSigV4Verifier', () => {
  it('verifies a request signed by the SDK signer and names its key and session token', async () => {
    expect(await verifier().verify(await signed({ credentials: SESSION }), 'dynamodb')).toEqual({
      status: 'verified',
      accessKeyId: SESSION.accessKeyId,
      sessionToken: SESSION.sessionToken,
    });
  });

  it('verifies what a real SDK client sends, path, query and all', async () => {
    let sent: SignedRequest | undefined;
    const client = new DynamoDBClient({
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:8000/base path',
      credentials: ROOT_CREDENTIALS,
      requestHandler: {
        async handle(request: {
          method: string;
          path: string;
          query?: Record<string, string>;
          headers: Record<string, string>;
          body: string;
        }) {
          const search = new URLSearchParams(request.query ?? {}).toString();
          sent = {
            method: request.method,
            url: `${request.path}${search ? `?${search}` : ''}`,
            headers: request.headers,
            body: Buffer.from(request.body),
          };
          throw new Error('captured');
        },
      },
    });
    await expect(
      client.send(new GetItemCommand({ TableName: 'Items', Key: { pk: { S: 'TENANT#a' } } })),
    ).rejects.toThrow('captured');
    expect(sent?.url).toBe('/base%20path/');
    const now = Date.parse(
      String(sent?.headers['x-amz-date']).replace(
        /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/,
        '$1-$2-$3T$4:$5:$6Z',
      ),
    );
    expect(await verifier(now).verify(sent as SignedRequest, 'dynamodb')).toMatchObject({
      status: 'verified',
    });
  });

  it('verifies a query string with the signer’s encoding', async () => {
    const request = await signed({
      path: '/2015-03-31/functions/a%3Ab/invocations',
      query: { Qualifier: 'live one', x: 'a+b' },
    });
    expect(await verifier().verify(request, 'dynamodb')).toMatchObject({ status: 'verified' });
  });

  it.each([
    ['without', false],
    ['with', true],
  ])('refuses a changed body (signed %s x-amz-content-sha256)', async (_with, applyChecksum) => {
    const request = await signed({ applyChecksum });
    expect(await verifier().verify(request, 'dynamodb')).toMatchObject({ status: 'verified' });
    request.body = Buffer.from(JSON.stringify({ TableName: 'Items', Key: { pk: { S: 'TENANT#b' } } }));
    expect(await refusal(request)).toEqual({ reason: 'mismatch', message: SIGNATURE_MISMATCH_MESSAGE });
  });

  it('folds whitespace inside a signed header value as the signer does', async () => {
    const signer = new SignatureV4({
      service: 'dynamodb',
      region: 'us-east-1',
      credentials: ROOT_CREDENTIALS,
      sha256: Sha256,
    });
    const request = await signer.sign(
      {
        method: 'POST',
        protocol: 'http:',
        hostname: '127.0.0.1',
        path: '/',
        query: {},
        headers: { host: '127.0.0.1:8000', 'x-amz-meta-note': 'two  spaces\tand a tab' },
        body: '{}',
      },
      { signingDate: new Date(NOW) },
    );
    const received = { method: 'POST', url: '/', headers: request.headers, body: Buffer.from('{}') };
    expect(await verifier().verify(received, 'dynamodb')).toMatchObject({ status: 'verified' });
  });

  it('refuses a changed signed header and ignores a changed unsigned one', async () => {
    const request = await signed();
    expect(String(request.headers.authorization)).not.toContain('user-agent');
    const agent = { ...request, headers: { ...request.headers, 'user-agent': 'curl/8' } };
    expect(await verifier().verify(agent, 'dynamodb')).toMatchObject({ status: 'verified' });
    const target = {
      ...request,
      headers: { ...request.headers, 'x-amz-target': 'DynamoDB_20120810.DeleteTable' },
    };
    expect((await refusal(target)).reason).toBe('mismatch');
  });

  it('refuses a signature made with another secret', async () => {
    const request = await signed({
      credentials: { accessKeyId: ROOT_CREDENTIALS.accessKeyId, secretAccessKey: 'not-the-secret' },
    });
    expect(await refusal(request)).toEqual({ reason: 'mismatch', message: SIGNATURE_MISMATCH_MESSAGE });
  });

  it('refuses a credential scoped to another service', async () => {
    expect(await refusal(await signed(), 'cognito-idp')).toEqual({
      reason: 'scope',
      message: "Credential should be scoped to correct service: 'cognito-idp'.",
    });
  });

  it('refuses a credential scoped to another region', async () => {
    expect(await refusal(await signed({ region: 'eu-west-1' }))).toEqual({
      reason: 'scope',
      message: 'Credential should be scoped to a valid region.',
    });
  });

  it('refuses an X-Amz-Date more than 5 minutes behind the clock as expired', async () => {
    const request = await signed({ signingDate: new Date(NOW - 5 * 60_000 - 1_000) });
    expect(await refusal(request)).toEqual({
      reason: 'skew',
      message:
        'Signature expired: 20261129T115459Z is now earlier than 20261129T115500Z (20261129T120000Z - 5 min.)',
    });
  });

  it('refuses an X-Amz-Date more than 5 minutes ahead of the clock as not yet current', async () => {
    const request = await signed({ signingDate: new Date(NOW + 6 * 60_000) });
    expect(await refusal(request)).toEqual({
      reason: 'skew',
      message:
        'Signature not yet current: 20261129T120600Z is still later than 20261129T120500Z (20261129T120000Z + 5 min.)',
    });
  });

  it('accepts an X-Amz-Date within 5 minutes of the clock', async () => {
    const request = await signed({ signingDate: new Date(NOW - 4 * 60_000) });
    expect(await verifier().verify(request, 'dynamodb')).toMatchObject({ status: 'verified' });
  });

  it('measures time on the server clock, not the machine’s', async () => {
    const request = await signed();
    expect((await refusal(request, 'dynamodb', NOW + 3600_000)).message).toMatch(/^Signature expired: /);
  });

  it('also accepts real time once a test has moved the clock ahead, and refuses by the clock', async () => {
    const moved = createSigV4Verifier({
      secretOf: (id) => secrets[id],
      now: () => NOW + 8 * 3600_000,
      realNow: () => NOW,
      region: 'us-east-1',
    });
    expect(await moved.verify(await signed(), 'dynamodb')).toMatchObject({ status: 'verified' });
    const byClock = await signed({ signingDate: new Date(NOW + 8 * 3600_000) });
    expect(await moved.verify(byClock, 'dynamodb')).toMatchObject({ status: 'verified' });
    const neither = await signed({ signingDate: new Date(NOW + 4 * 3600_000) });
    const error = await moved.verify(neither, 'dynamodb').catch((e: unknown) => e);
    expect(error).toMatchObject({
      reason: 'skew',
      message: expect.stringMatching(
        /^Signature expired: 20261129T160000Z is now earlier than 20261129T195500Z/,
      ),
    });
  });

  it('refuses a signature that does not cover the Host header', async () => {
    const request = await signed();
    request.headers.authorization = String(request.headers.authorization).replace('host;', '');
    expect(await refusal(request)).toEqual({
      reason: 'incomplete',
      message: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
    });
  });

  it('refuses an Authorization header without its Signature', async () => {
    const request = await signed();
    request.headers.authorization = String(request.headers.authorization).replace(/, Signature=.*$/, '');
    expect(await refusal(request)).toMatchObject({
      reason: 'incomplete',
      message: expect.stringMatching(/^Authorization header requires 'Signature' parameter\. Authorization=/),
    });
  });

  it('refuses a SigV4a signature, which the local cloud does not take', async () => {
    const request = await signed();
    request.headers.authorization = String(request.headers.authorization).replace(
      'AWS4-HMAC-SHA256',
      'AWS4-ECDSA-P256-SHA256',
    );
    expect(await refusal(request)).toEqual({
      reason: 'incomplete',
      message: "Unsupported AWS 'algorithm': 'AWS4-ECDSA-P256-SHA256'",
    });
  });

  it('refuses a request without a date', async () => {
    const request = await signed();
    delete request.headers['x-amz-date'];
    expect((await refusal(request)).message).toMatch(
      /^Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header/,
    );
  });

  it('names a key it did not issue without verifying anything', async () => {
    const request = await signed({ credentials: { accessKeyId: 'AKIASTRANGER', secretAccessKey: 'x' } });
    expect(await verifier().verify(request, 'dynamodb')).toEqual({
      status: 'unknown-key',
      accessKeyId: 'AKIASTRANGER',
    });
  });

  it('reports an unsigned request as such', async () => {
    expect(
      await verifier().verify(
        { method: 'POST', url: '/', headers: { host: 'x' }, body: Buffer.alloc(0) },
        'cognito-idp',
      ),
    ).toEqual({ status: 'unsigned' });
  });

  describe('presigned URLs', () => {
    const presigned = async (expiresIn: number) => {
      const signer = new SignatureV4({
        service: 's3',
        region: 'us-east-1',
        credentials: ROOT_CREDENTIALS,
        sha256: Sha256,
        uriEscapePath: false,
      });
      const request = await signer.presign(
        {
          method: 'GET',
          protocol: 'http:',
          hostname: '127.0.0.1',
          path: '/bucket/a key.txt'.replace(' ', '%20'),
          query: {},
          // As the S3 presigner does: S3 never hashes the payload of a presigned URL.
          headers: { host: '127.0.0.1:4566', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
        },
        { signingDate: new Date(NOW), expiresIn },
      );
      const search = Object.entries(request.query ?? {})
        .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`)
        .join('&');
      return { method: 'GET', url: `${request.path}?${search}`, headers: { host: '127.0.0.1:4566' } };
    };

    it('verifies a presigned S3 URL while it is valid', async () => {
      expect(await verifier(NOW + 60_000).verify(await presigned(300), 's3')).toMatchObject({
        status: 'verified',
      });
    });

    it('refuses a presigned URL past X-Amz-Expires', async () => {
      expect((await refusal(await presigned(300), 's3', NOW + 301_000)).reason).toBe('expired');
    });
  });

  it('takes the signed x-amz-content-sha256 for a body it does not read (S3)', async () => {
    const signer = new SignatureV4({
      service: 's3',
      region: 'us-east-1',
      credentials: ROOT_CREDENTIALS,
      sha256: Sha256,
      uriEscapePath: false,
    });
    const request = await signer.sign(
      {
        method: 'PUT',
        protocol: 'http:',
        hostname: '127.0.0.1',
        path: '/bucket/key',
        query: {},
        headers: { host: '127.0.0.1:4566', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
        body: 'hello',
      },
      { signingDate: new Date(NOW) },
    );
    const received = { method: 'PUT', url: '/bucket/key', headers: request.headers };
    expect(await verifier().verify(received, 's3')).toMatchObject({ status: 'verified' });
    const { 'x-amz-content-sha256': _hash, ...headers } = request.headers;
    expect((await refusal({ ...received, headers }, 's3')).message).toBe(
      'Missing required header for this request: x-amz-content-sha256',
    );
  });
});
