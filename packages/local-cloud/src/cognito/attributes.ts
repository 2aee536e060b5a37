import { invalidParameter, notAuthorized, UnsupportedFeatureError, validationError } from './errors.js';
import type { AttributeDataType, ClientState, PoolState, SchemaAttribute } from './model.js';

const text = (min: string): SchemaAttribute['StringAttributeConstraints'] => ({
  MinLength: min,
  MaxLength: '2048',
});
const standard = (Name: string, extra: Partial<SchemaAttribute> = {}): SchemaAttribute => ({
  Name,
  AttributeDataType: 'String',
  DeveloperOnlyAttribute: false,
  Mutable: true,
  Required: false,
  StringAttributeConstraints: text('0'),
  ...extra,
});

/** The standard attributes every pool has, as DescribeUserPool lists them. */
export function standardSchema(): SchemaAttribute[] {
  const boolean = { AttributeDataType: 'Boolean' as const, StringAttributeConstraints: undefined };
  return [
    standard('sub', { Mutable: false, Required: true, StringAttributeConstraints: text('1') }),
    ...['name', 'given_name', 'family_name', 'middle_name', 'nickname', 'preferred_username', 'profile'].map(
      (n) => standard(n),
    ),
    standard('picture'),
    standard('website'),
    standard('email'),
    standard('email_verified', boolean),
    standard('gender'),
    standard('birthdate', { StringAttributeConstraints: { MinLength: '10', MaxLength: '10' } }),
    standard('zoneinfo'),
    standard('locale'),
    standard('phone_number'),
    standard('phone_number_verified', boolean),
    standard('address'),
    standard('updated_at', {
      AttributeDataType: 'Number',
      StringAttributeConstraints: undefined,
      NumberAttributeConstraints: { MinValue: '0' },
    }),
  ].map((a) => JSON.parse(JSON.stringify(a)) as SchemaAttribute);
}

const DATA_TYPES: readonly AttributeDataType[] = ['String', 'Number', 'DateTime', 'Boolean'];
const asBool = (v: unknown): boolean | undefined =>
  v === undefined || v === null ? undefined : v === true || v === 'true' || v === 'True';
const asNumericString = (v: unknown): string | undefined =>
  v === undefined || v === null || v === '' ? undefined : String(v);

