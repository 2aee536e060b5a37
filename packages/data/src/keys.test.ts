import { describe, expect, it } from 'vitest';
import {
  assertTenantId,
  orderKey,
  productKey,
  registrationKey,
  shardCountOf,
  shardOf,
  TABLE_SHARDS,
  tenantAdminsKey,
  tenantLeadingKeyPatterns,
  tenantNameKey,
  tenantPartitions,
  tenantPk,
  tenantProfileItem,
  tenantProfileKey,
  tenantShardPk,
  userKey,
  withoutKeys,
} from './keys.js';

/** IAM `StringLike`: `*` matches any run of characters, `?` one character. */
const stringLike = (pattern: string, value: string): boolean =>
  new RegExp(
    `^${pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('')}$`,
  ).test(value);
const ownedBy = (tenantId: string, pk: string) =>
  tenantLeadingKeyPatterns(tenantId).some((pattern) => stringLike(pattern, pk));

describe('keys', () => {
  it('puts products under one of the four shards of their tenant in the pooled table', () => {
    expect(TABLE_SHARDS.products).toBe(4);
    const { pk, sk } = productKey('t1', 'p1');
    expect(sk).toBe('PRODUCT#p1');
    expect(tenantPartitions('t1', 4)).toContain(pk);
    expect(pk).toBe(`TENANT#t1#${shardOf('p1', 4)}`);
  });

  it('puts items of a table without sharding under the bare tenant partition', () => {
    expect(productKey('t1', 'p1', 1)).toEqual({ pk: 'TENANT#t1', sk: 'PRODUCT#p1' });
    expect(orderKey('t1', 'o1')).toEqual({ pk: 'TENANT#t1', sk: 'ORDER#o1' });
    expect(tenantPartitions('t1', 1)).toEqual(['TENANT#t1']);
  });

  it('keeps tenant records, tenant names and registrations apart', () => {
    expect(tenantProfileKey('t1')).toEqual({ pk: 'TENANT#t1', sk: 'PROFILE' });
    expect(tenantNameKey('acme')).toEqual({ pk: 'TENANT_NAME#acme', sk: 'TENANT_NAME' });
    expect(registrationKey('r1')).toEqual({ pk: 'REGISTRATION#r1', sk: 'REGISTRATION' });
  });

  it('rejects an empty id instead of addressing a partition prefix', () => {
    expect(() => tenantPk('')).toThrow(TypeError);
    expect(() => productKey('t1', '')).toThrow(/productId/);
  });

  it.each(['acme#1', 'ACME', '-acme', 'a*', 'a?', 'a b', 'a/b', 'a'.repeat(64), ''])(
    'refuses the malformed tenant id %j before it enters a key',
    (tenantId) => {
      expect(() => assertTenantId(tenantId)).toThrow(TypeError);
      expect(() => tenantPk(tenantId)).toThrow(TypeError);
      expect(() => productKey(tenantId, 'p1')).toThrow(TypeError);
      expect(() => tenantLeadingKeyPatterns(tenantId)).toThrow(TypeError);
    },
  );

  it('gives an item the same shard every time, and spreads ids over every shard', () => {
    expect(shardOf('01JABCDEF', 4)).toBe(shardOf('01JABCDEF', 4));
    const shards = new Set(Array.from({ length: 64 }, (_, i) => shardOf(`p${i}`, 4)));
    expect([...shards].sort()).toEqual([0, 1, 2, 3]);
    expect(shardOf('anything', 1)).toBe(0);
  });

  it('refuses a shard outside the table', () => {
    expect(() => tenantShardPk('t1', 4, 4)).toThrow(/shard/);
    expect(() => tenantShardPk('t1', -1, 4)).toThrow(/shard/);
    expect(() => tenantPartitions('t1', 0)).toThrow(/shardCount/);
  });

  it.each([
    ['acme', 'acme-corp'],
    ['a', 'ab'],
    ['t1', 't10'],
    ['x-1', 'x'],
  ])('never lets the prefixes of %s match a partition of %s (or the reverse)', (one, other) => {
    for (const shards of [1, 4]) {
      for (const pk of tenantPartitions(other, shards)) expect(ownedBy(one, pk)).toBe(false);
      for (const pk of tenantPartitions(one, shards)) {
        expect(ownedBy(other, pk)).toBe(false);
        expect(ownedBy(one, pk)).toBe(true);
      }
    }
  });

  it('strips the key attributes from a stored item', () => {
    expect(withoutKeys({ pk: 'a', sk: 'b', name: 'n' })).toEqual({ name: 'n' });
  });
});

describe('user and tenant listing keys', () => {
  it('keeps a tenant user membership and the admin counter under the tenant partition', () => {
    expect(userKey('t1', 'u-1')).toEqual({ pk: 'TENANT#t1', sk: 'USER#u-1' });
    expect(tenantAdminsKey('t1')).toEqual({ pk: 'TENANT#t1', sk: 'ADMINS' });
    expect(() => userKey('t1', '')).toThrow(/userId/);
  });

  it('lists tenant profiles in creation order through the byType index', () => {
    const item = tenantProfileItem({ tenantId: 't1', createdAt: '2026-01-01T00:00:00.000Z', tier: 'basic' });
    expect(item).toEqual({
      pk: 'TENANT#t1',
      sk: 'PROFILE',
      recordType: 'TENANT',
      recordSort: '2026-01-01T00:00:00.000Z#t1',
      tenantId: 't1',
      createdAt: '2026-01-01T00:00:00.000Z',
      tier: 'basic',
    });
  });
});

describe('shardCountOf', () => {
  it('reads a shard count from configuration', () => {
    expect(shardCountOf('PRODUCT_TABLE_SHARDS', '4')).toBe(4);
    expect(shardCountOf('PRODUCT_TABLE_SHARDS', '64')).toBe(64);
  });

  it.each(['0', '1.5', 'four', '65', ''])('refuses %j, naming the variable', (value) => {
    expect(() => shardCountOf('ORDER_TABLE_SHARDS', value)).toThrow(
      'ORDER_TABLE_SHARDS must be an integer in 1..64',
    );
  });
});
