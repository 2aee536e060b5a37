/**
 * SigV4 verification on the shared local cloud of the integration run: what AWS refuses (a wrong
 * secret, a stale X-Amz-Date, a Host other than the one signed) is refused by every endpoint, in
 * each service's own error, while correctly signed calls and Cognito's unsigned public operations
 * go through.
 */
import { request as httpRequest } from 'node:http';
import { APIGatewayClient, GetApiKeysCommand } from '@aws-sdk/client-api-gateway';
import { CloudFormationClient, ListStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { DescribeParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { beforeEach, describe, expect, inject, it } from 'vitest';
import { ROOT_CREDENTIALS } from './credentials.js';
import { SIGNATURE_MISMATCH_MESSAGE } from './sigv4.js';

const cloud = inject('localCloud');
const endpoints = inject('endpoints');
const region = endpoints.region;
const WRONG_SECRET = { accessKeyId: ROOT_CREDENTIALS.accessKeyId, secretAccessKey: 'not-the-root-secret' };

/** The local cloud's clock runs ahead of real time once a test moved it: sign by it. */
let clockOffset = 0;
beforeEach(async () => {
  const answer = (await (await fetch(`${cloud.gateway}/_local/clock`)).json()) as { now: string };
  clockOffset = Date.parse(answer.now) - Date.now();
});

type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
const config = (endpoint: string, credentials: Credentials, extra: object = {}) => ({
  region,
  endpoint,
  credentials,
  maxAttempts: 1,
  systemClockOffset: clockOffset,
  ...extra,
});

/** How a call failed, as the SDK reports it. */
const failure = async (promise: Promise<unknown>) => {
  const error = (await promise.then(
    () => undefined,
    (e: unknown) => e,
  )) as { name: string; message: string; $metadata?: { httpStatusCode?: number } } | undefined;
  expect(error, 'the call was not refused').toBeDefined();
  return { name: error?.name, message: error?.message, status: error?.$metadata?.httpStatusCode };
};

describe('the DynamoDB endpoint', () => {
  const dynamodb = (credentials: Credentials, extra?: object) =>
    new DynamoDBClient(config(cloud.dynamodb, credentials, extra));

  it('refuses the right access key signed with a wrong secret as InvalidSignatureException', async () => {
    expect(await failure(dynamodb(WRONG_SECRET).send(new ListTablesCommand({})))).toEqual({
      name: 'InvalidSignatureException',
      message: SIGNATURE_MISMATCH_MESSAGE,
      status: 400,
    });
  });

  it('refuses a function role’s key signed with a wrong secret', async () => {
    const [role] = Object.values(inject('functionRoleCredentials'));
    if (!role) throw new Error('the integration stack has no function roles');
    const forged = { ...role, secretAccessKey: `${role.secretAccessKey}x` };
    expect((await failure(dynamodb(forged).send(new ListTablesCommand({})))).name).toBe(
      'InvalidSignatureException',
    );
  });

  it('serves a correctly signed call', async () => {
    const { TableNames } = await dynamodb(ROOT_CREDENTIALS).send(new ListTablesCommand({}));
    expect(TableNames?.length).toBeGreaterThan(0);
  });

  it('refuses an X-Amz-Date more than 5 minutes behind its clock as expired', async () => {
    const stale = dynamodb(ROOT_CREDENTIALS, { systemClockOffset: clockOffset - 10 * 60_000 });
    expect(await failure(stale.send(new ListTablesCommand({})))).toMatchObject({
      name: 'InvalidSignatureException',
      message: expect.stringMatching(/^Signature expired: \d{8}T\d{6}Z is now earlier than /),
      status: 400,
    });
  });

  it('lets the SDK correct a skewed clock from the Date of its answer and retry', async () => {
    const skewed = dynamodb(ROOT_CREDENTIALS, {
      systemClockOffset: clockOffset - 10 * 60_000,
      maxAttempts: 3,
    });
    await expect(skewed.send(new ListTablesCommand({}))).resolves.toMatchObject({
      $metadata: { httpStatusCode: 200, attempts: 2 },
    });
  });

  it('refuses a request sent to another Host than the one signed', async () => {
    const url = new URL(cloud.dynamodb);
    const body = JSON.stringify({});
    const signed = await new SignatureV4({
      service: 'dynamodb',
      region,
      credentials: ROOT_CREDENTIALS,
      sha256: Sha256,
    }).sign(
      {
        method: 'POST',
        protocol: 'http:',
        hostname: 'localhost',
        port: Number(url.port),
        path: '/',
        query: {},
        headers: {
          host: `localhost:${url.port}`,
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'DynamoDB_20120810.ListTables',
        },
        body,
      },
      { signingDate: new Date(Date.now() + clockOffset) },
    );
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(
        cloud.dynamodb,
        { method: 'POST', headers: { ...signed.headers, host: url.host } },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => {
            text += chunk;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({
      __type: 'com.amazon.coral.service#InvalidSignatureException',
      message: SIGNATURE_MISMATCH_MESSAGE,
    });
  });
});

describe('the Cognito endpoint', () => {
  const cognito = (credentials: Credentials) =>
    new CognitoIdentityProviderClient(config(cloud.cognito, credentials));
  const admin = endpoints.systemAdmin;

  it('refuses a signed admin call made with a wrong secret', async () => {
    const call = cognito(WRONG_SECRET).send(
      new AdminGetUserCommand({ UserPoolId: admin.userPoolId, Username: admin.username }),
    );
    expect(await failure(call)).toEqual({
      name: 'InvalidSignatureException',
      message: SIGNATURE_MISMATCH_MESSAGE,
      status: 400,
    });
  });

  it('refuses an admin call signed with a key it never issued', async () => {
    const call = cognito({ accessKeyId: 'testing', secretAccessKey: 'testing' }).send(
      new AdminGetUserCommand({ UserPoolId: admin.userPoolId, Username: admin.username }),
    );
    expect(await failure(call)).toMatchObject({ name: 'UnrecognizedClientException', status: 400 });
  });

  it('serves a correctly signed admin call', async () => {
    const user = await cognito(ROOT_CREDENTIALS).send(
      new AdminGetUserCommand({ UserPoolId: admin.userPoolId, Username: admin.username }),
    );
    expect(user.UserAttributes).toContainEqual({ Name: 'email', Value: admin.username });
  });

  it('refuses an admin call that is not signed at all', async () => {
    const answer = await fetch(cloud.cognito, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSCognitoIdentityProviderService.AdminGetUser',
      },
      body: JSON.stringify({ UserPoolId: admin.userPoolId, Username: admin.username }),
    });
    expect(answer.status).toBe(400);
    expect(((await answer.json()) as { __type: string }).__type).toMatch(
      /MissingAuthenticationTokenException$/,
    );
  });

  it('serves InitiateAuth unsigned, as the SDK sends it, whatever credentials the client holds', async () => {
    const login = await cognito(WRONG_SECRET).send(
      new InitiateAuthCommand({
        ClientId: admin.appClientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: admin.username, PASSWORD: admin.password },
      }),
    );
    expect(login.AuthenticationResult?.IdToken).toBeDefined();
  });
});

describe('the AWS endpoint', () => {
  const s3 = (c: Credentials) => new S3Client(config(cloud.aws, c, { forcePathStyle: true }));
  const bucket = `signatures-${Date.now().toString(36)}`;
  /** Each service, a call of it, and how it refuses that call signed with a wrong secret. */
  const services = [
    {
      service: 'STS',
      call: (c: Credentials) => new STSClient(config(cloud.aws, c)).send(new GetCallerIdentityCommand({})),
      refusal: { name: 'SignatureDoesNotMatch', status: 403 },
    },
    {
      service: 'SSM',
      call: (c: Credentials) => new SSMClient(config(cloud.aws, c)).send(new DescribeParametersCommand({})),
      refusal: { name: 'InvalidSignatureException', status: 400 },
    },
    {
      service: 'Step Functions',
      call: (c: Credentials) => new SFNClient(config(cloud.aws, c)).send(new ListStateMachinesCommand({})),
      refusal: { name: 'InvalidSignatureException', status: 400 },
    },
    {
      service: 'Lambda',
      // The path carries the function ARN, encoded once by the SDK and once more when signed.
      call: (c: Credentials) =>
        new LambdaClient(config(cloud.aws, c)).send(
          new InvokeCommand({
            FunctionName: `arn:aws:lambda:${region}:000000000000:function:signature-check-missing`,
            Payload: Buffer.from('{"a":1}'),
          }),
        ),
      refusal: { name: 'InvalidSignatureException', status: 403 },
      served: { name: 'ResourceNotFoundException' },
    },
    {
      service: 'API Gateway',
      call: (c: Credentials) =>
        new APIGatewayClient(config(cloud.aws, c)).send(new GetApiKeysCommand({ nameQuery: 'no such key' })),
      refusal: { name: 'InvalidSignatureException', status: 403 },
    },
    {
      service: 'CloudFormation',
      call: (c: Credentials) =>
        new CloudFormationClient(config(cloud.aws, c)).send(new ListStacksCommand({})),
      refusal: { name: 'SignatureDoesNotMatch', status: 403 },
    },
    {
      service: 'S3',
      call: (c: Credentials) => s3(c).send(new CreateBucketCommand({ Bucket: bucket })),
      refusal: { name: 'SignatureDoesNotMatch', status: 403 },
    },
  ];

  it.each(services)('$service refuses a wrong secret with its own error', async ({ call, refusal }) => {
    expect(await failure(call(WRONG_SECRET))).toMatchObject(refusal);
  });

  it.each(services)('$service serves a correctly signed call', async ({ call, served }) => {
    if (served) expect(await failure(call(ROOT_CREDENTIALS))).toMatchObject(served);
    else await expect(call(ROOT_CREDENTIALS)).resolves.toMatchObject({ $metadata: { httpStatusCode: 200 } });
  });

  it('serves S3 objects put and read with correctly signed requests', async () => {
    const root = s3(ROOT_CREDENTIALS);
    await root.send(new CreateBucketCommand({ Bucket: bucket })).catch(() => undefined);
    await root.send(new PutObjectCommand({ Bucket: bucket, Key: 'a dir/a key.txt', Body: 'hello' }));
    const object = await root.send(new GetObjectCommand({ Bucket: bucket, Key: 'a dir/a key.txt' }));
    expect(await object.Body?.transformToString()).toBe('hello');
    const forged = s3(WRONG_SECRET).send(
      new PutObjectCommand({ Bucket: bucket, Key: 'a dir/a key.txt', Body: 'forged' }),
    );
    expect((await failure(forged)).name).toBe('SignatureDoesNotMatch');
  });

  it('refuses an access key the local cloud did not issue', async () => {
    const stranger = { accessKeyId: 'AKIASTRANGER', secretAccessKey: 'x' };
    expect(
      await failure(new SSMClient(config(cloud.aws, stranger)).send(new DescribeParametersCommand({}))),
    ).toEqual({
      name: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
      status: 400,
    });
  });
});
