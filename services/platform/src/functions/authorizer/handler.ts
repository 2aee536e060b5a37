import {
  buildTenantDirectory,
  buildUserDirectory,
  createAuthorizer,
  toLambdaAuthorizer,
} from '@tenantry/identity';
import { COGNITO_IDENTITY_PROVIDER, createJsonClient, DYNAMODB } from '@tenantry/lambda-aws';
import { buildProtectedApis } from '../../adapters/verifiers.js';
import { loadAuthorizerConfig } from '../../config.js';

const config = loadAuthorizerConfig();

export const handler = toLambdaAuthorizer(
  createAuthorizer({
    apis: buildProtectedApis(config),
    operationsUserPoolId: config.operationsPool.userPoolId,
    tenants: buildTenantDirectory(createJsonClient(DYNAMODB), config.tenantTableName),
    users: buildUserDirectory(createJsonClient(COGNITO_IDENTITY_PROVIDER)),
  }),
);
