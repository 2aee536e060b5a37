import {
  BatchWriteCommand,
  DeleteCommand,
  ExecuteStatementCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { orderKey, productKey } from '@tenantry/data';
import { TenantIsolationError } from '@tenantry/tenant-middleware';
import { describe, expect, it } from 'vitest';
import { buildTenantScopedClient } from './scoped-client.js';

const TABLE = 'products';
const mine = productKey('acme', 'p1');
const foreign = productKey('acme-corp', 'p1');

function scoped(answer: (command: unknown) => unknown = () => ({})) {
  const sent: unknown[] = [];
  const client = buildTenantScopedClient(
    {
      send: async (command: unknown) => {
        sent.push(command);
        return answer(command);
      },
    } as never,
    { tenantId: 'acme', shardCount: 4, notFoundMessage: 'product not found' },
  );
  return { client, sent };
}

const refusal = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TenantIsolationError);
  const e = error as TenantIsolationError;
  return { status: e.statusCode, message: e.message, reason: e.reason };
};

describe('buildTenantScopedClient', () => {
  it("sends commands on the tenant's own partitions", async () => {
    const { client, sent } = scoped(() => ({ Item: { ...mine, name: 'Pen' } }));
    await expect(client.send(new GetCommand({ TableName: TABLE, Key: mine }))).resolves.toEqual({
      Item: { ...mine, name: 'Pen' },
    });
    await client.send(new PutCommand({ TableName: TABLE, Item: { ...mine, name: 'Pen' } }));
    await client.send(
      new QueryCommand({
        TableName: TABLE,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: { ':pk': 'TENANT#acme#3', ':p': 'PRODUCT#' },
      }),
    );
    expect(sent).toHaveLength(3);
  });

  it.each([
    ['a get', new GetCommand({ TableName: TABLE, Key: foreign })],
    ['a put', new PutCommand({ TableName: TABLE, Item: { ...foreign, name: 'x' } })],
    ['an update', new UpdateCommand({ TableName: TABLE, Key: foreign, UpdateExpression: 'SET a = :a' })],
    ['a delete', new DeleteCommand({ TableName: TABLE, Key: { pk: 'TENANT#acme#9', sk: 'PRODUCT#p1' } })],
    [
      'a delete of the bare prefix',
      new DeleteCommand({ TableName: TABLE, Key: { pk: 'TENANT#acm', sk: 'x' } }),
    ],
    [
      'a query',
      new QueryCommand({
        TableName: TABLE,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'TENANT#acme-corp#0' },
      }),
    ],
    [
      'a query starting in another partition',
      new QueryCommand({
        TableName: TABLE,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'TENANT#acme#0' },
        ExclusiveStartKey: foreign,
      }),
    ],
    [
      'a batch write with one foreign item',
      new BatchWriteCommand({
        RequestItems: {
          [TABLE]: [{ PutRequest: { Item: { ...mine } } }, { DeleteRequest: { Key: foreign } }],
        },
      }),
    ],
    [
      'a transaction with one foreign key',
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: TABLE, Item: { ...mine } } },
          { ConditionCheck: { TableName: TABLE, Key: foreign, ConditionExpression: 'attribute_exists(pk)' } },
        ],
      }),
    ],
  ])("refuses %s outside the tenant's partitions without sending it", async (_name, command) => {
    const { client, sent } = scoped();
    expect(await refusal(client.send(command))).toMatchObject({
      status: 404,
      message: 'product not found',
      reason: 'foreign-key',
    });
    expect(sent).toEqual([]);
  });

  it('refuses Scan, PartiQL and queries not on the partition key', async () => {
    const { client, sent } = scoped();
    for (const command of [
      new ScanCommand({ TableName: TABLE }),
      new ExecuteStatementCommand({ Statement: `SELECT * FROM ${TABLE}` }),
      new QueryCommand({
        TableName: TABLE,
        KeyConditionExpression: 'sk = :pk',
        ExpressionAttributeValues: { ':pk': 'TENANT#acme' },
      }),
    ])
      expect((await refusal(client.send(command))).reason).toBe('forbidden-operation');
    expect(sent).toEqual([]);
  });

  it('refuses an answer that holds an item of another tenant', async () => {
    const { client } = scoped(() => ({ Items: [{ ...mine }, { ...foreign, name: 'secret' }] }));
    const query = new QueryCommand({
      TableName: TABLE,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': mine.pk },
    });
    expect((await refusal(client.send(query))).reason).toBe('foreign-item');
  });

  it("turns DynamoDB's AccessDeniedException into the caller's 404", async () => {
    const { client } = scoped(() => {
      throw Object.assign(new Error('User: arn:aws:sts::1:assumed-role/x is not authorized'), {
        name: 'AccessDeniedException',
      });
    });
    const result = await refusal(client.send(new GetCommand({ TableName: TABLE, Key: mine })));
    expect(result).toEqual({ status: 404, message: 'product not found', reason: 'access-denied' });
  });

  it('passes other DynamoDB errors on unchanged', async () => {
    const { client } = scoped(() => {
      throw Object.assign(new Error('conditional'), { name: 'ConditionalCheckFailedException' });
    });
    await expect(client.send(new DeleteCommand({ TableName: TABLE, Key: mine }))).rejects.toMatchObject({
      name: 'ConditionalCheckFailedException',
    });
  });

  it("lets a transaction span tables of different shard counts, all on the tenant's partitions", async () => {
    const sent: unknown[] = [];
    const client = buildTenantScopedClient(
      { send: async (command: unknown) => sent.push(command) } as never,
      { tenantId: 'acme', shardCount: [1, 4], notFoundMessage: 'order not found' },
    );
    const order = orderKey('acme', 'o1', 1);
    await client.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: 'orders', Item: { ...order, total: 1 } } },
          { Update: { TableName: TABLE, Key: mine, UpdateExpression: 'SET stock = stock - :q' } },
          { ConditionCheck: { TableName: TABLE, Key: productKey('acme', 'p2'), ConditionExpression: 'x' } },
        ],
      }),
    );
    expect(sent).toHaveLength(1);
    const foreignOrder = new TransactWriteCommand({
      TransactItems: [
        { Put: { TableName: 'orders', Item: { ...order, total: 1 } } },
        { ConditionCheck: { TableName: TABLE, Key: foreign, ConditionExpression: 'x' } },
      ],
    });
    expect((await refusal(client.send(foreignOrder))).reason).toBe('foreign-key');
    expect(sent).toHaveLength(1);
  });

  it('refuses a cancelled transaction whose reasons carry an item of another tenant', async () => {
    const cancelled = (pk: string) => () => {
      throw Object.assign(new Error('cancelled'), {
        name: 'TransactionCanceledException',
        CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed', Item: { pk: { S: pk } } }],
      });
    };
    const write = new TransactWriteCommand({
      TransactItems: [{ ConditionCheck: { TableName: TABLE, Key: mine, ConditionExpression: 'x' } }],
    });
    expect((await refusal(scoped(cancelled(foreign.pk)).client.send(write))).reason).toBe('foreign-item');
    await expect(scoped(cancelled(mine.pk)).client.send(write)).rejects.toMatchObject({
      name: 'TransactionCanceledException',
    });
  });
});
