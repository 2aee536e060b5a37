/**
 * IAM's evaluation logic for identity-based policies and session policies: an explicit Deny in
 * any of them wins; otherwise the identity policies must allow the request, and when the
 * session carries a session policy, that policy must allow it too (their intersection).
 * Permissions boundaries, SCPs and resource-based policies are not modelled here.
 */
import type { CompiledPolicy, CompiledStatement, RequestContext } from './policy.js';

export type Decision = 'allow' | 'explicit-deny' | 'implicit-deny';

export type DenialReason =
  | 'explicit-deny-identity'
  | 'explicit-deny-session'
  | 'no-identity-allow'
  | 'no-session-allow';

export type Authorization = { allowed: true } | { allowed: false; reason: DenialReason };

/** True when the statement applies to the request (action, resource and every condition). */
export function statementApplies(statement: CompiledStatement, ctx: RequestContext): boolean {
  if (!statement.action(ctx.action) || !statement.resource(ctx.resource)) return false;
  for (const condition of statement.conditions) if (!condition.test(ctx.keys[condition.key])) return false;
  return true;
}

/** The decision of one set of policies alone. */
export function evaluatePolicies(policies: readonly CompiledPolicy[], ctx: RequestContext): Decision {
  let allowed = false;
  for (const policy of policies) {
    for (const statement of policy.statements) {
      if (statement.effect === 'Allow' && allowed) continue;
      if (!statementApplies(statement, ctx)) continue;
      if (statement.effect === 'Deny') return 'explicit-deny';
      allowed = true;
    }
  }
  return allowed ? 'allow' : 'implicit-deny';
}

export interface PrincipalPolicies {
  identity: readonly CompiledPolicy[];
  /** The session policy, when the session has one; absent means no session restriction. */
  session?: readonly CompiledPolicy[];
}

/** Evaluates identity policies intersected with the session policy, as IAM does. */
export function authorize(policies: PrincipalPolicies, ctx: RequestContext): Authorization {
  const identity = evaluatePolicies(policies.identity, ctx);
  if (identity === 'explicit-deny') return { allowed: false, reason: 'explicit-deny-identity' };
  const session = policies.session ? evaluatePolicies(policies.session, ctx) : 'allow';
  if (session === 'explicit-deny') return { allowed: false, reason: 'explicit-deny-session' };
  if (identity !== 'allow') return { allowed: false, reason: 'no-identity-allow' };
  if (session !== 'allow') return { allowed: false, reason: 'no-session-allow' };
  return { allowed: true };
}

const REASON_TEXT: Record<DenialReason, (action: string) => string> = {
  'explicit-deny-identity': () => 'with an explicit deny in an identity-based policy',
  'explicit-deny-session': () => 'with an explicit deny in a session policy',
  'no-identity-allow': (action) => `because no identity-based policy allows the ${action} action`,
  'no-session-allow': (action) => `because no session policy allows the ${action} action`,
};

/**
 * AWS's AccessDenied message, e.g. `User: arn:aws:sts::000000000000:assumed-role/r/s is not
 * authorized to perform: dynamodb:GetItem on resource: arn:...:table/T because no identity-based
 * policy allows the dynamodb:GetItem action`.
 */
export function accessDeniedMessage(principalArn: string, ctx: RequestContext, reason: DenialReason): string {
  return `User: ${principalArn} is not authorized to perform: ${ctx.action} on resource: ${ctx.resource} ${REASON_TEXT[reason](ctx.action)}`;
}
