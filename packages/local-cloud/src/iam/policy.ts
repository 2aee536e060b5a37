/**
 * IAM policy documents compiled once into matchers, so that evaluating a request is a few string
 * comparisons. Action names match case-insensitively, resources case-sensitively (as IAM does).
 */
import { type CompiledCondition, compileConditions } from './conditions.js';
import { MalformedPolicyError } from './errors.js';
import { ALWAYS, type Matcher, wildcardMatcher } from './wildcard.js';

/** The request as IAM sees it: one action on one resource, with its condition keys. */
export interface RequestContext {
  /** e.g. `dynamodb:GetItem` */
  action: string;
  /** e.g. `arn:aws:dynamodb:us-east-1:000000000000:table/T` */
  resource: string;
  /** Condition keys, in lower case (IAM compares key names case-insensitively), to their values;
   * an absent key or an empty list is missing from the request. */
  keys: Readonly<Record<string, readonly string[] | undefined>>;
}

export interface CompiledStatement {
  sid?: string;
  effect: 'Allow' | 'Deny';
  /** True when the action is in scope of Action (or outside NotAction). */
  action: Matcher;
  resource: Matcher;
  conditions: CompiledCondition[];
  /** The raw Principal / NotPrincipal, for resource-based (trust) policies. */
  principal?: unknown;
  notPrincipal?: unknown;
}

export interface CompiledPolicy {
  statements: CompiledStatement[];
}

function anyOf(matchers: Matcher[]): Matcher {
  if (matchers.includes(ALWAYS)) return ALWAYS;
  if (matchers.length === 1) return matchers[0] as Matcher;
  return (value) => {
    for (const matcher of matchers) if (matcher(value)) return true;
    return false;
  };
}

function stringList(value: unknown, field: string): string[] {
  const list = Array.isArray(value) ? value : [value];
  for (const item of list)
    if (typeof item !== 'string') throw new MalformedPolicyError(`${field} must hold strings`);
  return list as string[];
}

function scope(
  statement: Record<string, unknown>,
  positive: string,
  negative: string,
  ignoreCase: boolean,
  required: boolean,
): Matcher {
  const has = positive in statement;
  const hasNot = negative in statement;
  if (has && hasNot)
    throw new MalformedPolicyError(`a statement cannot have both ${positive} and ${negative}`);
  if (!has && !hasNot) {
    if (required) throw new MalformedPolicyError(`a statement needs ${positive} or ${negative}`);
    return ALWAYS;
  }
  const patterns = stringList(has ? statement[positive] : statement[negative], has ? positive : negative);
  const matcher = anyOf(patterns.map((p) => wildcardMatcher(p, ignoreCase)));
  return has ? matcher : (value) => !matcher(value);
}

/** Parses (when a string) and compiles a policy document; throws {@link MalformedPolicyError}. */
export function compilePolicy(document: unknown, options: { resourceBased?: boolean } = {}): CompiledPolicy {
  let doc = document;
  if (typeof doc === 'string') {
    try {
      doc = JSON.parse(doc);
    } catch (cause) {
      throw new MalformedPolicyError('The policy is not in the valid JSON format.', { cause });
    }
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw new MalformedPolicyError('The policy is not in the valid JSON format.');
  const raw = (doc as Record<string, unknown>).Statement;
  if (raw === undefined) throw new MalformedPolicyError('Missing required field Statement');
  const statements = (Array.isArray(raw) ? raw : [raw]).map((entry) => {
    if (typeof entry !== 'object' || entry === null)
      throw new MalformedPolicyError('Statement entries must be objects');
    const statement = entry as Record<string, unknown>;
    const effect = statement.Effect;
    if (effect !== 'Allow' && effect !== 'Deny')
      throw new MalformedPolicyError(`Effect must be Allow or Deny, not ${JSON.stringify(effect)}`);
    const compiled: CompiledStatement = {
      effect,
      action: scope(statement, 'Action', 'NotAction', true, true),
      // Trust policies have no Resource; identity policies must have one.
      resource: scope(statement, 'Resource', 'NotResource', false, !options.resourceBased),
      conditions: compileConditions(statement.Condition),
    };
    if (typeof statement.Sid === 'string') compiled.sid = statement.Sid;
    if ('Principal' in statement) compiled.principal = statement.Principal;
    if ('NotPrincipal' in statement) compiled.notPrincipal = statement.NotPrincipal;
    return compiled;
  });
  return { statements };
}
