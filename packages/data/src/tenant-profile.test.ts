import { describe, expect, it } from 'vitest';
import { type DynamoDbCaller, readTenantProfile } from './tenant-profile.js';

function fakeDynamoDb(item: Record<string, { S?: string }> | undefined) {
  const calls: { operation: string; input: object }[] = [];
  const caller: DynamoDbCaller = {
    async call<T>(operation: string, input: object) {
      calls.push({ operation, input });
      return (item ? { Item: item } : {}) as T;
    },
  };
  return { caller, calls };
}

describe('readTenantProfile', () => {
  it('reads only the fields asked for, by name (status is a reserved word), strongly consistent', async () => {
    const { caller, calls } = fakeDynamoDb({ status: { S: 'ACTIVE' }, tier: { S: 'basic' } });
    const profile = await readTenantProfile(caller, 'tenants', 't1', ['status', 'tier', 'apiKey']);
    expect(profile).toEqual({ status: 'ACTIVE', tier: 'basic' });
    expect(calls).toEqual([
      {
        operation: 'GetItem',
        input: {
          TableName: 'tenants',
          Key: { pk: { S: 'TENANT#t1' }, sk: { S: 'PROFILE' } },
          ProjectionExpression: '#f0, #f1, #f2',
          ExpressionAttributeNames: { '#f0': 'status', '#f1': 'tier', '#f2': 'apiKey' },
          ConsistentRead: true,
        },
      },
    ]);
  });

  it('answers undefined for a tenant that does not exist', async () => {
    const { caller } = fakeDynamoDb(undefined);
    expect(await readTenantProfile(caller, 'tenants', 't2', ['tier'])).toBeUndefined();
  });
});
