import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { GetParametersCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { releaseParameters } from '@tenantry/tenant-stack/names';
import {
  createTenantStack,
  deleteTenantStack,
  describeTenantStack,
  tenantApiUrl,
} from '@tenantry/tenant-stack/stacks';
import type { TenantStacks } from '../domain/tenant-stacks.js';

export interface TenantStackSettings {
  stage: string;
  /** The CloudFormation service role stacks are created with (AWS); none locally. */
  roleArn?: string;
  /** Where API Gateway serves deployed APIs when it is not AWS (the local gateway). */
  executeApiEndpoint?: string;
}

/**
 * Tenant stacks through CloudFormation, created from the release the SSM parameters
 * `/tenantry/<stage>/tenant-stack/{template-url,artifact-prefix,artifact-bucket}` name. Needs
 * `ssm:GetParameters` on them, `cloudformation:CreateStack|DescribeStacks|DeleteStack` on
 * `stack/tenantry-silo-*` and `iam:PassRole` on the service role.
 */
export function buildTenantStacks(
  clients: { cloudformation: CloudFormationClient; ssm: Pick<SSMClient, 'send'> },
  settings: TenantStackSettings,
): TenantStacks {
  const names = releaseParameters(settings.stage);
  const release = async () => {
    const { Parameters = [], InvalidParameters = [] } = await clients.ssm.send(
      new GetParametersCommand({ Names: [names.templateUrl, names.artifactPrefix, names.artifactBucket] }),
    );
    const value = (name: string) => Parameters.find((p) => p.Name === name)?.Value;
    const templateUrl = value(names.templateUrl);
    const artifactPrefix = value(names.artifactPrefix);
    const artifactBucket = value(names.artifactBucket);
    if (!templateUrl || !artifactPrefix || !artifactBucket)
      throw new Error(
        `the tenant stack has not been released (missing ${InvalidParameters.join(', ') || 'SSM values'})`,
      );
    return { templateUrl, artifactPrefix, artifactBucket };
  };
  const cfn = { cloudformation: clients.cloudformation };
  return {
    async create(tenantId) {
      const { stackName } = await createTenantStack(cfn, {
        tenantId,
        ...(await release()),
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
