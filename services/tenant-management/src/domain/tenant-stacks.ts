import { ConflictError, failStepField, NotFoundError, strictObject } from '@tenantry/tenant-middleware';
import { isTier, tierOf } from '@tenantry/tiers';
import { type TenantDeps, tenantIdField } from './tenants.js';

/** A tenant stack's state as the provisioning workflow branches on it. */
export interface TenantStackState {
  /** CloudFormation's stack status, or `NOT_FOUND`. */
  status: string;
  /** Present once the stack is complete. */
  outputs?: {
    userPoolId: string;
    appClientId: string;
    /** Where clients reach the tenant's API (locally the gateway's URL, on AWS `ApiUrl`). */
    apiUrl: string;
    apiKeyId: string;
  };
}

/** What new tenant stacks are created from: the tenant stack's current release. */
export interface TenantStackRelease {
  templateUrl: string;
  artifactBucket: string;
  artifactPrefix: string;
}

/** Where the release pipeline records its current release (SSM). */
export interface TenantStackReleases {
  /** Throws when nothing has been released yet. */
  current(): Promise<TenantStackRelease>;
}

/** The platinum tenants' stacks (CloudFormation). */
export interface TenantStacks {
  create(tenantId: string, release: TenantStackRelease): Promise<{ stackName: string }>;
  describe(tenantId: string): Promise<TenantStackState>;
  /** Starts the deletion; nothing when there is no stack. */
  remove(tenantId: string): Promise<void>;
}

export const tenantStackInput = strictObject({ tenantId: tenantIdField, failStep: failStepField });

const COMPLETE = 'CREATE_COMPLETE';

/**
 * `createTenantStack`: starts the platinum tenant's own stack from the current release. Idempotent
 * (a retry finds the stack it created). Only for a tenant on record with a silo tier: anything
 * else is a 404 or a 409.
 */
export async function createTenantStack(
  deps: TenantDeps & { stacks: TenantStacks; releases: TenantStackReleases },
  input: { tenantId: string },
): Promise<{ stackName: string }> {
  const record = await deps.tenants.get(input.tenantId);
  if (!record) throw new NotFoundError('tenant not found');
  if (!isTier(record.tier) || tierOf(record.tier).deployment !== 'silo')
    throw new ConflictError('only a silo tenant gets its own stack');
  return deps.stacks.create(input.tenantId, await deps.releases.current());
}

/**
 * `describeTenantStack`: `{status}` while the stack is on its way (or `NOT_FOUND`), and the
 * tenant's identity and API once it is `CREATE_COMPLETE`. A complete stack without the outputs
 * is an error: the workflow compensates.
 */
export async function describeTenantStack(
  deps: { stacks: TenantStacks },
  input: { tenantId: string },
): Promise<{
  status: string;
  userPoolId?: string;
  appClientId?: string;
  apiUrl?: string;
  apiKeyId?: string;
}> {
  const state = await deps.stacks.describe(input.tenantId);
  if (state.status !== COMPLETE) return { status: state.status };
  if (!state.outputs) throw new ConflictError('the tenant stack is complete but has no outputs');
  return { status: state.status, ...state.outputs };
}

/** `deleteTenantStack` (compensation): starts deleting the tenant's stack; nothing when there is none. */
export async function deleteTenantStack(
  deps: { stacks: TenantStacks },
  input: { tenantId: string },
): Promise<Record<string, never>> {
  await deps.stacks.remove(input.tenantId);
  return {};
}
