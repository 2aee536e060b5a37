/**
 * Names of a tenant stack and of what the release records: one module, used by the builder, the
 * release step, the stack lifecycle functions and the tests.
 */
import { assertTenantId } from '@tenantry/data';

/** Every tenant stack's name starts with this; the release finds the stacks to update by it. */
export const TENANT_STACK_PREFIX = 'tenantry-silo-';

/**
 * The CloudFormation stack of a platinum tenant.
 *
 * @example
 * ```ts
 * tenantStackName('0f9c1e2a'); // 'tenantry-silo-0f9c1e2a'
 * ```
 */
export const tenantStackName = (tenantId: string): string =>
  `${TENANT_STACK_PREFIX}${assertTenantId(tenantId)}`;

/** The tenant id of a tenant stack's name, or undefined for any other stack. */
export function tenantIdOfStack(stackName: string): string | undefined {
  if (!stackName.startsWith(TENANT_STACK_PREFIX)) return undefined;
  return stackName.slice(TENANT_STACK_PREFIX.length) || undefined;
}

/**
 * The longest tenant id the tenant template accepts (its `TenantId` parameter's `MaxLength`). The
 * data layer allows 63 characters, but Lambda function and IAM role names are capped at 64 and carry
 * the tenant id, so a silo's tenant id must be shorter: 36 fits a UUID. The builder proves that
 * every derived name fits for an id of this length.
 */
export const MAX_SILO_TENANT_ID_LENGTH = 36;

/** SSM parameters in which the release records what new tenant stacks are created from. */
export const releaseParameters = (stage: string) => ({
  templateUrl: `/tenantry/${stage}/tenant-stack/template-url`,
  artifactPrefix: `/tenantry/${stage}/tenant-stack/artifact-prefix`,
  artifactBucket: `/tenantry/${stage}/tenant-stack/artifact-bucket`,
});

/** The tenant template's parameters. */
export const TEMPLATE_PARAMETERS = {
  tenantId: 'TenantId',
  artifactBucket: 'ArtifactBucket',
  artifactPrefix: 'ArtifactPrefix',
  reservedConcurrency: 'ReservedConcurrency',
} as const;

/** The tenant template's outputs the provisioning reads. */
export const TEMPLATE_OUTPUTS = {
  apiUrl: 'ApiUrl',
  apiId: 'ApiId',
  stage: 'Stage',
  userPoolId: 'UserPoolId',
  userPoolClientId: 'UserPoolClientId',
  apiKeyId: 'ApiKeyId',
} as const;
