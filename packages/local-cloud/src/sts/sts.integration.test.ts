import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  STSClient,
  STSServiceException,
} from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsRouter } from '../aws-router.js';
import { createClock } from '../clock.js';
import { createCredentialsRegistry, type IssuedCredentials, ROOT_CREDENTIALS } from '../iam/credentials.js';
import { createIamStore } from '../iam/providers.js';
import { createRole, serve } from '../iam/testing.js';
import { createSts } from './index.js';

const ACCOUNT = '000000000000';
const clock = createClock();
const roles = createIamStore();
const credentials = createCredentialsRegistry({ clock, roles, accountId: ACCOUNT });
let server: Awaited<ReturnType<typeof serve>>;
let callerArn: string;
let plainArn: string;

const client = (creds: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) =>
  new STSClient({ endpoint: server.url, region: 'us-east-1', credentials: creds, maxAttempts: 1 });
const failure = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(STSServiceException);
  const e = error as STSServiceException;
  return { name: e.name, message: e.message, status: e.$metadata.httpStatusCode };
};
const trusting = (principal: unknown) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole' }],
});

beforeAll(async () => {
  server = await serve(
    createAwsRouter({ sts: createSts({ credentials, roles, accountId: ACCOUNT }).handle }),
  );
  callerArn = await createRole(roles, 'caller', [
    { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' },
  ]);
  plainArn = await createRole(roles, 'plain', [
    { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: '*' },
  ]);
  await createRole(roles, 'trusts-caller', [], trusting(callerArn));
  await createRole(roles, 'trusts-plain', [], trusting(plainArn));
  await createRole(roles, 'trusts-account', [], trusting(`arn:aws:iam::${ACCOUNT}:root`));
  await createRole(roles, 'lambda-only', []);
});
afterAll(() => server.close());

describe('GetCallerIdentity', () => {
  it('names the account root for the root credentials', async () => {
    const identity = await client(ROOT_CREDENTIALS).send(new GetCallerIdentityCommand({}));
    expect(identity).toMatchObject({
      Account: ACCOUNT,
      Arn: `arn:aws:iam::${ACCOUNT}:root`,
      UserId: ACCOUNT,
    });
  });

  it('names the assumed-role session for issued credentials', async () => {
    const creds = credentials.credentialsForRole(callerArn, { sessionName: 'fn-a' });
    const identity = await client(creds).send(new GetCallerIdentityCommand({}));
    expect(identity.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/caller/fn-a`);
    expect(identity.UserId).toMatch(/^AROA[A-Z0-9]+:fn-a$/);
  });

  it('refuses an unknown access key as InvalidClientTokenId', async () => {
    const error = await failure(
      client({ accessKeyId: 'AKIANOTISSUED', secretAccessKey: 'x' }).send(new GetCallerIdentityCommand({})),
    );
    expect(error).toEqual({
      name: 'InvalidClientTokenId',
      message: 'The security token included in the request is invalid.',
      status: 403,
    });
  });

  it('refuses credentials past their expiration as ExpiredToken', async () => {
    const creds = credentials.credentialsForRole(callerArn, { durationSeconds: 900 });
    clock.advance(901_000);
    const error = await failure(client(creds).send(new GetCallerIdentityCommand({})));
    expect(error.name).toBe('ExpiredToken');
  });
});

describe('AssumeRole', () => {
  let caller: IssuedCredentials;
  beforeAll(() => {
    caller = credentials.credentialsForRole(callerArn, { sessionName: 'app' });
  });

  it('issues working credentials when the trust policy names the caller role', async () => {
    const result = await client(caller).send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${ACCOUNT}:role/trusts-caller`,
        RoleSessionName: 'tenant-a',
      }),
    );
    expect(result.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/trusts-caller/tenant-a`);
    expect(result.AssumedRoleUser?.AssumedRoleId).toMatch(/^AROA[A-Z0-9]+:tenant-a$/);
    expect(result.Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(result.Credentials?.Expiration?.getTime()).toBeCloseTo(clock.now() + 3600_000, -4);
    const next = client({
      accessKeyId: result.Credentials?.AccessKeyId as string,
      secretAccessKey: result.Credentials?.SecretAccessKey as string,
      sessionToken: result.Credentials?.SessionToken as string,
    });
    expect((await next.send(new GetCallerIdentityCommand({}))).Arn).toBe(result.AssumedRoleUser?.Arn);
  });

  it('denies a caller the trust policy does not name', async () => {
    const error = await failure(
      client(caller).send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${ACCOUNT}:role/trusts-plain`,
          RoleSessionName: 'x1',
        }),
      ),
    );
    expect(error).toEqual({
      name: 'AccessDenied',
      message: `User: arn:aws:sts::${ACCOUNT}:assumed-role/caller/app is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${ACCOUNT}:role/trusts-plain`,
      status: 403,
    });
  });

  it('denies a role trusted only by a service principal', async () => {
    const error = await failure(
      client(caller).send(
        new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/lambda-only`, RoleSessionName: 'x1' }),
      ),
    );
    expect(error.name).toBe('AccessDenied');
  });

  it('needs the caller’s own sts:AssumeRole permission when the trust policy trusts the account', async () => {
    const roleArn = `arn:aws:iam::${ACCOUNT}:role/trusts-account`;
    const allowed = await client(caller).send(
      new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'ok' }),
    );
    expect(allowed.Credentials?.AccessKeyId).toBeDefined();
    const plain = credentials.credentialsForRole(plainArn);
    const error = await failure(
      client(plain).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'no' })),
    );
    expect(error.name).toBe('AccessDenied');
  });

  it('lets a caller named in the trust policy in without an identity permission', async () => {
    const plain = credentials.credentialsForRole(plainArn);
    const result = await client(plain).send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${ACCOUNT}:role/trusts-plain`,
        RoleSessionName: 'named',
      }),
    );
    expect(result.AssumedRoleUser?.Arn).toContain('trusts-plain/named');
  });

  it('denies the account root, as AWS does', async () => {
    const error = await failure(
      client(ROOT_CREDENTIALS).send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${ACCOUNT}:role/trusts-account`,
          RoleSessionName: 'root',
        }),
      ),
    );
    expect(error).toMatchObject({
      name: 'AccessDenied',
      message: 'Roles may not be assumed by root accounts.',
    });
  });

  it('denies an unknown role like one the caller may not assume', async () => {
    const error = await failure(
      client(caller).send(
        new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/nope`, RoleSessionName: 'x1' }),
      ),
    );
    expect(error.name).toBe('AccessDenied');
  });

  it('validates the session name, duration and session policy', async () => {
    const roleArn = `arn:aws:iam::${ACCOUNT}:role/trusts-caller`;
    const sts = client(caller);
    expect(
      await failure(sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'has space' }))),
    ).toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining("at 'roleSessionName' failed to satisfy constraint"),
      status: 400,
    });
    expect(
      (
        await failure(
          sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'ok', DurationSeconds: 899 })),
        )
      ).message,
    ).toContain('greater than or equal to 900');
    expect(
      (
        await failure(
          sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'ok', DurationSeconds: 7200 })),
        )
      ).message,
    ).toBe('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
    expect(
      (
        await failure(
          sts.send(
            new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'ok', Policy: '{"Statement":' }),
          ),
        )
      ).name,
    ).toBe('MalformedPolicyDocumentException');
    const long = JSON.stringify({
      Statement: [{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: `arn:${'x'.repeat(2100)}` }],
    });
    expect(
      (
        await failure(
          sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'ok', Policy: long })),
        )
      ).message,
    ).toContain('less than or equal to 2048');
  });

  it('gives the new session the session policy it asked for', async () => {
    const policy = { Statement: [{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: '*' }] };
    const result = await client(caller).send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${ACCOUNT}:role/trusts-caller`,
        RoleSessionName: 'scoped',
        Policy: JSON.stringify(policy),
        DurationSeconds: 900,
      }),
    );
    expect(result.PackedPolicySize).toBeGreaterThan(0);
    const principal = credentials.lookup(result.Credentials?.AccessKeyId as string);
    expect(principal).toMatchObject({ kind: 'role', sessionPolicy: policy });
  });
});
