import { describe, expect, it } from 'vitest';
import { MalformedPolicyError, UnsupportedPolicyError } from './errors.js';
import { accessDeniedMessage, authorize, evaluatePolicies } from './evaluate.js';
import { compilePolicy, type RequestContext } from './policy.js';

const TABLE = 'arn:aws:dynamodb:us-east-1:000000000000:table/Products';
const ctx = (action: string, resource = TABLE, keys: RequestContext['keys'] = {}): RequestContext => ({
  action,
  resource,
  keys,
});
const policy = (...Statement: object[]) => compilePolicy({ Version: '2012-10-17', Statement });
const decide = (statements: object[], request: RequestContext) =>
  evaluatePolicies([policy(...statements)], request);
const allowIf = (Condition: object) => [{ Effect: 'Allow', Action: '*', Resource: '*', Condition }];
const leading = (...values: string[]) => ({ 'dynamodb:leadingkeys': values });

describe('actions', () => {
  it('allows an action listed exactly', () => {
    expect(
      decide([{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: TABLE }], ctx('dynamodb:GetItem')),
    ).toBe('allow');
  });

  it('denies implicitly an action that is not listed', () => {
    expect(
      decide([{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: TABLE }], ctx('dynamodb:PutItem')),
    ).toBe('implicit-deny');
  });

  it('matches action names case-insensitively', () => {
    expect(
      decide([{ Effect: 'Allow', Action: 'DynamoDB:getitem', Resource: TABLE }], ctx('dynamodb:GetItem')),
    ).toBe('allow');
  });

  it('matches wildcard actions and not other prefixes', () => {
    const statements = [
      { Effect: 'Allow', Action: ['dynamodb:Get*', 'dynamodb:Batch?etItem'], Resource: '*' },
    ];
    expect(decide(statements, ctx('dynamodb:GetItem'))).toBe('allow');
    expect(decide(statements, ctx('dynamodb:BatchGetItem'))).toBe('allow');
    expect(decide(statements, ctx('dynamodb:BatchWriteItem'))).toBe('implicit-deny');
    expect(decide(statements, ctx('dynamodb:Query'))).toBe('implicit-deny');
  });

  it('applies NotAction to every action outside the list', () => {
    const statements = [{ Effect: 'Allow', NotAction: 'dynamodb:DeleteItem', Resource: '*' }];
    expect(decide(statements, ctx('dynamodb:PutItem'))).toBe('allow');
    expect(decide(statements, ctx('dynamodb:DeleteItem'))).toBe('implicit-deny');
  });

  it('lets a Deny with NotAction deny everything but the listed actions', () => {
    const statements = [
      { Effect: 'Allow', Action: '*', Resource: '*' },
      { Effect: 'Deny', NotAction: 'dynamodb:Get*', Resource: '*' },
    ];
    expect(decide(statements, ctx('dynamodb:GetItem'))).toBe('allow');
    expect(decide(statements, ctx('dynamodb:PutItem'))).toBe('explicit-deny');
  });
});

describe('resources', () => {
  it('matches resources case-sensitively', () => {
    const statements = [{ Effect: 'Allow', Action: '*', Resource: TABLE.toLowerCase() }];
    expect(decide(statements, ctx('dynamodb:GetItem'))).toBe('implicit-deny');
  });

  it('matches * and ? wildcards in resources', () => {
    const statements = [{ Effect: 'Allow', Action: '*', Resource: 'arn:aws:dynamodb:*:*:table/Pr?ducts*' }];
    expect(decide(statements, ctx('x:y'))).toBe('allow');
    expect(decide(statements, ctx('x:y', `${TABLE}/index/byName`))).toBe('allow');
    expect(decide(statements, ctx('x:y', TABLE.replace('Products', 'Orders')))).toBe('implicit-deny');
  });

  it('does not let a table ARN cover its indexes', () => {
    const statements = [{ Effect: 'Allow', Action: '*', Resource: TABLE }];
    expect(decide(statements, ctx('dynamodb:Query', `${TABLE}/index/byName`))).toBe('implicit-deny');
  });

  it('applies NotResource to every resource outside the list', () => {
    const statements = [
      { Effect: 'Deny', Action: '*', NotResource: TABLE },
      { Effect: 'Allow', Action: '*', Resource: '*' },
    ];
    expect(decide(statements, ctx('dynamodb:GetItem'))).toBe('allow');
    expect(decide(statements, ctx('dynamodb:GetItem', `${TABLE}x`))).toBe('explicit-deny');
  });

  it('escapes regular-expression characters in patterns', () => {
    const statements = [{ Effect: 'Allow', Action: '*', Resource: 'arn:a.b(c)*' }];
    expect(decide(statements, ctx('x:y', 'arn:a.b(c)d'))).toBe('allow');
    expect(decide(statements, ctx('x:y', 'arn:aXb(c)d'))).toBe('implicit-deny');
  });
});

