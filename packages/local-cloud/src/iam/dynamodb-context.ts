/**
 * The request contexts IAM evaluates for a DynamoDB call: one per authorised unit (the call
 * itself, or each item of a batch or transaction), with the action, the table (or index) ARN
 * and the DynamoDB condition keys `dynamodb:LeadingKeys`, `dynamodb:Attributes`,
 * `dynamodb:Select` and `dynamodb:ReturnValues`.
 */
import { RequestContextError } from './errors.js';
import type { RequestContext } from './policy.js';

type Body = Record<string, unknown>;
type Keys = Record<string, readonly string[] | undefined>;

/** The partition key attribute of a table, or of one of its indexes; undefined when unknown. */
export type PartitionKeyOf = (table: string, index?: string) => string | undefined;

export interface DynamoDbContextOptions {
  /** `arn:aws:dynamodb:{region}:{account}` */
  arnPrefix: string;
  partitionKeyOf: PartitionKeyOf;
  /** Keys every context carries (aws:PrincipalArn, ...); used as the prototype of each keys object. */
  globalKeys?: Keys;
}

/** The tables (and indexes) whose partition key the contexts of this call need. */
export function keyedTables(operation: string, body: Body): [string, string | undefined][] {
  const tables: [string, string | undefined][] = [];
  const add = (table: unknown, index?: unknown) => {
    if (typeof table === 'string')
      tables.push([tableName(table), typeof index === 'string' ? index : undefined]);
  };
  switch (operation) {
    case 'GetItem':
    case 'PutItem':
    case 'UpdateItem':
    case 'DeleteItem':
      add(body.TableName);
      break;
    case 'Query':
      add(body.TableName, body.IndexName);
      break;
    case 'BatchGetItem':
    case 'BatchWriteItem':
      for (const table of Object.keys(asObject(body.RequestItems))) add(table);
      break;
    case 'TransactGetItems':
    case 'TransactWriteItems':
      for (const item of asArray(body.TransactItems))
        for (const part of Object.values(asObject(item))) add(asObject(part).TableName);
      break;
  }
  return tables;
}

const asObject = (value: unknown): Body =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Body) : {};
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** A TableName may be a table ARN; the key schema is looked up by name. */
function tableName(table: string): string {
  return table.startsWith('arn:') ? table.slice(table.indexOf(':table/') + 7) : table;
}

/** The string IAM compares for an attribute value (`S`, `N` or base64 `B`). */
function scalar(value: unknown): string | undefined {
  const v = asObject(value);
  for (const type of ['S', 'N', 'B'] as const) if (typeof v[type] === 'string') return v[type] as string;
  return undefined;
}

function resolveName(token: string, names: Body): string {
  if (!token.startsWith('#')) return token;
  const name = names[token];
  if (typeof name !== 'string') throw new RequestContextError(`ExpressionAttributeNames has no ${token}`);
  return name;
}

