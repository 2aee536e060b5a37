import { describe, expect, it } from 'vitest';
import { dynamoDbRequestContexts, keyedTables } from './dynamodb-context.js';
import { RequestContextError } from './errors.js';

const PREFIX = 'arn:aws:dynamodb:us-east-1:000000000000';
const TABLE = `${PREFIX}:table/Products`;
const partitionKeys: Record<string, string> = {
  Products: 'pk',
  'Products/byOwner': 'owner',
  Orders: 'tenant',
};
const build = (operation: string, body: Record<string, unknown>) =>
  dynamoDbRequestContexts(operation, body, {
    arnPrefix: PREFIX,
    partitionKeyOf: (table, index) => partitionKeys[index ? `${table}/${index}` : table],
  });
const keysOf = (operation: string, body: Record<string, unknown>) =>
  build(operation, body).map((c) => ({ action: c.action, resource: c.resource, keys: { ...c.keys } }));

describe('item operations', () => {
  it('gives GetItem its table ARN and the partition key value as leading key', () => {
    expect(
      keysOf('GetItem', { TableName: 'Products', Key: { pk: { S: 'TENANT#a' }, sk: { S: 'PRODUCT#1' } } }),
    ).toEqual([
      { action: 'dynamodb:GetItem', resource: TABLE, keys: { 'dynamodb:leadingkeys': ['TENANT#a'] } },
    ]);
  });

  it('reads number partition keys as their decimal text', () => {
    const [ctx] = build('DeleteItem', { TableName: 'Products', Key: { pk: { N: '42' } } });
    expect(ctx?.keys['dynamodb:leadingkeys']).toEqual(['42']);
  });

  it('lists the projected top-level attributes of a GetItem', () => {
    const [ctx] = build('GetItem', {
      TableName: 'Products',
      Key: { pk: { S: 'a' } },
      ProjectionExpression: '#n, price.amount, tags[0]',
      ExpressionAttributeNames: { '#n': 'name' },
    });
    expect(ctx?.keys['dynamodb:attributes']).toEqual(['name', 'price', 'tags']);
  });

  it('gives PutItem the leading key, every attribute name and ReturnValues', () => {
    const [ctx] = build('PutItem', {
      TableName: 'Products',
      Item: { pk: { S: 'TENANT#a' }, sk: { S: 'x' }, price: { N: '1' } },
      ReturnValues: 'ALL_OLD',
    });
    expect({ ...ctx?.keys }).toEqual({
      'dynamodb:leadingkeys': ['TENANT#a'],
      'dynamodb:attributes': ['pk', 'sk', 'price'],
      'dynamodb:returnvalues': ['ALL_OLD'],
    });
  });

  it('lists the key and updated top-level attributes of an UpdateItem', () => {
    const [ctx] = build('UpdateItem', {
      TableName: 'Products',
      Key: { pk: { S: 'TENANT#a' }, sk: { S: 'x' } },
      UpdateExpression: 'SET #p = if_not_exists(#p, :zero) + :one, meta.updated = :now REMOVE draft',
      ExpressionAttributeNames: { '#p': 'price' },
    });
    expect(ctx?.keys['dynamodb:attributes']).toEqual(['pk', 'sk', 'price', 'meta', 'draft']);
  });

  it('accepts a table ARN as TableName', () => {
    const [ctx] = build('GetItem', { TableName: TABLE, Key: { pk: { S: 'a' } } });
    expect(ctx?.resource).toBe(TABLE);
    expect(ctx?.keys['dynamodb:leadingkeys']).toEqual(['a']);
  });

  it('leaves the leading key out when the key schema is unknown', () => {
    const [ctx] = build('GetItem', { TableName: 'Unknown', Key: { pk: { S: 'a' } } });
    expect(ctx?.keys['dynamodb:leadingkeys']).toBeUndefined();
  });
});

