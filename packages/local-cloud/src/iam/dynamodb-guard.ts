/**
 * IAM for the local DynamoDB endpoint: every call is authenticated by its SigV4 access key (whose
 * signature the proxy has verified first, see request-auth.ts) and authorised, unit by unit (items
 * of batches and transactions separately), against the caller's role policies and session policy,
 * before it reaches DynamoDB Local.
 */
import type { DynamoDbGuard } from '../dynamodb/server.js';
import {
  accessKeyIdOf,
  type CredentialsRegistry,
  type Principal,
  type RoleSessionPrincipal,
} from './credentials.js';
import { dynamoDbRequestContexts, keyedTables } from './dynamodb-context.js';
import { CredentialsError, RequestContextError } from './errors.js';
import { accessDeniedMessage, authorize, type PrincipalPolicies } from './evaluate.js';
import type { IamStore } from './providers.js';
import { createRolePolicies } from './role-policies.js';

/** The partition key attribute of a table (or of its index); the guard caches the answers. */
export type KeySchemaSource = (tableName: string, indexName?: string) => Promise<string | undefined>;

export interface DynamoDbGuardOptions {
  credentials: CredentialsRegistry;
  roles: IamStore;
  region: string;
  accountId: string;
  /** Back it with DescribeTable (see {@link partitionKeyFromDescribeTable}). */
  keySchema: KeySchemaSource;
}

type Refusal = { statusCode: number; error: { __type: string; message: string } };

const refuse = (type: string, message: string): Refusal => ({
  statusCode: 400,
  error: { __type: type, message },
});

/** Operations after which a table's key schema may have changed. */
const SCHEMA_CHANGES = new Set(['CreateTable', 'DeleteTable', 'UpdateTable']);

export function createDynamoDbGuard(options: DynamoDbGuardOptions): DynamoDbGuard {
  const { credentials, roles, region, accountId } = options;
  const arnPrefix = `arn:aws:dynamodb:${region}:${accountId}`;
  const rolePolicies = createRolePolicies(roles);
  const partitionKeys = new Map<string, string>();
  const globalKeysBySession = new WeakMap<RoleSessionPrincipal, Record<string, readonly string[]>>();
  const cacheKey = (table: string, index?: string) => (index ? `${table}\u0000${index}` : table);

  const globalKeys = (principal: RoleSessionPrincipal) => {
    let keys = globalKeysBySession.get(principal);
    if (!keys) {
      keys = {
        'aws:principalarn': [principal.roleArn],
        'aws:principalaccount': [accountId],
        'aws:principaltype': ['AssumedRole'],
        'aws:userid': [principal.userId],
        'aws:requestedregion': [region],
      };
      globalKeysBySession.set(principal, keys);
    }
    return keys;
  };

  const authorizeCall = (
    principal: RoleSessionPrincipal,
    operation: string,
    body: Record<string, unknown>,
  ): Refusal | undefined => {
    const role = roles.roleByArn(principal.roleArn);
    const policies: PrincipalPolicies = {
      identity: role && role.arn === principal.roleArn ? rolePolicies(role) : [],
    };
    if (principal.compiledSessionPolicy) policies.session = [principal.compiledSessionPolicy];
    let contexts: ReturnType<typeof dynamoDbRequestContexts>;
    try {
      contexts = dynamoDbRequestContexts(operation, body, {
        arnPrefix,
        partitionKeyOf: (table, index) => partitionKeys.get(cacheKey(table, index)),
        globalKeys: globalKeys(principal),
      });
    } catch (error) {
      if (error instanceof RequestContextError) return refuse('ValidationException', error.message);
      throw error;
    }
    for (const ctx of contexts) {
      const result = authorize(policies, ctx);
      if (!result.allowed)
        return refuse('AccessDeniedException', accessDeniedMessage(principal.arn, ctx, result.reason));
    }
    return undefined;
  };

  return (call) => {
    let principal: Principal;
    try {
      const token = call.headers['x-amz-security-token'];
      principal = credentials.authenticate(
        accessKeyIdOf(call.headers),
        typeof token === 'string' ? token : undefined,
      );
    } catch (error) {
      if (error instanceof CredentialsError) return refuse(error.code, error.message);
      throw error;
    }
    if (SCHEMA_CHANGES.has(call.operation) && typeof call.body.TableName === 'string') {
      const table = call.body.TableName;
      for (const key of partitionKeys.keys())
        if (key === table || key.startsWith(`${table}\u0000`)) partitionKeys.delete(key);
    }
    if (principal.kind === 'root') return undefined;
    const session = principal;
    const missing = keyedTables(call.operation, call.body).filter(
      ([table, index]) => !partitionKeys.has(cacheKey(table, index)),
    );
    if (missing.length === 0) return authorizeCall(session, call.operation, call.body);
    return Promise.all(
      missing.map(async ([table, index]) => {
        const pk = await options.keySchema(table, index);
        if (pk) partitionKeys.set(cacheKey(table, index), pk);
      }),
    ).then(() => authorizeCall(session, call.operation, call.body));
  };
}
