import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { createClock } from '../clock.js';
import { createCredentialsRegistry, ROOT_CREDENTIALS } from './credentials.js';
import { CredentialsError, SignatureError } from './errors.js';
import { createIamStore } from './providers.js';
import { type AuthenticationPolicy, authFailure, createRequestAuthenticator } from './request-auth.js';
import type { SignedRequest } from './sigv4.js';
import { createRole } from './testing.js';

const clock = createClock();
const roles = createIamStore();
const credentials = createCredentialsRegistry({ clock, roles, accountId: '000000000000' });
const authenticator = createRequestAuthenticator({ credentials, clock, region: 'us-east-1' });
const POLICY: AuthenticationPolicy = { service: 'ssm', unsigned: 'refuse' };

async function signed(creds: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) {
  const body = '{"Name":"/tenantry/page-token-key"}';
  const request = await new SignatureV4({
    service: 'ssm',
    region: 'us-east-1',
    credentials: creds,
    sha256: Sha256,
  }).sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      path: '/',
      query: {},
      headers: { host: '127.0.0.1:4566', 'x-amz-target': 'AmazonSSM.GetParameter' },
      body,
    },
    { signingDate: new Date(clock.now()) },
  );
  return { method: 'POST', url: '/', headers: request.headers, body: Buffer.from(body) } as SignedRequest;
}

const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('createRequestAuthenticator', () => {
  it('names the caller of a request signed with issued credentials', async () => {
    const roleArn = await createRole(roles, 'reader', []);
    const session = credentials.credentialsForRole(roleArn, { sessionName: 'fn' });
    expect(await authenticator.authenticate(await signed(session), POLICY)).toMatchObject({
      kind: 'role',
      roleArn,
    });
    expect(await authenticator.authenticate(await signed(ROOT_CREDENTIALS), POLICY)).toMatchObject({
      kind: 'root',
    });
  });

  it('refuses a session token that does not belong to the key, once the signature is right', async () => {
    const roleArn = await createRole(roles, 'token-check', []);
    const session = credentials.credentialsForRole(roleArn);
    const error = await failureOf(
      authenticator.authenticate(await signed({ ...session, sessionToken: 'forged' }), POLICY),
    );
    expect(error).toBeInstanceOf(CredentialsError);
    expect((error as CredentialsError).code).toBe('UnrecognizedClientException');
  });

  it('refuses a signature made with the wrong secret for a key it knows', async () => {
    const error = await failureOf(
      authenticator.authenticate(await signed({ ...ROOT_CREDENTIALS, secretAccessKey: 'guess' }), POLICY),
    );
    expect(error).toBeInstanceOf(SignatureError);
  });

  it('refuses a key it did not issue', async () => {
    const stranger = await signed({ accessKeyId: 'testing', secretAccessKey: 'testing' });
    const refused = await failureOf(authenticator.authenticate(stranger, POLICY));
    expect((refused as CredentialsError).code).toBe('UnrecognizedClientException');
  });

  it('refuses or lets through an unsigned request, as the policy says', async () => {
    const unsigned = { method: 'POST', url: '/', headers: { host: 'x' }, body: Buffer.alloc(0) };
    const refused = await failureOf(authenticator.authenticate(unsigned, POLICY));
    expect((refused as CredentialsError).code).toBe('MissingAuthenticationTokenException');
    expect(await authenticator.authenticate(unsigned, { ...POLICY, unsigned: 'pass' })).toBeUndefined();
  });
});

describe('authFailure', () => {
  const mismatch = new SignatureError('mismatch', 'The request signature we calculated does not match…');
  const expired = new SignatureError('skew', 'Signature expired: …');

  it.each([
    ['json-1.0', mismatch, 400, 'InvalidSignatureException'],
    ['json-1.1', expired, 400, 'InvalidSignatureException'],
    ['rest-json', mismatch, 403, 'InvalidSignatureException'],
    ['query', mismatch, 403, 'SignatureDoesNotMatch'],
    ['query', expired, 403, 'SignatureDoesNotMatch'],
    ['rest-xml', mismatch, 403, 'SignatureDoesNotMatch'],
    ['rest-xml', expired, 403, 'RequestTimeTooSkewed'],
    ['json-1.0', new SignatureError('incomplete', 'x'), 400, 'IncompleteSignatureException'],
    ['query', new CredentialsError('UnrecognizedClientException', 'x'), 403, 'InvalidClientTokenId'],
    ['rest-xml', new CredentialsError('UnrecognizedClientException', 'x'), 403, 'InvalidAccessKeyId'],
  ] as const)('answers %s with the code its SDK knows (%s → %s %s)', (protocol, error, statusCode, code) => {
    expect(authFailure(error, protocol)).toMatchObject({ statusCode, code });
  });

  it('leaves other errors alone', () => {
    expect(authFailure(new Error('boom'), 'json-1.0')).toBeUndefined();
  });
});
