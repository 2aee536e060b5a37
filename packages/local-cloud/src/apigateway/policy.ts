/**
 * IAM policy evaluation for Lambda authorizer results, as API Gateway does it: statements whose Action covers
 * `execute-api:Invoke` and whose Resource covers the method ARN; an explicit Deny wins, otherwise an Allow is
 * needed. `*` matches any run of characters (including `/`), `?` exactly one.
 */

export type PolicyDecision = 'allow' | 'deny' | 'none';

interface Statement {
  deny: boolean;
  actions: RegExp[];
  notActions: RegExp[] | undefined;
  resources: RegExp[];
  notResources: RegExp[] | undefined;
}

export interface ParsedPolicy {
  statements: Statement[];
}

const ACTION = 'execute-api:invoke';

/** Parses a `policyDocument`; undefined when it is malformed (AWS answers 500 AuthorizerConfigurationException). */
export function parsePolicy(document: unknown): ParsedPolicy | undefined {
  if (!isRecord(document)) return undefined;
  const raw = document.Statement;
  const list = Array.isArray(raw) ? raw : isRecord(raw) ? [raw] : undefined;
  if (!list) return undefined;
  const statements: Statement[] = [];
  for (const entry of list) {
    if (!isRecord(entry)) return undefined;
    const effect = entry.Effect;
    if (effect !== 'Allow' && effect !== 'Deny') return undefined;
    const actions = patterns(entry.Action, true);
    const notActions = patterns(entry.NotAction, true);
    const resources = patterns(entry.Resource, false);
    const notResources = patterns(entry.NotResource, false);
    if (actions === null || notActions === null || resources === null || notResources === null)
      return undefined;
    if (!actions === !notActions || !resources === !notResources) return undefined;
    statements.push({
      deny: effect === 'Deny',
      actions: actions ?? [],
      notActions,
      resources: resources ?? [],
      notResources,
    });
  }
  return { statements };
}

/** Evaluates the policy for one method ARN. */
export function evaluatePolicy(policy: ParsedPolicy, methodArn: string): PolicyDecision {
  let allowed = false;
  for (const statement of policy.statements) {
    if (!covers(statement.actions, statement.notActions, ACTION)) continue;
    if (!covers(statement.resources, statement.notResources, methodArn)) continue;
    if (statement.deny) return 'deny';
    allowed = true;
  }
  return allowed ? 'allow' : 'none';
}

function covers(included: RegExp[], excluded: RegExp[] | undefined, value: string): boolean {
  if (excluded) return !excluded.some((pattern) => pattern.test(value));
  return included.some((pattern) => pattern.test(value));
}

/** undefined: property absent; null: malformed. */
function patterns(value: unknown, caseInsensitive: boolean): RegExp[] | undefined | null {
  if (value === undefined) return undefined;
  const list = typeof value === 'string' ? [value] : Array.isArray(value) ? value : null;
  if (!list || list.length === 0) return null;
  const out: RegExp[] = [];
  for (const item of list) {
    if (typeof item !== 'string') return null;
    out.push(wildcard(item, caseInsensitive));
  }
  return out;
}

const cache = new Map<string, RegExp>();

/** Compiles an IAM wildcard pattern; compiled patterns are memoised (authorizers return the same few). */
export function wildcard(pattern: string, caseInsensitive = false): RegExp {
  const key = caseInsensitive ? `i:${pattern}` : `s:${pattern}`;
  let compiled = cache.get(key);
  if (!compiled) {
    const source = pattern.replace(/[.+^${}()|[\]\\*?]/g, (c) =>
      c === '*' ? '.*' : c === '?' ? '.' : `\\${c}`,
    );
    compiled = new RegExp(`^${source}$`, caseInsensitive ? 'is' : 's');
    if (cache.size > 10_000) cache.clear();
    cache.set(key, compiled);
  }
  return compiled;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