/** Builds a pool's schema from a CreateUserPool `Schema` (standard attributes first, custom after). */
export function buildSchema(requested: ReadonlyArray<Record<string, unknown>>): SchemaAttribute[] {
  const schema = standardSchema();
  const seen = new Set<string>();
  for (const entry of requested) {
    const rawName = entry.Name;
    if (typeof rawName !== 'string' || rawName.length === 0)
      throw validationError('schema.name', rawName, 'Member must not be null');
    const isStandard = schema.some((a) => a.Name === rawName);
    const name = isStandard ? rawName : `custom:${rawName.replace(/^custom:/, '')}`;
    if (seen.has(name)) throw invalidParameter(`Duplicate attribute in schema: ${name}`);
    seen.add(name);
    const type = (entry.AttributeDataType ?? 'String') as AttributeDataType;
    if (!DATA_TYPES.includes(type))
      throw validationError(
        'schema.attributeDataType',
        type,
        `Member must satisfy enum value set: [${DATA_TYPES.join(', ')}]`,
      );
    if (asBool(entry.DeveloperOnlyAttribute)) {
      throw new UnsupportedFeatureError('DeveloperOnlyAttribute', `attribute ${rawName}`);
    }
    const constraints = {
      string: entry.StringAttributeConstraints as Record<string, unknown> | undefined,
      number: entry.NumberAttributeConstraints as Record<string, unknown> | undefined,
    };
    if (isStandard) {
      const attr = schema.find((a) => a.Name === name) as SchemaAttribute;
      if (name === 'sub') throw invalidParameter('Cannot modify the non-mutable attribute sub');
      if (entry.AttributeDataType !== undefined && type !== attr.AttributeDataType) {
        throw invalidParameter(
          `Invalid AttributeDataType input, consider using the provided AttributeDataType enum. (${name})`,
        );
      }
      attr.Required = asBool(entry.Required) ?? attr.Required;
      attr.Mutable = asBool(entry.Mutable) ?? attr.Mutable;
      if (constraints.string && attr.StringAttributeConstraints) {
        attr.StringAttributeConstraints = {
          MinLength:
            asNumericString(constraints.string.MinLength) ?? attr.StringAttributeConstraints.MinLength,
          MaxLength:
            asNumericString(constraints.string.MaxLength) ?? attr.StringAttributeConstraints.MaxLength,
        };
      }
      continue;
    }
    if (!/^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,20}$/u.test(rawName.replace(/^custom:/, ''))) {
      throw invalidParameter(`Invalid custom attribute name: ${rawName} (1-20 characters)`);
    }
    if (asBool(entry.Required))
      throw invalidParameter('Required custom attributes are not supported currently.');
    const attr: SchemaAttribute = {
      Name: name,
      AttributeDataType: type,
      DeveloperOnlyAttribute: false,
      Mutable: asBool(entry.Mutable) ?? true,
      Required: false,
    };
    if (type === 'String') {
      attr.StringAttributeConstraints = {
        MinLength: asNumericString(constraints.string?.MinLength) ?? '0',
        MaxLength: asNumericString(constraints.string?.MaxLength) ?? '2048',
      };
    }
    if (type === 'Number' && constraints.number) {
      const MinValue = asNumericString(constraints.number.MinValue);
      const MaxValue = asNumericString(constraints.number.MaxValue);
      attr.NumberAttributeConstraints = {
        ...(MinValue === undefined ? {} : { MinValue }),
        ...(MaxValue === undefined ? {} : { MaxValue }),
      };
    }
    schema.push(attr);
  }
  return schema;
}

const schemaError = (name: string, reason: string) =>
  invalidParameter(`Attributes did not conform to the schema: ${name}: ${reason}`);

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+[0-9]{4,15}$/;

/** Checks one value against its schema definition. */
function checkValue(attr: SchemaAttribute, value: string): void {
  const name = attr.Name;
  switch (attr.AttributeDataType) {
    case 'Boolean':
      if (value !== 'true' && value !== 'false') throw schemaError(name, 'Value must be true or false');
      break;
    case 'Number': {
      if (!/^-?[0-9]+(\.[0-9]+)?$/.test(value)) throw schemaError(name, 'Number is invalid');
      const n = Number(value);
      const min = attr.NumberAttributeConstraints?.MinValue;
      const max = attr.NumberAttributeConstraints?.MaxValue;
      if (min !== undefined && n < Number(min)) throw schemaError(name, `Number must be no less than ${min}`);
      if (max !== undefined && n > Number(max))
        throw schemaError(name, `Number must be no greater than ${max}`);
      break;
    }
    default: {
      const min = Number(attr.StringAttributeConstraints?.MinLength ?? 0);
      const max = Number(attr.StringAttributeConstraints?.MaxLength ?? 2048);
      if (value.length < min) throw schemaError(name, `String must be no shorter than ${min} characters`);
      if (value.length > max) throw schemaError(name, `String must be no longer than ${max} characters`);
    }
  }
  if (name === 'email' && !EMAIL.test(value)) throw invalidParameter('Invalid email address format.');
  if (name === 'phone_number' && !PHONE.test(value)) throw invalidParameter('Invalid phone number format.');
}

export type WriteMode = 'create' | 'admin' | 'client';

export interface AttributeWrite {
  Name: string;
  Value: string;
}

/**
 * Validates attribute writes against the pool schema and, for `client` writes, the app client's
 * WriteAttributes. Immutable attributes can be given only when the user is created, as on AWS.
 */
