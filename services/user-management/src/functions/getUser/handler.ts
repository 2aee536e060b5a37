import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { httpHandler, json, pathParameter } from '@tenantry/tenant-middleware';
import { buildCognitoUserDirectory } from '../../adapters/cognito-user-directory.js';
import { loadConfig } from '../../config.js';
import { getUser, userIdField } from '../../domain/user.js';

const config = loadConfig();
const deps = {
  operationsUsers: buildCognitoUserDirectory(
    new CognitoIdentityProviderClient({}),
    config.operationsUserPoolId,
  ),
};

export const handler = httpHandler({ roles: ['SystemAdmin'] }).handler(async (event, context) =>
  json(200, await getUser(deps, context.tenant, pathParameter(event, 'userId', userIdField))),
);
