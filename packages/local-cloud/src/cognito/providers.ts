import type { ProviderMap, ResourceProvider } from '../types.js';
import { CognitoServiceError, UnsupportedFeatureError, UnsupportedPropertyError } from './errors.js';
import type { Invoke } from './http.js';
import { randomString } from './ids.js';
import { POOL_ECHO } from './pools.js';

const USER_POOL = 'AWS::Cognito::UserPool';
const USER_POOL_CLIENT = 'AWS::Cognito::UserPoolClient';
const USER_POOL_GROUP = 'AWS::Cognito::UserPoolGroup';

/** CloudFormation properties that map 1:1 onto CreateUserPool. */
const POOL_PROPERTIES = new Set([
  'Policies',
  'Schema',
  'UsernameAttributes',
  'AliasAttributes',
  'AutoVerifiedAttributes',
  'AdminCreateUserConfig',
  'UsernameConfiguration',
  'MfaConfiguration',
  'LambdaConfig',
  'DeletionProtection',
  'UserPoolTags',
  'DeviceConfiguration',
  ...POOL_ECHO,
]);
/** Accepted and ignored: they only matter with features the emulator refuses elsewhere (MFA, passkeys). */
const POOL_IGNORED = new Set([
  'EnabledMfas',
  'WebAuthnRelyingPartyID',
  'WebAuthnUserVerification',
  'EmailAuthenticationMessage',
  'EmailAuthenticationSubject',
]);

const CLIENT_PROPERTIES = new Set([
  'UserPoolId',
  'ClientName',
  'GenerateSecret',
  'ExplicitAuthFlows',
  'ReadAttributes',
  'WriteAttributes',
  'PreventUserExistenceErrors',
  'RefreshTokenValidity',
  'AccessTokenValidity',
  'IdTokenValidity',
  'TokenValidityUnits',
  'EnableTokenRevocation',
  'AuthSessionValidity',
  'AllowedOAuthFlows',
  'AllowedOAuthFlowsUserPoolClient',
  'AllowedOAuthScopes',
  'CallbackURLs',
  'LogoutURLs',
  'DefaultRedirectURI',
  'SupportedIdentityProviders',
  'AnalyticsConfiguration',
  'EnablePropagateAdditionalUserContextData',
  'RefreshTokenRotation',
]);

const GROUP_PROPERTIES = new Set(['GroupName', 'UserPoolId', 'Description', 'Precedence', 'RoleArn']);

function rejectUnknown(
  type: string,
  properties: Record<string, unknown>,
  known: Set<string>,
  extra: string[] = [],
): void {
  for (const name of Object.keys(properties)) {
    if (!known.has(name) && !extra.includes(name))
      throw new UnsupportedPropertyError(type, name, 'unknown property');
  }
}

/** Re-throws an API error as a CloudFormation-style resource failure, keeping the cause. */
async function asResource<T>(type: string, logicalId: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof UnsupportedFeatureError) {
      throw new UnsupportedPropertyError(type, error.feature, `${logicalId}: ${error.message}`);
    }
    if (error instanceof Error) throw new Error(`${type} ${logicalId}: ${error.message}`, { cause: error });
    throw error;
  }
}

const str = (value: unknown, what: string): string => {
  if (typeof value !== 'string' || value === '') throw new Error(`${what} is required`);
  return value;
};

async function ignoreMissing(run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (error instanceof CognitoServiceError && error.type === 'ResourceNotFoundException') return;
    throw error;
  }
}

/** CloudFormation providers for user pools, app clients and groups, on top of the API operations. */
export function createCognitoProviders(invoke: Invoke, region: string): ProviderMap {
  const userPool: ResourceProvider = {
    async create(_ctx, logicalId, properties) {
      return asResource(USER_POOL, logicalId, async () => {
        rejectUnknown(USER_POOL, properties, POOL_PROPERTIES, ['UserPoolName', ...POOL_IGNORED]);
        const body: Record<string, unknown> = {
          PoolName:
            typeof properties.UserPoolName === 'string'
              ? properties.UserPoolName
              : `${logicalId}-${randomString('abcdefghijklmnopqrstuvwxyz0123456789', 12)}`,
        };
        for (const [name, value] of Object.entries(properties))
          if (POOL_PROPERTIES.has(name)) body[name] = value;
        const result = await invoke('CreateUserPool', body);
        const pool = result.UserPool as { Id: string; Arn: string };
        const providerName = `cognito-idp.${region}.amazonaws.com/${pool.Id}`;
        return {
          physicalId: pool.Id,
          attributes: {
            Arn: pool.Arn,
            ProviderName: providerName,
            ProviderURL: `https://${providerName}`,
            UserPoolId: pool.Id,
          },
        };
      });
    },
    async delete(_ctx, physicalId) {
      await ignoreMissing(() => invoke('DeleteUserPool', { UserPoolId: physicalId }));
    },
  };

  const userPoolClient: ResourceProvider = {
    async create(_ctx, logicalId, properties) {
      return asResource(USER_POOL_CLIENT, logicalId, async () => {
        rejectUnknown(USER_POOL_CLIENT, properties, CLIENT_PROPERTIES);
        const body: Record<string, unknown> = {
          ...properties,
          ClientName: properties.ClientName ?? logicalId,
        };
        str(body.UserPoolId, 'UserPoolId');
        const result = await invoke('CreateUserPoolClient', body);
        const client = result.UserPoolClient as {
          ClientId: string;
          ClientSecret?: string;
          ClientName: string;
        };
        return {
          physicalId: client.ClientId,
          attributes: {
            ClientId: client.ClientId,
            Name: client.ClientName,
            ...(client.ClientSecret ? { ClientSecret: client.ClientSecret } : {}),
          },
        };
      });
    },
    async delete(_ctx, physicalId, properties) {
      await ignoreMissing(() =>
        invoke('DeleteUserPoolClient', { UserPoolId: properties.UserPoolId, ClientId: physicalId }),
      );
    },
  };

  const userPoolGroup: ResourceProvider = {
    async create(ctx, logicalId, properties) {
      return asResource(USER_POOL_GROUP, logicalId, async () => {
        rejectUnknown(USER_POOL_GROUP, properties, GROUP_PROPERTIES);
        const groupName =
          typeof properties.GroupName === 'string'
            ? properties.GroupName
            : `${ctx.stackName}-${logicalId}-${randomString('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 12)}`;
        await invoke('CreateGroup', {
          ...properties,
          GroupName: groupName,
          UserPoolId: str(properties.UserPoolId, 'UserPoolId'),
        });
        return { physicalId: groupName };
      });
    },
    async delete(_ctx, physicalId, properties) {
      await ignoreMissing(() =>
        invoke('DeleteGroup', { UserPoolId: properties.UserPoolId, GroupName: physicalId }),
      );
    },
  };

  return { [USER_POOL]: userPool, [USER_POOL_CLIENT]: userPoolClient, [USER_POOL_GROUP]: userPoolGroup };
}
