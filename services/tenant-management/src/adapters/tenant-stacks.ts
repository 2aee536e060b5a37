import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import {
  createTenantStack,
  deleteTenantStack,
  describeTenantStack,
  tenantApiUrl,
} from '@tenantry/tenant-stack/stacks';
import type { TenantStacks } from '../domain/tenant-stacks.js';

export interface TenantStackSettings {
  /** The CloudFormation service role stacks are created with (AWS); none locally. */
  roleArn?: string;
  /** Where API Gateway serves deployed APIs when it is not AWS (the local gateway). */
  executeApiEndpoint?: string;
}

/**
 * Tenant stacks through CloudFormation. Needs `cloudformation:CreateStack|DescribeStacks|DeleteStack`
 * on `stack/tenantry-silo-*` and `iam:PassRole` on the service role.
 */
export function buildTenantStacks(
  cloudformation: CloudFormationClient,
  settings: TenantStackSettings,
): TenantStacks {
  const cfn = { cloudformation };
  return {
    async create(tenantId, release) {
      const { stackName } = await createTenantStack(cfn, {
        tenantId,
        ...release,
        ...(settings.roleArn ? { roleArn: settings.roleArn } : {}),
      });
      return { stackName };
    },
    async describe(tenantId) {
      const { status, outputs } = await describeTenantStack(cfn, { tenantId });
      if (!outputs) return { status };
      return {
        status,
        outputs: {
          userPoolId: outputs.UserPoolId,
          appClientId: outputs.UserPoolClientId,
          apiUrl: tenantApiUrl(outputs, settings.executeApiEndpoint),
          apiKeyId: outputs.ApiKeyId,
        },
      };
    },
    async remove(tenantId) {
      await deleteTenantStack(cfn, { tenantId });
    },
  };
}
