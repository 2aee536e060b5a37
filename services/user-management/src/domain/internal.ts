import { TENANT_ID_PATTERN } from '@tenantry/data';
import { failStepField, strictObject, string } from '@tenantry/tenant-middleware';
import { emailField } from './user.js';

/** Input of `createTenantAdmin` and `deleteTenantAdmin` (docs/onboarding.md). */
export const tenantAdminInput = strictObject({
  tenantId: string({ maxLength: 63, pattern: TENANT_ID_PATTERN, description: 'a tenant id' }),
  email: emailField,
  userPoolId: string({ maxLength: 55, pattern: /^[\w-]+_[0-9a-zA-Z]+$/, description: 'a user pool id' }),
  failStep: failStepField,
});
