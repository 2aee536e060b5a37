import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import type { AuthorizerRequest } from './authorizer.js';
import { UnauthorizedError } from './errors.js';

/**
 * Wraps an authorizer as a Lambda REQUEST authorizer handler: {@link UnauthorizedError} becomes the
 * `Unauthorized` error API Gateway answers with 401; anything else (keys, registry or user pool
 * unreachable) is our fault and becomes a 500, never a 401 that would make clients drop a valid
 * token.
 *
 * @example
 * ```ts
 * export const handler = toLambdaAuthorizer(createAuthorizer(deps));
 * ```
 */
export function toLambdaAuthorizer(
  authorize: (request: AuthorizerRequest) => Promise<APIGatewayAuthorizerResult>,
): (event: APIGatewayRequestAuthorizerEvent) => Promise<APIGatewayAuthorizerResult> {
  return async (event) => {
    try {
      return await authorize({ methodArn: event.methodArn, headers: event.headers });
    } catch (error) {
      if (error instanceof UnauthorizedError) throw new Error('Unauthorized');
      console.error(
        JSON.stringify({
          level: 'error',
          message: 'authorizer failed',
          error: error instanceof Error ? error.name : 'unknown',
          cause: error instanceof Error && error.cause instanceof Error ? error.cause.name : undefined,
        }),
      );
      throw new Error('Authorizer unavailable');
    }
  };
}
