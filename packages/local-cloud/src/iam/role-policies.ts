/**
 * The compiled identity policies of a role (inline + managed), cached per role and recompiled
 * only when a document was added, removed or replaced (checked by reference, so the providers'
 * in-place edits of `RoleRecord.policies` are seen on the next call).
 */
import { AWS_MANAGED_POLICIES } from './aws-managed.js';
import { type CompiledPolicy, compilePolicy } from './policy.js';
import type { IamStore, RoleRecord } from './providers.js';

const byDocument = new WeakMap<object, CompiledPolicy>();

/** Compiles a document once per object identity (strings are compiled each time). */
export function compileCached(document: unknown, options?: { resourceBased?: boolean }): CompiledPolicy {
  if (typeof document !== 'object' || document === null || options?.resourceBased)
    return compilePolicy(document, options);
  let compiled = byDocument.get(document);
  if (!compiled) {
    compiled = compilePolicy(document);
    byDocument.set(document, compiled);
  }
  return compiled;
}

/** The documents a role's permissions come from; unknown managed ARNs contribute nothing. */
function documentsOf(store: IamStore, role: RoleRecord): unknown[] {
  const documents: unknown[] = [...role.policies.values()];
  for (const arn of role.managedPolicyArns) {
    const document = store.managedPolicies.get(arn) ?? AWS_MANAGED_POLICIES.get(arn);
    if (document !== undefined) documents.push(document);
  }
  return documents;
}

export type RolePolicies = (role: RoleRecord) => readonly CompiledPolicy[];

export function createRolePolicies(store: IamStore): RolePolicies {
  const cache = new WeakMap<RoleRecord, { sources: unknown[]; compiled: CompiledPolicy[] }>();
  return (role) => {
    const sources = documentsOf(store, role);
    const cached = cache.get(role);
    if (
      cached &&
      cached.sources.length === sources.length &&
      cached.sources.every((source, i) => source === sources[i])
    )
      return cached.compiled;
    const compiled = sources.map((source) => compileCached(source));
    cache.set(role, { sources, compiled });
    return compiled;
  };
}
