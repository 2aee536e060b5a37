import type { JsonClient } from '@tenantry/lambda-aws';
import { releaseParameters } from '@tenantry/tenant-stack/names';
import type { TenantStackReleases } from '../domain/tenant-stacks.js';

interface GetParametersOutput {
  Parameters?: { Name?: string; Value?: string }[];
  InvalidParameters?: string[];
}

/**
 * The tenant stack's current release, as the release step records it in the SSM parameters
 * `/tenantry/<stage>/tenant-stack/{template-url,artifact-prefix,artifact-bucket}`: read at each
 * call, so that a new release applies to the next stack. One `GetParameters` through the small
 * signed JSON client of `@tenantry/lambda-aws`: the SDK's SSM client would add ~90 KB to
 * createTenantStack's bundle for this one call. Needs `ssm:GetParameters` on them.
 *
 * @example
 * ```ts
 * const releases = buildTenantStackReleases(createJsonClient(SSM), 'dev');
 * ```
 */
export function buildTenantStackReleases(ssm: JsonClient, stage: string): TenantStackReleases {
  const names = releaseParameters(stage);
  return {
    async current() {
      const { Parameters = [], InvalidParameters = [] } = await ssm.call<GetParametersOutput>(
        'GetParameters',
        {
          Names: [names.templateUrl, names.artifactPrefix, names.artifactBucket],
        },
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
    },
  };
}
