import { randomBytes, randomUUID } from 'node:crypto';
import type { SignUpDeps } from '../domain/sign-up.js';

/** Server-generated ids: a lowercase UUID per registration, `t` + 20 hex digits per tenant. */
export const serverIds: SignUpDeps['ids'] = {
  registrationId: () => randomUUID(),
  tenantId: () => `t${randomBytes(10).toString('hex')}`,
};
