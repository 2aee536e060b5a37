import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { createDocumentClient } from '@tenantry/data';
import { buildPageTokens, buildSsmKeySource } from '@tenantry/tenant-data';
import { buildUserPools } from '@tenantry/users';
import { buildMemberStore } from './adapters/member-store.js';
import { buildTenantUserPools } from './adapters/tenant-pools.js';
import { type Config, loadConfig } from './config.js';
import type { ListUsersDeps, ProvisioningDeps, UserDeps } from './domain/user.js';

// One builder per kind of function, so that each bundle carries only what its function calls (the
// page tokens' SSM reads for GET /users alone): cold start grows with the bundle.

/** Dependencies of the internal functions (provisioning): Cognito and the member records only. */
export function provisioningDeps(env: Record<string, string | undefined> = process.env): ProvisioningDeps {
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
  return {
    pools: buildUserPools(new CognitoIdentityProviderClient({})),
    members: buildMemberStore(documents, config.userTableName),
    operationsUserPoolId: config.operationsUserPoolId,
    tenantUserPool: buildTenantUserPools(documents, config.tenantTableName),
  };
}

/** `GET /users`: the routes' dependencies and page tokens sealed with the key in SSM. */
export function listUsersDeps(config: Config = loadConfig()): ListUsersDeps {
  return {
    ...userDeps(config),
    pageTokens: buildPageTokens(buildSsmKeySource(config.pageTokenKeyParameter)),
  };
}
