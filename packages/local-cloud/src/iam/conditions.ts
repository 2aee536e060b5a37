/**
 * IAM condition operators. Semantics follow the IAM reference: values listed for one key are
 * OR'ed, keys and operators are AND'ed; a missing key fails positive operators and satisfies
 * negated ones (`StringNotEquals`, `StringNotLike`, ...); `...IfExists` makes a missing key pass;
 * `ForAllValues:` passes when every request value matches (so an EMPTY or MISSING key passes —
 * pair such conditions with a `Null` check or with actions that always carry the key);
 * `ForAnyValue:` needs at least one matching value.
 */
import { MalformedPolicyError, UnsupportedPolicyError } from './errors.js';
import { wildcardMatcher } from './wildcard.js';

export interface CompiledCondition {
  /** Lower-case condition key. */
  key: string;
  test(values: readonly string[] | undefined): boolean;
}

type Compare = (policyValues: string[]) => (value: string) => boolean;

const numeric =
  (op: (a: number, b: number) => boolean): Compare =>
  (policyValues) => {
    const bounds = policyValues.map(Number);
    return (value) => {
      const n = Number(value);
      return value.trim() !== '' && !Number.isNaN(n) && bounds.some((b) => op(n, b));
    };
  };

const toTime = (value: string): number =>
  /^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : Date.parse(value);

const date =
  (op: (a: number, b: number) => boolean): Compare =>
  (policyValues) => {
    const bounds = policyValues.map(toTime);
    return (value) => {
      const t = toTime(value);
      return !Number.isNaN(t) && bounds.some((b) => op(t, b));
    };
  };

const equals: Compare = (policyValues) => {
  const set = new Set(policyValues);
  return (value) => set.has(value);
};
const equalsIgnoreCase: Compare = (policyValues) => {
  const set = new Set(policyValues.map((v) => v.toLowerCase()));
  return (value) => set.has(value.toLowerCase());
};
const like: Compare = (policyValues) => {
  const matchers = policyValues.map((p) => wildcardMatcher(p, false));
  return (value) => matchers.some((m) => m(value));
};
const bool: Compare = (policyValues) => {
  const set = new Set(policyValues.map((v) => v.toLowerCase()));
  return (value) => set.has(value.toLowerCase());
};

/** Positive comparisons; the negated operator of each is its exact complement per value. */
const OPERATORS: Record<string, { compare: Compare; negated: boolean }> = {
  StringEquals: { compare: equals, negated: false },
  StringNotEquals: { compare: equals, negated: true },
  StringEqualsIgnoreCase: { compare: equalsIgnoreCase, negated: false },
  StringNotEqualsIgnoreCase: { compare: equalsIgnoreCase, negated: true },
  StringLike: { compare: like, negated: false },
  StringNotLike: { compare: like, negated: true },
  ArnEquals: { compare: like, negated: false },
  ArnLike: { compare: like, negated: false },
  ArnNotEquals: { compare: like, negated: true },
  ArnNotLike: { compare: like, negated: true },
  NumericEquals: { compare: numeric((a, b) => a === b), negated: false },
  NumericNotEquals: { compare: numeric((a, b) => a === b), negated: true },
  NumericLessThan: { compare: numeric((a, b) => a < b), negated: false },
  NumericLessThanEquals: { compare: numeric((a, b) => a <= b), negated: false },
  NumericGreaterThan: { compare: numeric((a, b) => a > b), negated: false },
  NumericGreaterThanEquals: { compare: numeric((a, b) => a >= b), negated: false },
  DateEquals: { compare: date((a, b) => a === b), negated: false },
  DateNotEquals: { compare: date((a, b) => a === b), negated: true },
  DateLessThan: { compare: date((a, b) => a < b), negated: false },
  DateLessThanEquals: { compare: date((a, b) => a <= b), negated: false },
  DateGreaterThan: { compare: date((a, b) => a > b), negated: false },
  DateGreaterThanEquals: { compare: date((a, b) => a >= b), negated: false },
  Bool: { compare: bool, negated: false },
  BinaryEquals: { compare: equals, negated: false },
};

const UNSUPPORTED = new Set(['IpAddress', 'NotIpAddress']);

function policyValues(raw: unknown, where: string): string[] {
  const list = Array.isArray(raw) ? raw : [raw];
  return list.map((v) => {
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    throw new MalformedPolicyError(`condition values of ${where} must be strings, numbers or booleans`);
  });
}

function compileOne(operatorName: string, key: string, raw: unknown): CompiledCondition {
  let name = operatorName;
  let set: 'all' | 'any' | undefined;
  if (name.startsWith('ForAllValues:')) {
    set = 'all';
    name = name.slice('ForAllValues:'.length);
  } else if (name.startsWith('ForAnyValue:')) {
    set = 'any';
    name = name.slice('ForAnyValue:'.length);
  }
  const ifExists = name.endsWith('IfExists') && name !== 'IfExists';
  if (ifExists) name = name.slice(0, -'IfExists'.length);
  const values = policyValues(raw, `${operatorName} ${key}`);
  const lowerKey = key.toLowerCase();

  if (name === 'Null') {
    if (set || ifExists) throw new MalformedPolicyError(`${operatorName} is not a valid condition operator`);
    const wants = new Set(values.map((v) => v.toLowerCase()));
    return {
      key: lowerKey,
      test: (ctx) => {
        const missing = ctx === undefined || ctx.length === 0;
        return (missing && wants.has('true')) || (!missing && wants.has('false'));
      },
    };
  }
  if (UNSUPPORTED.has(name))
    throw new UnsupportedPolicyError(`the local cloud does not evaluate the ${name} condition operator`);
  const operator = Object.hasOwn(OPERATORS, name) ? OPERATORS[name] : undefined;
  if (!operator) throw new MalformedPolicyError(`${operatorName} is not a valid condition operator`);
  const positive = operator.compare(values);
  const satisfies = operator.negated ? (v: string) => !positive(v) : positive;

  if (set === 'all') {
    return {
      key: lowerKey,
      test: (ctx) => {
        if (ctx === undefined) return true;
        for (const v of ctx) if (!satisfies(v)) return false;
        return true;
      },
    };
  }
  if (set === 'any') {
    return {
      key: lowerKey,
      test: (ctx) => {
        if (ctx === undefined || ctx.length === 0) return ifExists;
        for (const v of ctx) if (satisfies(v)) return true;
        return false;
      },
    };
  }
  return {
    key: lowerKey,
    test: (ctx) => {
      if (ctx === undefined || ctx.length === 0) return ifExists || operator.negated;
      // A negated operator passes only when no request value matches (the complement of the
      // positive operator over the whole set).
      if (operator.negated) {
        for (const v of ctx) if (positive(v)) return false;
        return true;
      }
      for (const v of ctx) if (positive(v)) return true;
      return false;
    },
  };
}

/** Compiles a statement's `Condition` block (undefined → no conditions). */
export function compileConditions(block: unknown): CompiledCondition[] {
  if (block === undefined) return [];
  if (typeof block !== 'object' || block === null || Array.isArray(block))
    throw new MalformedPolicyError('Condition must be an object');
  const compiled: CompiledCondition[] = [];
  for (const [operator, keys] of Object.entries(block)) {
    if (typeof keys !== 'object' || keys === null || Array.isArray(keys))
      throw new MalformedPolicyError(`Condition ${operator} must map keys to values`);
    for (const [key, values] of Object.entries(keys)) compiled.push(compileOne(operator, key, values));
  }
  return compiled;
}