describe('Query and Scan', () => {
  it('takes the leading key from the partition key equality of a KeyConditionExpression', () => {
    const [ctx] = build('Query', {
      TableName: 'Products',
      KeyConditionExpression: 'begins_with(sk, :prefix) AND #k = :tenant',
      ExpressionAttributeNames: { '#k': 'pk' },
      ExpressionAttributeValues: { ':tenant': { S: 'TENANT#a' }, ':prefix': { S: 'P' } },
    });
    expect({ ...ctx?.keys }).toEqual({
      'dynamodb:leadingkeys': ['TENANT#a'],
      'dynamodb:select': ['ALL_ATTRIBUTES'],
    });
  });

  it('ignores a sort key equality and a BETWEEN', () => {
    const [ctx] = build('Query', {
      TableName: 'Products',
      KeyConditionExpression: '(sk = :s) AND (:p = pk)',
      ExpressionAttributeValues: { ':p': { S: 'TENANT#b' }, ':s': { S: 'x' } },
    });
    expect(ctx?.keys['dynamodb:leadingkeys']).toEqual(['TENANT#b']);
    const [between] = build('Query', {
      TableName: 'Products',
      KeyConditionExpression: 'pk=:p and sk between :a and :b',
      ExpressionAttributeValues: { ':p': { S: 'T' }, ':a': { S: '1' }, ':b': { S: '2' } },
    });
    expect(between?.keys['dynamodb:leadingkeys']).toEqual(['T']);
  });

  it("uses the index's partition key and ARN for an index query", () => {
    const [ctx] = build('Query', {
      TableName: 'Products',
      IndexName: 'byOwner',
      KeyConditionExpression: 'owner = :o',
      ExpressionAttributeValues: { ':o': { S: 'u1' } },
      ProjectionExpression: 'pk',
    });
    expect(ctx?.resource).toBe(`${TABLE}/index/byOwner`);
    expect({ ...ctx?.keys }).toEqual({
      'dynamodb:leadingkeys': ['u1'],
      'dynamodb:attributes': ['pk'],
      'dynamodb:select': ['SPECIFIC_ATTRIBUTES'],
    });
  });

  it('reads the legacy KeyConditions', () => {
    const [ctx] = build('Query', {
      TableName: 'Products',
      KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'TENANT#a' }] } },
    });
    expect(ctx?.keys['dynamodb:leadingkeys']).toEqual(['TENANT#a']);
  });

  it('refuses a Query whose partition key equality it cannot find', () => {
    expect(() =>
      build('Query', {
        TableName: 'Products',
        KeyConditionExpression: 'sk = :s',
        ExpressionAttributeValues: { ':s': { S: 'x' } },
      }),
    ).toThrow(RequestContextError);
  });

  it('gives a Scan no leading keys', () => {
    const [ctx] = build('Scan', { TableName: 'Products', Select: 'COUNT' });
    expect({ ...ctx?.keys }).toEqual({ 'dynamodb:select': ['COUNT'] });
  });
});

