import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import { UnauthorizedError } from './errors.js';
import { type ApiKind, routeResource, routesFor } from './routes.js';

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

/** The ARN prefix `arn:{partition}:execute-api:{region}:{account}:{apiId}/{stage}/` of a method ARN. */
function stagePrefix(arn: MethodArn): string {
  return `arn:${arn.partition}:execute-api:${arn.region}:${arn.accountId}:${arn.apiId}/${arn.stage}/`;
}

function contextOf(input: AuthorizerContext): Record<string, string> {
  const { tenantId, userId, role, tier } = input;
  const context: Record<string, string> = { tenantId, userId, role };
  if (tier !== undefined) context.tier = tier;
  return context;
}

/**
 * Builds the authorizer's Allow answer for a role: one explicit Allow of `execute-api:Invoke` on
 * every route of {@link ROUTE_PERMISSIONS} the role may call on this API, and nothing else (API
 * Gateway answers 403 for any other method). The policy does not depend on the method called, so
 * API Gateway may cache it for the caller's other requests. A role with no route gets
 * {@link buildDenyPolicy}.
 *
 * @example
 * ```ts
 * return buildRolePolicy({
 *   api: 'app',
 *   principalId: user.sub,
 *   methodArn: event.methodArn,
 *   context: { tenantId: 't1', userId: user.sub, role: 'TenantUser', tier: 'basic' },
 *   usageIdentifierKey: tenant.apiKey,
 * });
 * ```
 */
export function buildRolePolicy(input: {
  api: ApiKind;
  principalId: string;
  methodArn: string;
  context: AuthorizerContext;
  usageIdentifierKey?: string;
}): APIGatewayAuthorizerResult {
  const arn = parseMethodArn(input.methodArn);
  const resources = routesFor(input.api, input.context.role).map(
    (route) => `${stagePrefix(arn)}${routeResource(route)}`,
  );
  if (resources.length === 0) return buildDenyPolicy(input);
  return {
    principalId: input.principalId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: resources }],
    },
    context: contextOf(input.context),
    ...(input.usageIdentifierKey === undefined ? {} : { usageIdentifierKey: input.usageIdentifierKey }),
  };
}

/**
 * Builds an explicit Deny of every method of the API stage (API Gateway answers 403): for a
 * verified caller who may not use the API now (disabled user, inactive tenant).
 */
export function buildDenyPolicy(input: {
  principalId: string;
  methodArn: string;
  context?: AuthorizerContext;
}): APIGatewayAuthorizerResult {
  const arn = parseMethodArn(input.methodArn);
  return {
    principalId: input.principalId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: `${stagePrefix(arn)}*/*` }],
    },
    ...(input.context ? { context: contextOf(input.context) } : {}),
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