describe('combining statements and policies', () => {
  it('lets an explicit Deny win over an Allow in another policy', () => {
    const allow = policy({ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' });
    const deny = policy({ Effect: 'Deny', Action: 'dynamodb:DeleteItem', Resource: TABLE });
    expect(evaluatePolicies([allow, deny], ctx('dynamodb:DeleteItem'))).toBe('explicit-deny');
    expect(evaluatePolicies([deny, allow], ctx('dynamodb:DeleteItem'))).toBe('explicit-deny');
    expect(evaluatePolicies([allow, deny], ctx('dynamodb:GetItem'))).toBe('allow');
  });

  it('denies implicitly with no policies at all', () => {
    expect(evaluatePolicies([], ctx('dynamodb:GetItem'))).toBe('implicit-deny');
  });

  it('accepts a single statement object instead of a list', () => {
    const single = compilePolicy({ Statement: { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' } });
    expect(evaluatePolicies([single], ctx('s3:GetObject'))).toBe('allow');
  });

  it('parses JSON text', () => {
    const text = compilePolicy('{"Statement":[{"Effect":"Allow","Action":"a:b","Resource":"*"}]}');
    expect(evaluatePolicies([text], ctx('a:b'))).toBe('allow');
  });
});

describe('session policies', () => {
  const identity = [policy({ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' })];

  it('allows what both the identity and the session policy allow', () => {
    const session = [policy({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: '*' })];
    expect(authorize({ identity, session }, ctx('dynamodb:GetItem'))).toEqual({ allowed: true });
  });

  it('denies what only the identity policy allows', () => {
    const session = [policy({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: '*' })];
    expect(authorize({ identity, session }, ctx('dynamodb:PutItem'))).toEqual({
      allowed: false,
      reason: 'no-session-allow',
    });
  });

  it('does not let a session policy grant beyond the identity policies', () => {
    const session = [policy({ Effect: 'Allow', Action: '*', Resource: '*' })];
    const narrow = [policy({ Effect: 'Allow', Action: 'dynamodb:Query', Resource: '*' })];
    expect(authorize({ identity: narrow, session }, ctx('dynamodb:GetItem'))).toEqual({
      allowed: false,
      reason: 'no-identity-allow',
    });
  });

  it('reports an explicit deny in the session policy', () => {
    const session = [
      policy(
        { Effect: 'Allow', Action: '*', Resource: '*' },
        { Effect: 'Deny', Action: 'dynamodb:Scan', Resource: '*' },
      ),
    ];
    expect(authorize({ identity, session }, ctx('dynamodb:Scan'))).toEqual({
      allowed: false,
      reason: 'explicit-deny-session',
    });
  });

  it('reports an explicit deny in an identity policy before anything else', () => {
    const denying = [...identity, policy({ Effect: 'Deny', Action: 'dynamodb:Scan', Resource: '*' })];
    expect(authorize({ identity: denying, session: [] }, ctx('dynamodb:Scan'))).toEqual({
      allowed: false,
      reason: 'explicit-deny-identity',
    });
  });

  it('words the denial as AWS does', () => {
    const request = ctx('dynamodb:GetItem');
    const principal = 'arn:aws:sts::000000000000:assumed-role/role/session';
    expect(accessDeniedMessage(principal, request, 'no-identity-allow')).toBe(
      `User: ${principal} is not authorized to perform: dynamodb:GetItem on resource: ${TABLE} because no identity-based policy allows the dynamodb:GetItem action`,
    );
    expect(accessDeniedMessage(principal, request, 'explicit-deny-identity')).toMatch(
      / on resource: .* with an explicit deny in an identity-based policy$/,
    );
    expect(accessDeniedMessage(principal, request, 'no-session-allow')).toMatch(
      /because no session policy allows the dynamodb:GetItem action$/,
    );
  });
});

describe('string conditions', () => {
  it('StringEquals ORs the values of one key', () => {
    const s = allowIf({ StringEquals: { 'aws:RequestedRegion': ['eu-west-1', 'us-east-1'] } });
    expect(decide(s, ctx('dynamodb:GetItem', TABLE, { 'aws:requestedregion': ['us-east-1'] }))).toBe('allow');
    expect(decide(s, ctx('dynamodb:GetItem', TABLE, { 'aws:requestedregion': ['us-west-2'] }))).toBe(
      'implicit-deny',
    );
  });

  it('StringEquals is case-sensitive on values and case-insensitive on key names', () => {
    const s = allowIf({ StringEquals: { 'AWS:REQUESTEDREGION': 'us-east-1' } });
    expect(decide(s, ctx('dynamodb:GetItem', TABLE, { 'aws:requestedregion': ['us-east-1'] }))).toBe('allow');
    expect(decide(s, ctx('dynamodb:GetItem', TABLE, { 'aws:requestedregion': ['US-EAST-1'] }))).toBe(
      'implicit-deny',
    );
  });

  it('StringEqualsIgnoreCase ignores the case of values', () => {
    const s = allowIf({ StringEqualsIgnoreCase: { 'dynamodb:select': 'specific_attributes' } });
    expect(decide(s, ctx('dynamodb:Query', TABLE, { 'dynamodb:select': ['SPECIFIC_ATTRIBUTES'] }))).toBe(
      'allow',
    );
  });

  it('ANDs keys and operators', () => {
    const s = allowIf({
      StringEquals: { 'aws:requestedregion': 'us-east-1' },
      StringLike: { 'aws:principalarn': 'arn:aws:iam::*:role/app-*' },
    });
    const both = { 'aws:requestedregion': ['us-east-1'], 'aws:principalarn': ['arn:aws:iam::1:role/app-x'] };
    expect(decide(s, ctx('dynamodb:GetItem', TABLE, both))).toBe('allow');
    expect(
      decide(s, ctx('dynamodb:GetItem', TABLE, { ...both, 'aws:principalarn': ['arn:aws:iam::1:role/ops'] })),
    ).toBe('implicit-deny');
  });

  it('fails a positive operator on a missing key', () => {
    const s = allowIf({ StringLike: { 'dynamodb:LeadingKeys': 'TENANT#a' } });
    expect(decide(s, ctx('dynamodb:Scan'))).toBe('implicit-deny');
  });

  it('passes a negated operator on a missing key', () => {
    const s = allowIf({ StringNotEquals: { 'dynamodb:ReturnValues': 'ALL_OLD' } });
    expect(decide(s, ctx('dynamodb:PutItem'))).toBe('allow');
    expect(decide(s, ctx('dynamodb:PutItem', TABLE, { 'dynamodb:returnvalues': ['ALL_OLD'] }))).toBe(
      'implicit-deny',
    );
  });

  it('StringNotLike fails when any request value matches', () => {
    const s = allowIf({ StringNotLike: { 'dynamodb:LeadingKeys': 'TENANT#b*' } });
    expect(decide(s, ctx('dynamodb:GetItem', TABLE, leading('TENANT#a')))).toBe('allow');
    expect(decide(s, ctx('dynamodb:GetItem', TABLE, leading('TENANT#b#1')))).toBe('implicit-deny');
  });

  it('IfExists passes a missing key and still checks a present one', () => {
    const s = allowIf({ StringEqualsIfExists: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' } });
    expect(decide(s, ctx('dynamodb:GetItem'))).toBe('allow');
    expect(decide(s, ctx('dynamodb:Query', TABLE, { 'dynamodb:select': ['ALL_ATTRIBUTES'] }))).toBe(
      'implicit-deny',
    );
  });

  it('a Deny with StringNotEquals applies when the key is missing', () => {
    const s = [
      { Effect: 'Allow', Action: '*', Resource: '*' },
      {
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: { StringNotEquals: { 'aws:requestedregion': 'us-east-1' } },
      },
    ];
    expect(decide(s, ctx('dynamodb:GetItem'))).toBe('explicit-deny');
  });
});

describe('set operators', () => {
  const tenantA = allowIf({
    'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['TENANT#a', 'TENANT#a#*'] },
  });

  it('ForAllValues:StringLike allows when every leading key matches', () => {
    expect(decide(tenantA, ctx('dynamodb:BatchGetItem', TABLE, leading('TENANT#a', 'TENANT#a#p1')))).toBe(
      'allow',
    );
  });

  it('ForAllValues:StringLike denies when one leading key belongs to another tenant', () => {
    expect(decide(tenantA, ctx('dynamodb:BatchGetItem', TABLE, leading('TENANT#a', 'TENANT#b')))).toBe(
      'implicit-deny',
    );
    expect(decide(tenantA, ctx('dynamodb:GetItem', TABLE, leading('TENANT#ab')))).toBe('implicit-deny');
  });

  it('ForAllValues passes a missing key, as IAM does (a Scan has no leading keys)', () => {
    expect(decide(tenantA, ctx('dynamodb:Scan'))).toBe('allow');
  });

  it('ForAllValues passes an empty key set, as IAM does', () => {
    expect(decide(tenantA, ctx('dynamodb:Scan', TABLE, { 'dynamodb:leadingkeys': [] }))).toBe('allow');
  });

  it('a Null check closes the missing-key gap of ForAllValues', () => {
    const closed = allowIf({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['TENANT#a', 'TENANT#a#*'] },
      Null: { 'dynamodb:LeadingKeys': 'false' },
    });
    expect(decide(closed, ctx('dynamodb:Scan'))).toBe('implicit-deny');
    expect(decide(closed, ctx('dynamodb:GetItem', TABLE, leading('TENANT#a')))).toBe('allow');
  });

  it('ForAllValues:StringEquals compares exactly', () => {
    const s = allowIf({ 'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['pk', 'sk', 'name'] } });
    expect(decide(s, ctx('dynamodb:GetItem', TABLE, { 'dynamodb:attributes': ['pk', 'name'] }))).toBe(
      'allow',
    );
    expect(decide(s, ctx('dynamodb:GetItem', TABLE, { 'dynamodb:attributes': ['pk', 'price'] }))).toBe(
      'implicit-deny',
    );
  });

  it('ForAnyValue:StringEquals needs one matching value and fails a missing key', () => {
    const s = allowIf({ 'ForAnyValue:StringEquals': { 'dynamodb:Attributes': ['price'] } });
    expect(decide(s, ctx('dynamodb:GetItem', TABLE, { 'dynamodb:attributes': ['pk', 'price'] }))).toBe(
      'allow',
    );
    expect(decide(s, ctx('dynamodb:GetItem', TABLE, { 'dynamodb:attributes': ['pk'] }))).toBe(
      'implicit-deny',
    );
    expect(decide(s, ctx('dynamodb:GetItem'))).toBe('implicit-deny');
  });

  it('ForAnyValue:StringLike matches wildcards', () => {
    const s = allowIf({ 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': 'TENANT#a*' } });
    expect(decide(s, ctx('dynamodb:GetItem', TABLE, leading('TENANT#b', 'TENANT#a1')))).toBe('allow');
    expect(decide(s, ctx('dynamodb:GetItem', TABLE, leading('TENANT#b')))).toBe('implicit-deny');
  });

  it('a Deny with ForAnyValue:StringLike stops a call touching a forbidden key', () => {
    const s = [
      { Effect: 'Allow', Action: '*', Resource: '*' },
      {
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': 'ADMIN*' } },
      },
    ];
    expect(decide(s, ctx('dynamodb:BatchGetItem', TABLE, leading('TENANT#a', 'ADMIN#1')))).toBe(
      'explicit-deny',
    );
    expect(decide(s, ctx('dynamodb:BatchGetItem', TABLE, leading('TENANT#a')))).toBe('allow');
  });
});

describe('Null, Bool, numeric and date conditions', () => {
  it('Null true requires the key to be missing, false requires it present', () => {
    const missing = allowIf({ Null: { 'dynamodb:Attributes': 'true' } });
    expect(decide(missing, ctx('dynamodb:GetItem'))).toBe('allow');
    expect(decide(missing, ctx('dynamodb:GetItem', TABLE, { 'dynamodb:attributes': ['a'] }))).toBe(
      'implicit-deny',
    );
    const present = allowIf({ Null: { 'dynamodb:Attributes': false } });
    expect(decide(present, ctx('dynamodb:GetItem', TABLE, { 'dynamodb:attributes': ['a'] }))).toBe('allow');
    expect(decide(present, ctx('dynamodb:GetItem'))).toBe('implicit-deny');
  });

  it('Bool compares true/false and fails a missing key', () => {
    const s = allowIf({ Bool: { 'aws:SecureTransport': 'true' } });
    expect(decide(s, ctx('x:y', TABLE, { 'aws:securetransport': ['true'] }))).toBe('allow');
    expect(decide(s, ctx('x:y', TABLE, { 'aws:securetransport': ['false'] }))).toBe('implicit-deny');
    expect(decide(s, ctx('x:y'))).toBe('implicit-deny');
    expect(decide(allowIf({ BoolIfExists: { 'aws:SecureTransport': true } }), ctx('x:y'))).toBe('allow');
  });

  it('Numeric operators compare numbers and reject non-numbers', () => {
    const s = allowIf({ NumericLessThanEquals: { 'sts:DurationSeconds': 3600 } });
    expect(decide(s, ctx('x:y', TABLE, { 'sts:durationseconds': ['900'] }))).toBe('allow');
    expect(decide(s, ctx('x:y', TABLE, { 'sts:durationseconds': ['3601'] }))).toBe('implicit-deny');
    expect(decide(s, ctx('x:y', TABLE, { 'sts:durationseconds': ['soon'] }))).toBe('implicit-deny');
  });

  it('Date operators compare ISO dates', () => {
    const s = allowIf({ DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } });
    expect(decide(s, ctx('x:y', TABLE, { 'aws:currenttime': ['2026-11-29T10:00:00Z'] }))).toBe('allow');
    expect(decide(s, ctx('x:y', TABLE, { 'aws:currenttime': ['2031-01-01T00:00:00Z'] }))).toBe(
      'implicit-deny',
    );
  });
});

describe('malformed and unsupported documents', () => {
  it('rejects an unknown condition operator', () => {
    expect(() => policy(...allowIf({ StringSortOf: { a: 'b' } }))).toThrow(MalformedPolicyError);
  });

  it('refuses operators the local evaluator does not implement instead of ignoring them', () => {
    expect(() => policy(...allowIf({ IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }))).toThrow(
      UnsupportedPolicyError,
    );
  });

  it('rejects a statement without Effect Allow or Deny', () => {
    expect(() => policy({ Effect: 'allow', Action: '*', Resource: '*' })).toThrow(MalformedPolicyError);
  });

  it('rejects an identity statement without Resource', () => {
    expect(() => policy({ Effect: 'Allow', Action: '*' })).toThrow(MalformedPolicyError);
  });

  it('rejects Action together with NotAction', () => {
    expect(() => policy({ Effect: 'Allow', Action: '*', NotAction: 'a:b', Resource: '*' })).toThrow(
      MalformedPolicyError,
    );
  });

  it('rejects invalid JSON text', () => {
    expect(() => compilePolicy('{"Statement": [')).toThrow('The policy is not in the valid JSON format.');
  });
});
