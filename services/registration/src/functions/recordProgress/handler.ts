import { internalFunction } from '@tenantry/tenant-middleware';
import { loadConfig } from '../../config.js';
import { provisioningDeps } from '../../deps.js';
import { recordProgress, recordProgressInput } from '../../domain/provisioning.js';

const deps = provisioningDeps(loadConfig());

/** Internal (provisioning workflow): `{registrationId, step}` → `{}`. */
export const handler = internalFunction('recordProgress', recordProgressInput, (input) =>
  recordProgress(deps, input),
);
