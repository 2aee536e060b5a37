import { tenantLeadingKeyPatterns } from '@tenantry/data';

/**
 * The DynamoDB item actions a tenant's session may use. No `Scan` and no PartiQL: with
 * `ForAllValues` a call without leading keys (a Scan) would match the condition vacuously.
 */
export const TENANT_DATA_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:Query',
  'dynamodb:BatchGetItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
] as const;

/** An IAM policy document as STS takes it (as an object; serialised once, by JSON.stringify). */
export interface SessionPolicy {
  Version: '2012-10-17';
  Statement: {
    Sid: string;
    Effect: 'Allow';
    Action: string[];
    Resource: string[];
    Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': string[] } };
  }[];
}

const TABLE_ARN = /^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table\/[A-Za-z0-9_.-]{3,255}$/;
const INDEX_ARN =
  /^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table\/[A-Za-z0-9_.-]{3,255}\/index\/[A-Za-z0-9_.-]{3,255}$/;

/**
 * The session policy that narrows the tenant-data role to one tenant: the item actions on the
 * given tables (and indexes), only for partition keys `TENANT#<tenantId>` and
 * `TENANT#<tenantId>#*`. Built as an object from a validated, server-generated tenant id: an
 * invalid id (or an ARN with wildcards) throws before anything reaches a policy.
 *
 * @example
 * ```ts
 * const policy = buildTenantSessionPolicy({ tenantId: 't-123', tableArns: [config.productTableArn] });
 * await sts.send(new AssumeRoleCommand({ RoleArn, RoleSessionName, Policy: JSON.stringify(policy) }));
 * ```
 */
export function buildTenantSessionPolicy(input: {
  tenantId: string;
  tableArns: readonly string[];
  indexArns?: readonly string[];
}): SessionPolicy {
  const leadingKeys = tenantLeadingKeyPatterns(input.tenantId);
  if (input.tableArns.length === 0) throw new TypeError('tableArns must not be empty');
  for (const arn of input.tableArns)
    if (!TABLE_ARN.test(arn)) throw new TypeError('tableArns must be DynamoDB table ARNs without wildcards');
  for (const arn of input.indexArns ?? [])
    if (!INDEX_ARN.test(arn)) throw new TypeError('indexArns must be DynamoDB index ARNs without wildcards');
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'TenantItems',
        Effect: 'Allow',
        Action: [...TENANT_DATA_ACTIONS],
        Resource: [...input.tableArns, ...(input.indexArns ?? [])],
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...leadingKeys] } },
      },
    ],
  };
}
