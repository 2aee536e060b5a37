import { internalFunction } from '@tenantry/tenant-middleware';
import { loadWorkflowConfig } from '../../config.js';
import { provisioningDeps } from '../../deps.js';
import { completeRegistration, completeRegistrationInput } from '../../domain/provisioning.js';

const deps = provisioningDeps(loadWorkflowConfig());

/** Internal (provisioning workflow): `{registrationId, status, error?}` → `{}`. */
export const handler = internalFunction('completeRegistration', completeRegistrationInput, (input) =>
  completeRegistration(deps, input),
);
