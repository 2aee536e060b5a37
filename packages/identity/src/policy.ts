import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import { UnauthorizedError } from './errors.js';

/** The parts of an API Gateway `methodArn`. */
export interface MethodArn {
  partition: string;
  region: string;
  accountId: string;
  apiId: string;
  stage: string;
  method: string;
  resourcePath: string;
}

/** What the authorizer tells every route about the caller (read by `@tenantry/tenant-middleware`). */
export interface AuthorizerContext {
  tenantId: string;
  userId: string;
  role: string;
  tier?: string;
}

/**
 * Splits `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{method}/{path}`.
 * Throws {@link UnauthorizedError} for anything else.
 */
export function parseMethodArn(methodArn: string): MethodArn {
  const match = /^arn:([\w-]+):execute-api:([\w-]+):(\d{12}|[\w-]+):([^/:]+)\/([^/]+)\/([^/]+)\/?(.*)$/.exec(
    methodArn,
  );
  if (!match) throw new UnauthorizedError();
  const [, partition, region, accountId, apiId, stage, method, resourcePath] = match as unknown as string[];
  return {
    partition: partition as string,
    region: region as string,
    accountId: accountId as string,
    apiId: apiId as string,
    stage: stage as string,
    method: method as string,
    resourcePath: `/${resourcePath ?? ''}`,
  };
}

/**
 * Builds the authorizer answer: Allow `execute-api:Invoke` on every method of the stage the request
 * came through (so a cached policy covers the caller's other routes), with the caller's identity as
 * context.
 *
 * @example
 * ```ts
 * return buildAllowPolicy({
 *   principalId: token.sub,
 *   methodArn: event.methodArn,
 *   context: { tenantId: 't1', userId: token.sub, role: 'TenantUser' },
 * });
 * ```
 */
export function buildAllowPolicy(input: {
  principalId: string;
  methodArn: string;
  context: AuthorizerContext;
  usageIdentifierKey?: string;
}): APIGatewayAuthorizerResult {
  const arn = parseMethodArn(input.methodArn);
  const { tenantId, userId, role, tier } = input.context;
  const context: Record<string, string> = { tenantId, userId, role };
  if (tier !== undefined) context.tier = tier;
  return {
    principalId: input.principalId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [
        {
          Action: 'execute-api:Invoke',
          Effect: 'Allow',
          Resource: `arn:${arn.partition}:execute-api:${arn.region}:${arn.accountId}:${arn.apiId}/${arn.stage}/*/*`,
        },
      ],
    },
    context,
    ...(input.usageIdentifierKey === undefined ? {} : { usageIdentifierKey: input.usageIdentifierKey }),
  };
}

/**
 * Extracts the token of an `Authorization: Bearer <token>` header (header name in any case).
 * Throws {@link UnauthorizedError} when there is none.
 */
export function bearerToken(headers: Record<string, string | undefined> | null | undefined): string {
  const entry = Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === 'authorization');
  const match = /^Bearer\s+([\w-]+\.[\w-]*\.[\w-]*)\s*$/i.exec(entry?.[1] ?? '');
  if (!match?.[1]) throw new UnauthorizedError();
  return match[1];
}
