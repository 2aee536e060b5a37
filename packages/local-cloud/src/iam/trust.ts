/**
 * Role trust policies (AssumeRolePolicyDocument): who may assume a role. A statement naming the
 * caller's role (or session) ARN, or `*`, grants directly; one naming the account
 * (`arn:aws:iam::{account}:root` or the bare account id) only delegates to the account, so the
 * caller's own policies must allow `sts:AssumeRole` too. Service principals only match services.
 */

import { statementApplies } from './evaluate.js';
import { type CompiledPolicy, compilePolicy, type RequestContext } from './policy.js';

export type TrustCaller =
  | { kind: 'service'; service: string }
  | { kind: 'role'; roleArn: string; sessionArn: string; accountId: string };

/** `principal`: names the role ARN; `session`: names the session ARN; `account`: delegates. */
export type TrustDecision = { trusted: true; via: 'principal' | 'session' | 'account' } | { trusted: false };

const RANK = { principal: 2, session: 3, account: 1 } as const;

function values(raw: unknown): string[] {
  if (raw === undefined) return [];
  return (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string');
}

/** How the Principal block matches the caller, or undefined when it does not. */
function principalMatch(
  principal: unknown,
  caller: TrustCaller,
): 'principal' | 'session' | 'account' | undefined {
  if (principal === '*') return 'principal';
  if (typeof principal !== 'object' || principal === null) return undefined;
  const block = principal as Record<string, unknown>;
  if (caller.kind === 'service')
    return values(block.Service).includes(caller.service) ? 'principal' : undefined;
  let best: 'principal' | 'session' | 'account' | undefined;
  for (const value of values(block.AWS)) {
    let match: 'principal' | 'session' | 'account' | undefined;
    if (value === '*' || value === caller.roleArn) match = 'principal';
    else if (value === caller.sessionArn) match = 'session';
    else if (value === `arn:aws:iam::${caller.accountId}:root` || value === caller.accountId)
      match = 'account';
    if (match && (!best || RANK[match] > RANK[best])) best = match;
  }
  return best;
}

/** Evaluates a role's trust policy for `sts:AssumeRole` (conditions see `keys`). */
export function evaluateTrust(
  trustPolicy: unknown,
  caller: TrustCaller,
  ctx: Omit<RequestContext, 'action'> & { action?: string },
): TrustDecision {
  let compiled: CompiledPolicy;
  try {
    compiled = compilePolicy(trustPolicy, { resourceBased: true });
  } catch {
    return { trusted: false };
  }
  const request: RequestContext = {
    action: ctx.action ?? 'sts:AssumeRole',
    resource: ctx.resource,
    keys: ctx.keys,
  };
  let best: 'principal' | 'session' | 'account' | undefined;
  for (const statement of compiled.statements) {
    if (!statementApplies(statement, request)) continue;
    let match = statement.principal !== undefined ? principalMatch(statement.principal, caller) : undefined;
    if (statement.notPrincipal !== undefined)
      match = principalMatch(statement.notPrincipal, caller) ? undefined : 'principal';
    if (!match) continue;
    if (statement.effect === 'Deny') return { trusted: false };
    if (!best || RANK[match] > RANK[best]) best = match;
  }
  return best ? { trusted: true, via: best } : { trusted: false };
}
