import { JwksUnavailableError } from '@tenantry/identity';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { buildVerifierLookup } from '../../adapters/verifiers.js';
import { loadAuthorizerConfig } from '../../config.js';
import { authorize } from '../../domain/authorize.js';

const config = loadAuthorizerConfig();
const deps = {
  verifierFor: buildVerifierLookup(config),
  operationsUserPoolId: config.operationsPool.userPoolId,
};

export const handler = async (
  event: APIGatewayRequestAuthorizerEvent,
): Promise<APIGatewayAuthorizerResult> => {
  try {
    return await authorize(deps, { methodArn: event.methodArn, headers: event.headers });
  } catch (error) {
    if (error instanceof JwksUnavailableError) {
      // Our fault, not the caller's: surface as a 500 rather than make clients drop valid tokens.
      console.error(
        JSON.stringify({ level: 'error', message: 'JWKS unavailable', cause: String(error.cause) }),
      );
      throw new Error('Authorizer unavailable');
    }
    // API Gateway answers 401 exactly when the authorizer fails with this message.
    throw new Error('Unauthorized');
  }
};
