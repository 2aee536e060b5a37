import {
  BatchGetItemCommand,
  CreateTableCommand,
  DynamoDBClient,
  DynamoDBServiceException,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClock } from '../clock.js';
import { createDynamoDbProxy, type DynamoDbLocal, startDynamoDbLocal } from '../dynamodb/server.js';
import { createCredentialsRegistry, ROOT_CREDENTIALS } from './credentials.js';
import { createDynamoDbGuard } from './dynamodb-guard.js';
import { partitionKeyFromDescribeTable } from './dynamodb-keys.js';
import { createIamStore } from './providers.js';
import { createRole, serve } from './testing.js';

const ACCOUNT = '000000000000';
const TABLE = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/Items`;
const clock = createClock();
const roles = createIamStore();
const credentials = createCredentialsRegistry({ clock, roles, accountId: ACCOUNT });
let dynamo: DynamoDbLocal;
let proxy: Awaited<ReturnType<typeof serve>>;
let root: DynamoDBClient;

const client = (creds: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) =>
  new DynamoDBClient({ endpoint: proxy.url, region: 'us-east-1', credentials: creds, maxAttempts: 1 });
const key = (tenant: string, sk = 'P#1') => ({ pk: { S: `TENANT#${tenant}` }, sk: { S: sk } });
const refusal = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DynamoDBServiceException);
  const e = error as DynamoDBServiceException;
  return { name: e.name, message: e.message, status: e.$metadata.httpStatusCode };
};
const TENANT_A_ONLY = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: [
        'dynamodb:GetItem',
        'dynamodb:Query',
        'dynamodb:BatchGetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
      ],
      Resource: TABLE,
      Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['TENANT#a', 'TENANT#a#*'] } },
    },
  ],
};

beforeAll(async () => {
  dynamo = await startDynamoDbLocal({});
  const internal = new DynamoDBClient({
    endpoint: dynamo.internalEndpoint,
    region: 'us-east-1',
    credentials: ROOT_CREDENTIALS,
  });
  const guard = createDynamoDbGuard({
    credentials,
    roles,
    region: 'us-east-1',
    accountId: ACCOUNT,
    keySchema: partitionKeyFromDescribeTable(internal),
  });
  proxy = await serve(createDynamoDbProxy(dynamo.internalEndpoint, () => guard));
  root = client(ROOT_CREDENTIALS);
  await root.send(
    new CreateTableCommand({
      TableName: 'Items',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    }),
  );
  for (const tenant of ['a', 'b'])
    await root.send(
      new PutItemCommand({ TableName: 'Items', Item: { ...key(tenant), name: { S: tenant } } }),
    );
}, 60_000);

afterAll(async () => {
  await proxy?.close();
  await dynamo?.stop();
});

