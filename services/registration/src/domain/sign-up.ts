import { createHash } from 'node:crypto';
import { TENANT_NAME_RULES } from '@tenantry/data';
import {
  ConflictError,
  ForbiddenError,
  oneOf,
  optional,
  strictObject,
  string,
} from '@tenantry/tenant-middleware';
import { type Deployment, TIER_NAMES, type TierName, tierOf } from '@tenantry/tiers';
import type { RegistrationAnswer, RegistrationStore, StoredRegistration } from './registration.js';

/** The registration body (contract §4); unknown fields are a 400 naming them. */
export const registrationBody = strictObject({
  tenantName: string(TENANT_NAME_RULES),
  email: string({
    minLength: 3,
    maxLength: 254,
    pattern:
      /^[^\s@"'<>()[\],;:\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/,
    description: 'an e-mail address',
  }),
  tier: oneOf(TIER_NAMES),
  companyName: optional(string({ maxLength: 200 })),
});
export type RegistrationBody = ReturnType<typeof registrationBody>;

/** An `Idempotency-Key` header: 1–255 visible ASCII characters. */
export const idempotencyKeyField = optional(
  string({ maxLength: 255, pattern: /^[\x21-\x7e]+$/, description: 'visible ASCII characters' }),
);

/** The step name of `X-Tenantry-Fail-Step` (tests only). */
export const failStepHeaderField = optional(
  string({ maxLength: 64, pattern: /^[A-Za-z]+$/, description: 'a step name' }),
);

/** The pooled tenants' identity and API (the platform's pooled user pool and application API). */
export interface PooledIdentity {
  userPoolId: string;
  appClientId: string;
  apiUrl: string;
}

/** The input of the provisioning workflow (pipelines/provisioning.asl.yml). */
export interface ProvisioningInput {
  registrationId: string;
  tenantId: string;
  tenantName: string;
  tier: TierName;
  email: string;
  companyName?: string;
  deployment: Deployment;
  failStep?: string;
  identity?: PooledIdentity;
}

export interface SignUpDeps {
  registrations: Pick<RegistrationStore, 'create' | 'abandon' | 'executionInputOf'>;
  /** Starts the workflow named after the registration; starting it again with the same input is harmless. */
  provisioning: { start(registrationId: string, input: string): Promise<void> };
  /** The caller's current role; throws `UnauthorizedError` for a missing or invalid token. */
  callers: { roleOf(authorization: string | undefined): Promise<string | undefined> };
  ids: { registrationId(): string; tenantId(): string };
  now: () => Date;
  pooled: PooledIdentity;
}

export interface SignUpRequest {
  body: RegistrationBody;
  authorization?: string;
  idempotencyKey?: string;
  /** Only when fault injection is enabled (the handler decides). */
  failStep?: string;
}

/** Hash of a validated body, independent of key order and whitespace. */
export const bodyHash = (body: RegistrationBody): string =>
  createHash('sha256')
    .update(
      JSON.stringify(
        Object.keys(body)
          .sort()
          .map((key) => [key, body[key as keyof RegistrationBody]]),
      ),
    )
    .digest('base64url');

/**
 * Registers a tenant: reserves the name and records the registration atomically, then starts the
 * provisioning workflow. Platinum (silo) registrations are for SystemAdmins only. With an
 * idempotency key, a repeat of the same body returns the first answer; another body is a 409.
 */
export async function register(deps: SignUpDeps, request: SignUpRequest): Promise<RegistrationAnswer> {
  const { body } = request;
  const tier = tierOf(body.tier);
  if (tier.deployment === 'silo') {
    const role = await deps.callers.roleOf(request.authorization);
    if (role !== 'SystemAdmin') {
      throw new ForbiddenError('only a SystemAdmin may register a platinum tenant');
    }
  }
  const hash = bodyHash(body);
  const registrationId = deps.ids.registrationId();
  const tenantId = deps.ids.tenantId();
  const input: ProvisioningInput = {
    registrationId,
    tenantId,
    tenantName: body.tenantName,
    tier: tier.name,
    email: body.email,
    ...(body.companyName === undefined ? {} : { companyName: body.companyName }),
    deployment: tier.deployment,
    ...(request.failStep === undefined ? {} : { failStep: request.failStep }),
    ...(tier.deployment === 'pooled' ? { identity: deps.pooled } : {}),
  };
  const now = deps.now().toISOString();
  const registration: StoredRegistration = {
    registrationId,
    tenantId,
    tenantName: body.tenantName,
    tier: tier.name,
    status: 'PROVISIONING',
    step: 'received',
    email: body.email,
    ...(body.companyName === undefined ? {} : { companyName: body.companyName }),
    createdAt: now,
    updatedAt: now,
    executionInput: JSON.stringify(input),
  };
  const answer: RegistrationAnswer = { registrationId, tenantId, status: 'PROVISIONING' };
  const key = request.idempotencyKey;
  const outcome = await deps.registrations.create({
    registration,
    ...(key === undefined ? {} : { idempotency: { key, record: { bodyHash: hash, answer } } }),
  });
  if (outcome.kind === 'keyUsed') {
    if (outcome.record.bodyHash !== hash) {
      throw new ConflictError('this Idempotency-Key was already used for another request');
    }
    // The first request may have stopped before it started the workflow: start it (again).
    const first = outcome.record.answer;
    const firstInput = await deps.registrations.executionInputOf(first.registrationId);
    if (firstInput) await deps.provisioning.start(first.registrationId, firstInput);
    return first;
  }
  if (outcome.kind === 'nameTaken') throw new ConflictError('tenant name is already taken');
  try {
    await deps.provisioning.start(registrationId, registration.executionInput);
  } catch (error) {
    await deps.registrations.abandon(registration, key, 'provisioning could not be started');
    throw error;
  }
  return answer;
}

/** Reads `X-Tenantry-Fail-Step` only where fault injection is enabled; elsewhere it is ignored. */
export const requestedFailStep = (header: string | undefined, faultInjection: boolean): string | undefined =>
  faultInjection ? failStepHeaderField(header, 'X-Tenantry-Fail-Step') : undefined;