describe('batches and transactions', () => {
  it('authorises every BatchGetItem key of every table separately', () => {
    const contexts = keysOf('BatchGetItem', {
      RequestItems: {
        Products: { Keys: [{ pk: { S: 'TENANT#a' } }, { pk: { S: 'TENANT#b' } }] },
        Orders: { Keys: [{ tenant: { S: 'TENANT#a' } }] },
      },
    });
    expect(contexts.map((c) => [c.action, c.resource, c.keys['dynamodb:leadingkeys']])).toEqual([
      ['dynamodb:BatchGetItem', TABLE, ['TENANT#a']],
      ['dynamodb:BatchGetItem', TABLE, ['TENANT#b']],
      ['dynamodb:BatchGetItem', `${PREFIX}:table/Orders`, ['TENANT#a']],
    ]);
  });

  it('authorises every BatchWriteItem put and delete as BatchWriteItem', () => {
    const contexts = build('BatchWriteItem', {
      RequestItems: {
        Products: [
          { PutRequest: { Item: { pk: { S: 'A' }, x: { S: '1' } } } },
          { DeleteRequest: { Key: { pk: { S: 'B' } } } },
        ],
      },
    });
    expect(contexts.map((c) => [c.action, c.keys['dynamodb:leadingkeys']])).toEqual([
      ['dynamodb:BatchWriteItem', ['A']],
      ['dynamodb:BatchWriteItem', ['B']],
    ]);
  });

  it('gives each TransactWriteItems item its own action', () => {
    const contexts = build('TransactWriteItems', {
      TransactItems: [
        { Put: { TableName: 'Products', Item: { pk: { S: 'A' } } } },
        { Update: { TableName: 'Products', Key: { pk: { S: 'A' } }, UpdateExpression: 'SET x = :x' } },
        { Delete: { TableName: 'Orders', Key: { tenant: { S: 'B' } } } },
        {
          ConditionCheck: {
            TableName: 'Products',
            Key: { pk: { S: 'C' } },
            ConditionExpression: 'attribute_exists(pk)',
          },
        },
      ],
    });
    expect(contexts.map((c) => [c.action, c.keys['dynamodb:leadingkeys']])).toEqual([
      ['dynamodb:PutItem', ['A']],
      ['dynamodb:UpdateItem', ['A']],
      ['dynamodb:DeleteItem', ['B']],
      ['dynamodb:ConditionCheckItem', ['C']],
    ]);
  });

  it('authorises each TransactGetItems item as GetItem', () => {
    const contexts = build('TransactGetItems', {
      TransactItems: [{ Get: { TableName: 'Products', Key: { pk: { S: 'A' } } } }],
    });
    expect(contexts.map((c) => c.action)).toEqual(['dynamodb:GetItem']);
  });

  it('names the tables whose key schema it needs', () => {
    expect(
      keyedTables('TransactWriteItems', {
        TransactItems: [{ Put: { TableName: 'Products' } }, { ConditionCheck: { TableName: TABLE } }],
      }),
    ).toEqual([
      ['Products', undefined],
      ['Products', undefined],
    ]);
    expect(keyedTables('Query', { TableName: 'Products', IndexName: 'byOwner' })).toEqual([
      ['Products', 'byOwner'],
    ]);
    expect(keyedTables('Scan', { TableName: 'Products' })).toEqual([]);
  });
});

describe('PartiQL and control plane', () => {
  it('maps PartiQL statements to their PartiQL actions and tables', () => {
    expect(
      build('ExecuteStatement', { Statement: 'SELECT * FROM "Products" WHERE pk = ?' })[0],
    ).toMatchObject({
      action: 'dynamodb:PartiQLSelect',
      resource: TABLE,
    });
    expect(build('ExecuteStatement', { Statement: 'select * from "Products"."byOwner"' })[0]?.resource).toBe(
      `${TABLE}/index/byOwner`,
    );
    expect(
      build('BatchExecuteStatement', {
        Statements: [
          { Statement: "INSERT INTO Products VALUE {'pk': 'a'}" },
          { Statement: 'UPDATE "Products" SET x = 1 WHERE pk = ?' },
          { Statement: 'DELETE FROM Products WHERE pk = ?' },
        ],
      }).map((c) => c.action),
    ).toEqual(['dynamodb:PartiQLInsert', 'dynamodb:PartiQLUpdate', 'dynamodb:PartiQLDelete']);
  });

  it('refuses a PartiQL statement it cannot read', () => {
    expect(() => build('ExecuteStatement', { Statement: 'EXPLAIN things' })).toThrow(RequestContextError);
  });

  it('names table operations by table and the others by *', () => {
    expect(build('DescribeTable', { TableName: 'Products' })[0]).toMatchObject({
      action: 'dynamodb:DescribeTable',
      resource: TABLE,
    });
    expect(build('ListTables', {})[0]).toMatchObject({ action: 'dynamodb:ListTables', resource: '*' });
    expect(build('ListTagsOfResource', { ResourceArn: TABLE })[0]?.resource).toBe(TABLE);
  });
});
