import { NotFoundError, string } from '@tenantry/tenant-middleware';

export const REGISTRATION_STATUSES = ['PROVISIONING', 'ACTIVE', 'FAILED'] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];

/** A registration as clients see it (contract §4). */
export interface Registration {
  registrationId: string;
  tenantId: string;
  tenantName: string;
  tier: string;
  status: RegistrationStatus;
  error?: string;
}

export interface RegistrationStore {
  get(registrationId: string): Promise<Registration | undefined>;
}

export interface RegistrationDeps {
  registrations: RegistrationStore;
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
