/** AWS::SSM::Parameter: `Ref` gives the name, `Fn::GetAtt` Type and Value. */
import { randomBytes } from 'node:crypto';
import type { ProviderMap } from '../types.js';
import { operations, type SsmDeps } from './operations.js';

export function ssmProviders(deps: SsmDeps): ProviderMap {
  return {
    'AWS::SSM::Parameter': {
      async create(_ctx, logicalId, properties) {
        const type = properties.Type;
        if (type !== 'String' && type !== 'StringList')
          throw new Error(
            `AWS::SSM::Parameter ${logicalId}: Type must be String or StringList (CloudFormation cannot create SecureString parameters), not ${String(type)}`,
          );
        if (typeof properties.Value !== 'string' || properties.Value === '')
          throw new Error(`AWS::SSM::Parameter ${logicalId}: Value is required`);
        const name =
          (properties.Name as string | undefined) ??
          `CFN-${logicalId}-${randomBytes(9).toString('base64url').replace(/[-_]/g, 'x')}`;
        const tags = properties.Tags as Record<string, string> | undefined;
        operations.PutParameter?.(deps, {
          Name: name,
          Type: type,
          Value: properties.Value,
          Description: properties.Description,
          Tier: properties.Tier,
          AllowedPattern: properties.AllowedPattern,
          DataType: properties.DataType,
          Tags: tags ? Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) : undefined,
        });
        return { physicalId: name, attributes: { Type: type, Value: properties.Value } };
      },
      async delete(_ctx, physicalId) {
        if (deps.store.parameters.delete(physicalId)) deps.store.changed();
      },
    },
  };
}
