import { NotFoundError, string } from '@tenantry/tenant-middleware';

export const REGISTRATION_STATUSES = ['PROVISIONING', 'ACTIVE', 'FAILED'] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];

/**
 * The steps of provisioning (docs/onboarding.md) a registration reports as its current `step`:
 * `received` until the workflow starts, then the internal function it is running.
 */
export const PROVISIONING_STEPS = [
  'received',
  'createTenantRecord',
  'createTenantApiKey',
  'createTenantStack',
  'describeTenantStack',
  'createTenantAdmin',
  'activateTenant',
  'completeRegistration',
] as const;
export type ProvisioningStep = (typeof PROVISIONING_STEPS)[number];

/** A registration as clients see it (contract §4, plus the current step). */
export interface Registration {
  registrationId: string;
  tenantId: string;
  tenantName: string;
  tier: string;
  status: RegistrationStatus;
  step: ProvisioningStep;
  error?: string;
}

/** What a registration remembers besides its public fields. */
export interface StoredRegistration extends Registration {
  email: string;
  companyName?: string;
  createdAt: string;
  updatedAt: string;
  /** The workflow input, exactly as first started (a repeated start must send the same input). */
  executionInput: string;
}

/** The answer to a sign-up, also what an `Idempotency-Key` replays. */
export interface RegistrationAnswer {
  registrationId: string;
  tenantId: string;
  status: RegistrationStatus;
}

/** The remembered first request made with an `Idempotency-Key`. */
export interface IdempotencyRecord {
  bodyHash: string;
  answer: RegistrationAnswer;
}

export type CreateOutcome =
  | { kind: 'created' }
  | { kind: 'nameTaken' }
  | { kind: 'keyUsed'; record: IdempotencyRecord };

export interface RegistrationStore {
  get(registrationId: string): Promise<Registration | undefined>;
  /** The stored workflow input of a registration, if it exists. */
  executionInputOf(registrationId: string): Promise<string | undefined>;
  /**
   * In one transaction: the registration, the reservation of its tenant name and (with a key) the
   * idempotency record. Nothing is written when the name is taken or the key was used.
   */
  create(request: {
    registration: StoredRegistration;
    idempotency?: { key: string; record: IdempotencyRecord };
  }): Promise<CreateOutcome>;
  /** Undoes `create` when the workflow could not be started: FAILED, name and key released. */
  abandon(registration: StoredRegistration, idempotencyKey: string | undefined, error: string): Promise<void>;
  /** Sets the current step of a PROVISIONING registration; a finished one is left alone. */
  recordStep(registrationId: string, step: ProvisioningStep): Promise<void>;
  /** ACTIVE, from PROVISIONING or ACTIVE (idempotent); throws when the registration failed. */
  markActive(registrationId: string): Promise<void>;
  /** FAILED with a safe error, after releasing the tenant name if it is still this tenant's. */
  markFailed(registrationId: string, error: string): Promise<void>;
}

export interface RegistrationDeps {
  registrations: Pick<RegistrationStore, 'get'>;
}

/** Registration ids are server-generated lowercase UUIDs; anything else is bad input. */
export const registrationIdField = string({
  minLength: 36,
  maxLength: 36,
  pattern: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  description: 'a registration id (lowercase UUID)',
});

/** The registration with this id; knowing the id is the only credential needed. */
export async function getRegistration(deps: RegistrationDeps, registrationId: string): Promise<Registration> {
  const registration = await deps.registrations.get(registrationId);
  if (!registration) throw new NotFoundError('registration not found');
  return registration;
}
