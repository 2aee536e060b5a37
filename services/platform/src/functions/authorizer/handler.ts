import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { createDocumentClient } from '@tenantry/data';
import {
  buildTenantDirectory,
  buildUserDirectory,
  createAuthorizer,
  toLambdaAuthorizer,
} from '@tenantry/identity';
import { buildProtectedApis } from '../../adapters/verifiers.js';
import { loadAuthorizerConfig } from '../../config.js';

const config = loadAuthorizerConfig();

export const handler = toLambdaAuthorizer(
  createAuthorizer({
    apis: buildProtectedApis(config),
    operationsUserPoolId: config.operationsPool.userPoolId,
    tenants: buildTenantDirectory(createDocumentClient(), config.tenantTableName),
    users: buildUserDirectory(new CognitoIdentityProviderClient({})),
  }),
);