/** Top-level attribute names of a ProjectionExpression (`a.b, #c[0]` → `a`, name of `#c`). */
function projectionNames(body: Body): string[] | undefined {
  if (Array.isArray(body.AttributesToGet)) return body.AttributesToGet.map(String);
  if (typeof body.ProjectionExpression !== 'string') return undefined;
  const names = asObject(body.ExpressionAttributeNames);
  return [
    ...new Set(
      body.ProjectionExpression.split(',').map((path) =>
        resolveName(path.trim().split(/[.[]/)[0]?.trim() ?? '', names),
      ),
    ),
  ];
}

const UPDATE_KEYWORDS = new Set([
  'set',
  'remove',
  'add',
  'delete',
  'and',
  'or',
  'not',
  'between',
  'in',
  'size',
]);

/** Top-level attribute names an UpdateExpression touches (functions and nested paths excluded). */
function updateNames(body: Body, keyNames: string[]): string[] {
  const names = new Set(keyNames);
  if (typeof body.UpdateExpression === 'string') {
    const attributeNames = asObject(body.ExpressionAttributeNames);
    for (const match of body.UpdateExpression.matchAll(/(^|[^.\w#:])(#\w+|[A-Za-z_]\w*)\b(?!\s*\()/g)) {
      const token = match[2] as string;
      if (!token.startsWith('#') && UPDATE_KEYWORDS.has(token.toLowerCase())) continue;
      names.add(resolveName(token, attributeNames));
    }
  } else for (const name of Object.keys(asObject(body.AttributeUpdates))) names.add(name);
  return [...names];
}

/** The partition key value of a Query: the `pk = :v` of its KeyConditionExpression (or KeyConditions). */
function queryLeadingKey(body: Body, partitionKey: string): string {
  const values = asObject(body.ExpressionAttributeValues);
  const names = asObject(body.ExpressionAttributeNames);
  if (typeof body.KeyConditionExpression === 'string') {
    const expression = body.KeyConditionExpression;
    const pattern = /(#\w+|[A-Za-z_]\w*|:\w+)\s*=\s*(#\w+|[A-Za-z_]\w*|:\w+)/g;
    for (const match of expression.matchAll(pattern)) {
      const [left, right] = [match[1] as string, match[2] as string];
      const [attribute, placeholder] = left.startsWith(':') ? [right, left] : [left, right];
      if (!placeholder.startsWith(':') || attribute.startsWith(':')) continue;
      if (resolveName(attribute, names) !== partitionKey) continue;
      const value = scalar(values[placeholder]);
      if (value !== undefined) return value;
    }
  } else {
    const condition = asObject(asObject(body.KeyConditions)[partitionKey]);
    const value =
      condition.ComparisonOperator === 'EQ' ? scalar(asArray(condition.AttributeValueList)[0]) : undefined;
    if (value !== undefined) return value;
  }
  throw new RequestContextError(
    `the local cloud cannot find the equality on the partition key "${partitionKey}" in the Query's key condition`,
  );
}

function partiqlContext(statement: unknown, arnPrefix: string): { action: string; resource: string } {
  const text = typeof statement === 'string' ? statement.trim() : '';
  const verb = /^(\w+)/.exec(text)?.[1]?.toUpperCase();
  const action = { SELECT: 'Select', EXISTS: 'Select', INSERT: 'Insert', UPDATE: 'Update', DELETE: 'Delete' }[
    verb ?? ''
  ];
  const identifier = String.raw`("(?:[^"]|"")+"|[\w.-]+)`;
  const target =
    verb === 'UPDATE'
      ? new RegExp(String.raw`^UPDATE\s+${identifier}`, 'i').exec(text)
      : verb === 'INSERT'
        ? new RegExp(String.raw`\bINTO\s+${identifier}`, 'i').exec(text)
        : new RegExp(String.raw`\bFROM\s+${identifier}(?:\s*\.\s*${identifier})?`, 'i').exec(text);
  if (!action || !target?.[1])
    throw new RequestContextError(
      'the local cloud cannot tell the action and table of this PartiQL statement',
    );
  const unquote = (id: string) => (id.startsWith('"') ? id.slice(1, -1).replaceAll('""', '"') : id);
  const table = unquote(target[1]);
  const index = target[2] ? `/index/${unquote(target[2])}` : '';
  return { action: `dynamodb:PartiQL${action}`, resource: `${arnPrefix}:table/${table}${index}` };
}

/** Builds every request context of a DynamoDB call; throws {@link RequestContextError}. */
export function dynamoDbRequestContexts(
  operation: string,
  body: Body,
  options: DynamoDbContextOptions,
): RequestContext[] {
  const { arnPrefix, partitionKeyOf } = options;
  const tableArn = (table: unknown, index?: unknown): string => {
    if (typeof table !== 'string') return '*';
    const base = table.startsWith('arn:') ? table : `${arnPrefix}:table/${table}`;
    return typeof index === 'string' ? `${base}/index/${index}` : base;
  };
  const context = (action: string, resource: string, keys: Keys): RequestContext => {
    const all: Keys = Object.create(options.globalKeys ?? null);
    for (const [key, value] of Object.entries(keys)) if (value !== undefined) all[key] = value;
    return { action: `dynamodb:${action}`, resource, keys: all };
  };
  const leading = (table: unknown, item: unknown): readonly string[] | undefined => {
    if (typeof table !== 'string') return undefined;
    const pk = partitionKeyOf(tableName(table));
    const value = pk ? scalar(asObject(item)[pk]) : undefined;
    return value === undefined ? undefined : [value];
  };
  const itemKeys = (op: string, part: Body): Keys => {
    const keys: Keys = {};
    if (op === 'PutItem') {
      keys['dynamodb:leadingkeys'] = leading(part.TableName, part.Item);
      keys['dynamodb:attributes'] = Object.keys(asObject(part.Item));
    } else {
      keys['dynamodb:leadingkeys'] = leading(part.TableName, part.Key);
      if (op === 'GetItem') keys['dynamodb:attributes'] = projectionNames(part);
      if (op === 'UpdateItem')
        keys['dynamodb:attributes'] = updateNames(part, Object.keys(asObject(part.Key)));
    }
    if (typeof part.ReturnValues === 'string') keys['dynamodb:returnvalues'] = [part.ReturnValues];
    return keys;
  };

  switch (operation) {
    case 'GetItem':
    case 'PutItem':
    case 'UpdateItem':
    case 'DeleteItem':
      return [context(operation, tableArn(body.TableName), itemKeys(operation, body))];
    case 'Query': {
      const pk =
        typeof body.TableName === 'string'
          ? partitionKeyOf(tableName(body.TableName), body.IndexName as string)
          : undefined;
      return [
        context('Query', tableArn(body.TableName, body.IndexName), {
          'dynamodb:leadingkeys': pk ? [queryLeadingKey(body, pk)] : undefined,
          'dynamodb:attributes': projectionNames(body),
          'dynamodb:select': [selectOf(body)],
        }),
      ];
    }
    case 'Scan':
      return [
        context('Scan', tableArn(body.TableName, body.IndexName), {
          'dynamodb:attributes': projectionNames(body),
          'dynamodb:select': [selectOf(body)],
        }),
      ];
    case 'BatchGetItem': {
      const contexts: RequestContext[] = [];
      for (const [table, request] of Object.entries(asObject(body.RequestItems))) {
        const attributes = projectionNames(asObject(request));
        for (const key of asArray(asObject(request).Keys))
          contexts.push(
            context('BatchGetItem', tableArn(table), {
              'dynamodb:leadingkeys': leading(table, key),
              'dynamodb:attributes': attributes,
            }),
          );
      }
      return contexts;
    }
    case 'BatchWriteItem': {
      const contexts: RequestContext[] = [];
      for (const [table, requests] of Object.entries(asObject(body.RequestItems))) {
        for (const request of asArray(requests)) {
          const put = asObject(asObject(request).PutRequest).Item;
          const item = put ?? asObject(asObject(request).DeleteRequest).Key;
          const keys: Keys = { 'dynamodb:leadingkeys': leading(table, item) };
          if (put) keys['dynamodb:attributes'] = Object.keys(asObject(put));
          contexts.push(context('BatchWriteItem', tableArn(table), keys));
        }
      }
      return contexts;
    }
    case 'TransactGetItems':
      return asArray(body.TransactItems).map((entry) => {
        const get = asObject(asObject(entry).Get);
        return context('GetItem', tableArn(get.TableName), itemKeys('GetItem', get));
      });
    case 'TransactWriteItems':
      return asArray(body.TransactItems).map((entry) => {
        const [kind, part] = Object.entries(asObject(entry))[0] ?? ['', {}];
        const op = {
          Put: 'PutItem',
          Update: 'UpdateItem',
          Delete: 'DeleteItem',
          ConditionCheck: 'ConditionCheckItem',
        }[kind];
        if (!op) throw new RequestContextError(`unknown transaction item ${kind || '(empty)'}`);
        const item = asObject(part);
        return context(op, tableArn(item.TableName), itemKeys(op, item));
      });
    case 'ExecuteStatement':
      return [partiql(body.Statement)];
    case 'BatchExecuteStatement':
      return asArray(body.Statements).map((s) => partiql(asObject(s).Statement));
    case 'ExecuteTransaction':
      return asArray(body.TransactStatements).map((s) => partiql(asObject(s).Statement));
    default: {
      const resource =
        typeof body.TableName === 'string'
          ? tableArn(body.TableName)
          : typeof body.ResourceArn === 'string'
            ? body.ResourceArn
            : '*';
      return [context(operation, resource, {})];
    }
  }

  function partiql(statement: unknown): RequestContext {
    const { action, resource } = partiqlContext(statement, arnPrefix);
    const all: Keys = Object.create(options.globalKeys ?? null);
    return { action, resource, keys: all };
  }
}

/** The Select IAM sees: as given, else SPECIFIC_ATTRIBUTES with a projection, else the default. */
function selectOf(body: Body): string {
  if (typeof body.Select === 'string') return body.Select;
  if (typeof body.ProjectionExpression === 'string' || Array.isArray(body.AttributesToGet))
    return 'SPECIFIC_ATTRIBUTES';
  return 'ALL_ATTRIBUTES';
}