describe('DynamoDB authorisation through the proxy', () => {
  let tenantA: DynamoDBClient;
  let readOnly: DynamoDBClient;
  let transactor: DynamoDBClient;

  beforeAll(async () => {
    const appArn = await createRole(roles, 'app', [
      { Effect: 'Allow', Action: 'dynamodb:*', Resource: TABLE },
    ]);
    tenantA = client(
      credentials.credentialsForRole(appArn, { sessionName: 'tenant-a', sessionPolicy: TENANT_A_ONLY }),
    );
    const readerArn = await createRole(roles, 'reader', [
      { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:Query'], Resource: TABLE },
    ]);
    readOnly = client(credentials.credentialsForRole(readerArn, { sessionName: 'fn' }));
    const transactorArn = await createRole(roles, 'transactor', [
      { Effect: 'Allow', Action: ['dynamodb:PutItem', 'dynamodb:UpdateItem'], Resource: TABLE },
    ]);
    transactor = client(credentials.credentialsForRole(transactorArn, { sessionName: 'tx' }));
  });

  it('lets a role do what its policy allows', async () => {
    const { Item } = await readOnly.send(new GetItemCommand({ TableName: 'Items', Key: key('b') }));
    expect(Item?.name?.S).toBe('b');
  });

  it('answers AccessDeniedException for an action the role lacks', async () => {
    expect(
      await refusal(readOnly.send(new PutItemCommand({ TableName: 'Items', Item: key('a', 'P#9') }))),
    ).toEqual({
      name: 'AccessDeniedException',
      status: 400,
      message: `User: arn:aws:sts::${ACCOUNT}:assumed-role/reader/fn is not authorized to perform: dynamodb:PutItem on resource: ${TABLE} because no identity-based policy allows the dynamodb:PutItem action`,
    });
  });

  it('refuses credentials the local cloud never issued', async () => {
    const stranger = client({ accessKeyId: 'AKIASTRANGER', secretAccessKey: 'x' });
    expect(
      (await refusal(stranger.send(new GetItemCommand({ TableName: 'Items', Key: key('a') })))).name,
    ).toBe('UnrecognizedClientException');
  });

  it("lets a tenant-scoped session read its tenant's items", async () => {
    const { Item } = await tenantA.send(new GetItemCommand({ TableName: 'Items', Key: key('a') }));
    expect(Item?.name?.S).toBe('a');
    const { Items } = await tenantA.send(
      new QueryCommand({
        TableName: 'Items',
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': 'pk' },
        ExpressionAttributeValues: { ':pk': { S: 'TENANT#a' } },
      }),
    );
    expect(Items).toHaveLength(1);
    const batch = await tenantA.send(
      new BatchGetItemCommand({ RequestItems: { Items: { Keys: [key('a')] } } }),
    );
    expect(batch.Responses?.Items).toHaveLength(1);
  });

  it("denies a tenant-scoped session another tenant's item, query and batch", async () => {
    const get = await refusal(tenantA.send(new GetItemCommand({ TableName: 'Items', Key: key('b') })));
    expect(get).toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringMatching(
        /assumed-role\/app\/tenant-a .* because no session policy allows the dynamodb:GetItem action$/,
      ),
    });
    const query = await refusal(
      tenantA.send(
        new QueryCommand({
          TableName: 'Items',
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: 'TENANT#b' } },
        }),
      ),
    );
    expect(query.name).toBe('AccessDeniedException');
    const batch = await refusal(
      tenantA.send(new BatchGetItemCommand({ RequestItems: { Items: { Keys: [key('a'), key('b')] } } })),
    );
    expect(batch.message).toContain('dynamodb:BatchGetItem');
  });

  it("fails a whole transaction that writes another tenant's item", async () => {
    const write = (tenant: string, sk: string) => ({
      Put: { TableName: 'Items', Item: { ...key(tenant, sk), v: { N: '1' } } },
    });
    await tenantA.send(
      new TransactWriteItemsCommand({ TransactItems: [write('a', 'T#1'), write('a', 'T#2')] }),
    );
    const denied = await refusal(
      tenantA.send(new TransactWriteItemsCommand({ TransactItems: [write('a', 'T#3'), write('b', 'T#3')] })),
    );
    expect(denied.message).toContain('dynamodb:PutItem');
    const { Item } = await root.send(new GetItemCommand({ TableName: 'Items', Key: key('a', 'T#3') }));
    expect(Item).toBeUndefined();
  });

  it('needs dynamodb:ConditionCheckItem for a ConditionCheck inside a transaction', async () => {
    const items = [
      { Put: { TableName: 'Items', Item: { ...key('a', 'C#1') } } },
      { ConditionCheck: { TableName: 'Items', Key: key('a'), ConditionExpression: 'attribute_exists(pk)' } },
    ];
    const denied = await refusal(transactor.send(new TransactWriteItemsCommand({ TransactItems: items })));
    expect(denied.message).toContain('not authorized to perform: dynamodb:ConditionCheckItem');
    await transactor.send(new TransactWriteItemsCommand({ TransactItems: items.slice(0, 1) }));
  });
});
