import { describe, expect, it } from 'vitest';
import {
  attributesToClaims,
  buildSchema,
  checkAttributeWrites,
  checkRequired,
  writableAttributes,
} from './attributes.js';
import type { ClientState, PoolState } from './model.js';

const poolWith = (schema: Array<Record<string, unknown>>) =>
  ({ schema: buildSchema(schema), usernameAttributes: [], aliasAttributes: [] }) as unknown as PoolState;

describe('buildSchema', () => {
  it('prefixes custom attributes and keeps standard ones first', () => {
    const schema = buildSchema([{ Name: 'tenantId', AttributeDataType: 'String', Mutable: false }]);
    expect(schema[0]?.Name).toBe('sub');
    expect(schema.at(-1)).toMatchObject({ Name: 'custom:tenantId', Mutable: false, Required: false });
  });

  it('makes a standard attribute required', () => {
    expect(buildSchema([{ Name: 'email', Required: true }]).find((a) => a.Name === 'email')?.Required).toBe(
      true,
    );
  });

  it('refuses required custom attributes and developer-only attributes', () => {
    expect(() => buildSchema([{ Name: 'x', Required: true }])).toThrow(
      'Required custom attributes are not supported currently.',
    );
    expect(() => buildSchema([{ Name: 'x', DeveloperOnlyAttribute: true }])).toThrow(
      /DeveloperOnlyAttribute/,
    );
  });
});

describe('checkAttributeWrites', () => {
  const pool = poolWith([
    { Name: 'tenantId', Mutable: false },
    {
      Name: 'level',
      AttributeDataType: 'Number',
      NumberAttributeConstraints: { MinValue: '1', MaxValue: '5' },
    },
  ]);

  it('allows an immutable attribute only at creation', () => {
    const write = [{ Name: 'custom:tenantId', Value: 't1' }];
    expect(() => checkAttributeWrites(pool, write, 'create')).not.toThrow();
    expect(() => checkAttributeWrites(pool, write, 'admin')).toThrow(
      'Cannot modify the non-mutable attribute custom:tenantId',
    );
  });

  it('never writes sub', () => {
    expect(() => checkAttributeWrites(pool, [{ Name: 'sub', Value: 'x' }], 'create')).toThrow(
      /non-mutable attribute sub/,
    );
  });

  it('checks types, bounds and formats', () => {
    expect(() => checkAttributeWrites(pool, [{ Name: 'custom:level', Value: '9' }], 'admin')).toThrow(
      /no greater than 5/,
    );
    expect(() => checkAttributeWrites(pool, [{ Name: 'email_verified', Value: 'yes' }], 'admin')).toThrow(
      /true or false/,
    );
    expect(() => checkAttributeWrites(pool, [{ Name: 'email', Value: 'nope' }], 'admin')).toThrow(
      'Invalid email address format.',
    );
    expect(() => checkAttributeWrites(pool, [{ Name: 'custom:other', Value: 'x' }], 'admin')).toThrow(
      /does not exist/,
    );
  });

  it("refuses attributes outside a client's WriteAttributes", () => {
    const client = { writeAttributes: ['name'] } as ClientState;
    expect(() => checkAttributeWrites(pool, [{ Name: 'family_name', Value: 'x' }], 'client', client)).toThrow(
      'A client attempted to write unauthorized attribute',
    );
  });

  it('lets a client without WriteAttributes write mutable attributes but not verification flags', () => {
    const writable = writableAttributes(pool, {} as ClientState);
    expect(writable.has('custom:level')).toBe(true);
    expect(writable.has('custom:tenantId')).toBe(false);
    expect(writable.has('email_verified')).toBe(false);
  });
});

describe('checkRequired', () => {
  it('names a missing required attribute', () => {
    const pool = poolWith([{ Name: 'email', Required: true }]);
    expect(() => checkRequired(pool, { sub: 's' })).toThrow('email: The attribute is required');
  });
});

describe('attributesToClaims', () => {
  it('types verification flags as booleans and filters by readability', () => {
    const pool = poolWith([]);
    const claims = attributesToClaims(
      pool,
      { email: 'a@b.co', email_verified: 'true', name: 'A' },
      new Set(['email', 'email_verified']),
    );
    expect(claims).toEqual({ email: 'a@b.co', email_verified: true });
  });
});
