import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { amzDate, signJsonRequest } from './sigv4.js';

const date = new Date('2026-11-29T15:30:00.123Z');
const request = {
  host: 'dynamodb.eu-west-1.amazonaws.com',
  path: '/',
  headers: {
    'content-type': 'application/x-amz-json-1.0',
    'x-amz-target': 'DynamoDB_20120810.GetItem',
    'content-length': '43',
  },
  body: '{"TableName":"t","Key":{"pk":{"S":"a  b"}}}',
  service: 'dynamodb',
  region: 'eu-west-1',
  date,
};

/** What the SDK's own signer makes of the same request, every header signed. */
async function sdkSignature(credentials: {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}) {
  const signer = new SignatureV4({
    service: request.service,
    region: request.region,
    sha256: Sha256,
    credentials,
    applyChecksum: false,
  });
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: 'https:',
      hostname: request.host,
      path: request.path,
      query: {},
      headers: { ...request.headers, host: request.host },
      body: request.body,
    },
    { signingDate: date },
  );
  return signed.headers.authorization;
}

describe('signJsonRequest', () => {
  it('signs as the SDK signs', async () => {
    const credentials = {
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
    };
    const headers = signJsonRequest({ ...request, credentials });

    expect(headers.authorization).toBe(await sdkSignature(credentials));
    expect(headers['x-amz-date']).toBe('20261129T153000Z');
    expect(headers.host).toBe(request.host);
  });

  it('signs the session token of temporary credentials', async () => {
    const credentials = {
      accessKeyId: 'ASIAEXAMPLE',
      secretAccessKey: 'secret',
      sessionToken: 'token/with+chars',
    };
    const headers = signJsonRequest({ ...request, credentials });

    expect(headers['x-amz-security-token']).toBe('token/with+chars');
    expect(headers.authorization).toContain('x-amz-security-token');
    expect(headers.authorization).toBe(await sdkSignature(credentials));
  });

  it('gives another signature for another body, secret, region or service', () => {
    const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };
    const base = signJsonRequest({ ...request, credentials }).authorization;
    expect(signJsonRequest({ ...request, credentials, body: '{}' }).authorization).not.toBe(base);
    expect(
      signJsonRequest({ ...request, credentials: { ...credentials, secretAccessKey: 'other' } })
        .authorization,
    ).not.toBe(base);
    expect(signJsonRequest({ ...request, credentials, region: 'eu-central-1' }).authorization).not.toBe(base);
    expect(signJsonRequest({ ...request, credentials, service: 'ssm' }).authorization).not.toBe(base);
  });
});

describe('amzDate', () => {
  it('writes ISO 8601 basic format without milliseconds', () => {
    expect(amzDate(date)).toBe('20261129T153000Z');
  });
});
