import { describe, expect, it } from 'vitest';
import { createClock } from '../clock.js';
import { createCredentialsRegistry, ROOT_CREDENTIALS } from './credentials.js';
import { createDynamoDbGuard } from './dynamodb-guard.js';
import { createIamStore } from './providers.js';
import { createRole } from './testing.js';

const TABLE = 'arn:aws:dynamodb:us-east-1:000000000000:table/Products';

async function setup(statements: object[]) {
  const clock = createClock();
  const roles = createIamStore();
  const credentials = createCredentialsRegistry({ clock, roles, accountId: '000000000000' });
  const roleArn = await createRole(roles, 'app', statements);
  let describeCalls = 0;
  const guard = createDynamoDbGuard({
    credentials,
    roles,
    region: 'us-east-1',
    accountId: '000000000000',
    keySchema: async (table) => {
      describeCalls++;
      return table === 'Products' ? 'pk' : undefined;
    },
  });
  const headersOf = (creds: { accessKeyId: string; sessionToken?: string }) => ({
    authorization: `AWS4-HMAC-SHA256 Credential=${creds.accessKeyId}/20261129/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00`,
    ...(creds.sessionToken ? { 'x-amz-security-token': creds.sessionToken } : {}),
  });
  const call = (
    creds: { accessKeyId: string; sessionToken?: string },
    operation: string,
    body: Record<string, unknown>,
  ) => Promise.resolve(guard({ operation, body, headers: headersOf(creds) }));
  return { clock, roles, credentials, roleArn, guard, call, headersOf, describes: () => describeCalls };
}

const getA = { TableName: 'Products', Key: { pk: { S: 'TENANT#a' }, sk: { S: 'P#1' } } };

describe('DynamoDB guard', () => {
  it('lets the root credentials do anything', async () => {
    const { call } = await setup([]);
    expect(await call(ROOT_CREDENTIALS, 'DeleteTable', { TableName: 'Products' })).toBeUndefined();
  });

  it('refuses an unknown access key as UnrecognizedClientException', async () => {
    const { call } = await setup([]);
    expect(await call({ accessKeyId: 'AKIAUNKNOWN' }, 'GetItem', getA)).toEqual({
      statusCode: 400,
      error: {
        __type: 'UnrecognizedClientException',
        message: 'The security token included in the request is invalid.',
      },
    });
  });

  it('refuses a session key sent with another session token', async () => {
    const { call, credentials, roleArn } = await setup([{ Effect: 'Allow', Action: '*', Resource: '*' }]);
    const creds = credentials.credentialsForRole(roleArn);
    expect((await call({ ...creds, sessionToken: 'forged' }, 'GetItem', getA))?.error.__type).toBe(
      'UnrecognizedClientException',
    );
  });

  it('refuses an unsigned request', async () => {
    const { guard } = await setup([]);
    expect((await guard({ operation: 'GetItem', body: getA, headers: {} }))?.error.__type).toBe(
      'MissingAuthenticationTokenException',
    );
  });

  it('refuses expired credentials as ExpiredTokenException once the clock passes expiry', async () => {
    const { call, credentials, roleArn, clock } = await setup([
      { Effect: 'Allow', Action: '*', Resource: '*' },
    ]);
    const creds = credentials.credentialsForRole(roleArn, { durationSeconds: 900 });
    expect(await call(creds, 'GetItem', getA)).toBeUndefined();
    clock.advance(900_000);
    expect(await call(creds, 'GetItem', getA)).toEqual({
      statusCode: 400,
      error: {
        __type: 'ExpiredTokenException',
        message: 'The security token included in the request is expired',
      },
    });
  });

  it('denies an action the role lacks with the AWS message', async () => {
    const { call, credentials, roleArn } = await setup([
      { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: TABLE },
    ]);
    const creds = credentials.credentialsForRole(roleArn, { sessionName: 'fn' });
    expect(await call(creds, 'GetItem', getA)).toBeUndefined();
    expect(await call(creds, 'PutItem', { TableName: 'Products', Item: getA.Key })).toEqual({
      statusCode: 400,
      error: {
        __type: 'AccessDeniedException',
        message: `User: arn:aws:sts::000000000000:assumed-role/app/fn is not authorized to perform: dynamodb:PutItem on resource: ${TABLE} because no identity-based policy allows the dynamodb:PutItem action`,
      },
    });
  });

  it("restricts a session to its tenant's leading keys", async () => {
    const { call, credentials, roleArn } = await setup([
      { Effect: 'Allow', Action: 'dynamodb:*', Resource: TABLE },
    ]);
    const creds = credentials.credentialsForRole(roleArn, {
      sessionPolicy: {
        Statement: [
          {
            Effect: 'Allow',
            Action: 'dynamodb:GetItem',
            Resource: TABLE,
            Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['TENANT#a', 'TENANT#a#*'] } },
          },
        ],
      },
    });
    expect(await call(creds, 'GetItem', getA)).toBeUndefined();
    const denied = await call(creds, 'GetItem', {
      ...getA,
      Key: { pk: { S: 'TENANT#b' }, sk: { S: 'P#1' } },
    });
    expect(denied?.error.message).toMatch(/because no session policy allows the dynamodb:GetItem action$/);
  });

  it('sees policy changes made to the role after credentials were issued', async () => {
    const { call, credentials, roleArn, roles } = await setup([
      { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: TABLE },
    ]);
    const creds = credentials.credentialsForRole(roleArn);
    expect(await call(creds, 'GetItem', getA)).toBeUndefined();
    roles.roles
      .get('app')
      ?.policies.set('deny', { Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] });
    expect((await call(creds, 'GetItem', getA))?.error.message).toMatch(
      /explicit deny in an identity-based policy$/,
    );
  });

  it('asks for a table key schema once', async () => {
    const { call, credentials, roleArn, describes } = await setup([
      { Effect: 'Allow', Action: '*', Resource: '*' },
    ]);
    const creds = credentials.credentialsForRole(roleArn);
    for (let i = 0; i < 5; i++) await call(creds, 'GetItem', getA);
    expect(describes()).toBe(1);
  });
});
