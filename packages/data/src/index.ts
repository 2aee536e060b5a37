export { createDocumentClient, type DynamoDBDocumentClient } from './client.js';
export {
  type ItemKey,
  KEY_ATTRIBUTES,
  orderKey,
  orderSk,
  productKey,
  productSk,
  REGISTRATION_SK,
  registrationKey,
  registrationPk,
  TENANT_NAME_SK,
  TENANT_PROFILE_SK,
  tenantNameKey,
  tenantNamePk,
  tenantPk,
  tenantProfileKey,
  withoutKeys,
} from './keys.js';
export {
  TENANT_NAME_RULES,
  TENANT_STATUSES,
  type TenantNameRecord,
  type TenantRecord,
  type TenantStatus,
} from './tenant.js';
