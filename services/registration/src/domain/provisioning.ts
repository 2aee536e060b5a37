import { failStepField, oneOf, optional, strictObject, string } from '@tenantry/tenant-middleware';
import { PROVISIONING_STEPS, type RegistrationStore, registrationIdField } from './registration.js';

/** Input of `recordProgress` (docs/onboarding.md). */
export const recordProgressInput = strictObject({
  registrationId: registrationIdField,
  step: oneOf(PROVISIONING_STEPS),
  failStep: failStepField,
});

/** Input of `completeRegistration` (docs/onboarding.md). */
export const completeRegistrationInput = strictObject({
  registrationId: registrationIdField,
  status: oneOf(['ACTIVE', 'FAILED'] as const),
  error: optional(string({ maxLength: 500 })),
  failStep: failStepField,
});

export interface ProvisioningDeps {
  registrations: Pick<RegistrationStore, 'recordStep' | 'markActive' | 'markFailed'>;
}

/** The error a failed registration shows when the workflow gives none. */
export const GENERIC_FAILURE = 'provisioning failed';

/** Records the step the workflow is about to run (shown by GET /registrations/{id}). */
export async function recordProgress(
  deps: ProvisioningDeps,
  input: ReturnType<typeof recordProgressInput>,
): Promise<Record<string, never>> {
  await deps.registrations.recordStep(input.registrationId, input.step);
  return {};
}

/**
 * Ends a registration: ACTIVE, or FAILED with a safe error (which also releases the tenant name).
 * Idempotent: completing again with the same status changes nothing.
 */
export async function completeRegistration(
  deps: ProvisioningDeps,
  input: ReturnType<typeof completeRegistrationInput>,
): Promise<Record<string, never>> {
  if (input.status === 'ACTIVE') await deps.registrations.markActive(input.registrationId);
  else await deps.registrations.markFailed(input.registrationId, input.error ?? GENERIC_FAILURE);
  return {};
}
