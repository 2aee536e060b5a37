/**
 * @packageDocumentation
 * The platinum tenant's stack: the template builder (packaged services → one template per
 * tenant, parameterised by `TenantId`), the release step, and the stack lifecycle functions the
 * provisioning workflow calls. The Lambda wrappers should import `@tenantry/tenant-stack/stacks`
 * only (no file system, no builder).
 *
 * @example
 * ```ts
 * import { buildTenantTemplate, readPackagedServices } from '@tenantry/tenant-stack';
 * const { template, artifacts } = buildTenantTemplate(readPackagedServices(root, 'dev'));
 * ```
 */
export {
  type BuildTenantTemplateInput,
  type BuiltTenantTemplate,
  buildTenantTemplate,
  NOT_IN_SILO,
  type ServiceTemplate,
  type TenantArtifact,
} from './builder.js';
export { ReleaseError, TenantStackStateError, TenantTemplateError } from './errors.js';
export {
  MAX_SILO_TENANT_ID_LENGTH,
  releaseParameters,
  TEMPLATE_OUTPUTS,
  TEMPLATE_PARAMETERS,
  TENANT_STACK_PREFIX,
  tenantIdOfStack,
  tenantStackName,
} from './names.js';
export { APPLICATION_SERVICES, readPackagedServices } from './packaged.js';
export {
  listTenantStacks,
  prepareRelease,
  type ReleaseClients,
  type ReleaseOptions,
  type ReleaseResult,
  releaseTenantStack,
  type StackUpdateResult,
  templateUrlOf,
  writeBuiltTemplate,
} from './release.js';
export {
  type CreateTenantStackInput,
  createTenantStack,
  deleteTenantStack,
  describeTenantStack,
  STACK_NOT_FOUND,
  type TenantStackClients,
  type TenantStackDescription,
  type TenantStackOutputs,
  tenantApiUrl,
  updateTenantStack,
  waitForStack,
} from './stacks.js';
export type { CfnTemplate } from './template.js';
