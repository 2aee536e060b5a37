import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { createDocumentClient } from '@tenantry/data';
import { buildAuthorizerCacheFlusher } from '@tenantry/identity';
import { buildPageTokens, buildSsmKeySource } from '@tenantry/tenant-data';
import { sharedObservability } from '@tenantry/tenant-middleware';
import { buildUserPools } from '@tenantry/users';
import { buildMemberStore } from './adapters/member-store.js';
import { buildTenantUserPools } from './adapters/tenant-pools.js';
import { type Config, loadConfig } from './config.js';
import type { UserDeps } from './domain/user.js';

/** Dependencies of the internal functions (provisioning): Cognito and the member records only. */
export function provisioningDeps(
  env: Record<string, string | undefined> = process.env,
): Pick<UserDeps, 'pools' | 'members'> {
  const userTableName = env.USER_TABLE_NAME;
  if (!userTableName) throw new Error('missing environment variables: USER_TABLE_NAME');
  return {
    pools: buildUserPools(new CognitoIdentityProviderClient({})),
    members: buildMemberStore(createDocumentClient(), userTableName),
  };
}

/** The user-management routes' dependencies, wired once per container. */
export function userDeps(config: Config = loadConfig()): UserDeps {
  const documents = createDocumentClient();
  const { logger } = sharedObservability();
  return {
    pools: buildUserPools(new CognitoIdentityProviderClient({})),
    members: buildMemberStore(documents, config.userTableName),
    operationsUserPoolId: config.operationsUserPoolId,
    tenantUserPool: buildTenantUserPools(documents, config.tenantTableName),
    pageTokens: buildPageTokens(buildSsmKeySource(config.pageTokenKeyParameter)),
    flushAuthorizers: buildAuthorizerCacheFlusher(
      new APIGatewayClient({}),
      config.authorizerStages,
      (error) => logger.warn('could not flush an authorizer cache', { errorName: (error as Error).name }),
    ),
  };
}