export function checkAttributeWrites(
  pool: PoolState,
  writes: readonly AttributeWrite[],
  mode: WriteMode,
  client?: ClientState,
): void {
  if (mode === 'client' && client) {
    const writable = writableAttributes(pool, client);
    if (writes.some((w) => !writable.has(w.Name))) {
      throw notAuthorized('A client attempted to write unauthorized attribute');
    }
  }
  for (const { Name, Value } of writes) {
    const attr = pool.schema.find((a) => a.Name === Name);
    if (!attr) throw schemaError(Name, 'Attribute does not exist in the schema.');
    if (Name === 'sub' || (!attr.Mutable && mode !== 'create')) {
      throw invalidParameter(`Cannot modify the non-mutable attribute ${Name}`);
    }
    checkValue(attr, Value);
  }
}

/** Required attributes must have a value after a create (or a delete). */
export function checkRequired(pool: PoolState, attributes: Record<string, string>): void {
  for (const attr of pool.schema) {
    if (attr.Required && attr.Name !== 'sub' && !attributes[attr.Name]) {
      throw schemaError(attr.Name, 'The attribute is required');
    }
  }
}

/** Attributes an app client may read: ReadAttributes, or every attribute when it has none. `sub` always. */
export function readableAttributes(pool: PoolState, client: ClientState | undefined): Set<string> {
  const names = client?.readAttributes ?? pool.schema.map((a) => a.Name);
  return new Set(['sub', ...names]);
}

/** Attributes an app client may write: WriteAttributes, or every mutable attribute but the `_verified` flags. */
export function writableAttributes(pool: PoolState, client: ClientState): Set<string> {
  if (client.writeAttributes) return new Set(client.writeAttributes);
  return new Set(
    pool.schema
      .filter((a) => a.Mutable && a.Name !== 'email_verified' && a.Name !== 'phone_number_verified')
      .map((a) => a.Name),
  );
}

/** Checks a client's Read/WriteAttributes against the pool schema, as CreateUserPoolClient does. */
export function checkClientAttributes(
  pool: PoolState,
  names: readonly string[] | undefined,
  kind: 'read' | 'write',
): void {
  for (const name of names ?? []) {
    const attr = pool.schema.find((a) => a.Name === name);
    if (!attr || (kind === 'write' && (!attr.Mutable || name === 'sub'))) {
      throw invalidParameter(`Invalid ${kind} attributes specified while creating a client`);
    }
  }
}

/** Attribute values as JWT claims: `*_verified` as booleans, `updated_at` as a number. */
export function attributesToClaims(
  pool: PoolState,
  attributes: Record<string, string>,
  readable: Set<string>,
): Record<string, unknown> {
  const claims: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(attributes)) {
    if (!readable.has(name)) continue;
    const attr = pool.schema.find((a) => a.Name === name);
    if (attr?.AttributeDataType === 'Boolean') claims[name] = value === 'true';
    else if (name === 'updated_at') claims[name] = Number(value);
    else claims[name] = value;
  }
  return claims;
}

export function toAttributeList(attributes: Record<string, string>, only?: Set<string>): AttributeWrite[] {
  return Object.entries(attributes)
    .filter(([name]) => !only || only.has(name))
    .map(([Name, Value]) => ({ Name, Value }));
}

/** Reads an `[{Name, Value}]` request field. */
export function readAttributeList(value: unknown, field: string): AttributeWrite[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw validationError(field, value, 'Member must be a list');
  return value.map((entry: unknown) => {
    const e = (entry ?? {}) as Record<string, unknown>;
    if (typeof e.Name !== 'string' || e.Name.length === 0)
      throw validationError(`${field}.member.name`, e.Name, 'Member must not be null');
    if (e.Value !== undefined && typeof e.Value !== 'string')
      throw validationError(`${field}.member.value`, e.Value, 'Member must be a string');
    return { Name: e.Name, Value: (e.Value as string | undefined) ?? '' };
  });
}
