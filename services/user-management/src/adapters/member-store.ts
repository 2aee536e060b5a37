import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import {
  type DynamoDBDocumentClient,
  tenantAdminsKey,
  tenantPk,
  USER_SK_PREFIX,
  userKey,
} from '@tenantry/data';
import { LastTenantAdminError, type Member, type MemberStore, StaleMemberError } from '../domain/user.js';

type TransactItem = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>[number];

/** Whether a member counts towards the tenant's enabled TenantAdmins. */
const counts = (member: Pick<Member, 'role' | 'enabled'>): boolean =>
  member.role === 'TenantAdmin' && member.enabled;

const toMember = (item: Record<string, unknown>): Member => ({
  userId: item.userId as string,
  email: item.email as string,
  role: item.role as string,
  enabled: item.enabled as boolean,
  createdAt: item.createdAt as string,
});

/** `cancelled[i]` is true when transaction item `i` failed its condition. */
function cancelledItems(error: unknown): boolean[] | undefined {
  if (
    !(error instanceof TransactionCanceledException) &&
    (error as Error)?.name !== 'TransactionCanceledException'
  )
    return undefined;
  const reasons = (error as TransactionCanceledException).CancellationReasons ?? [];
  return reasons.map((reason) => reason.Code === 'ConditionalCheckFailed');
}

/**
 * Tenant members in the user table (`userKey`) and each tenant's count of enabled TenantAdmins
 * (`tenantAdminsKey`, attribute `admins`). Every write that changes the count is one transaction
 * with a condition on the count, so concurrent demotions can never leave a tenant without one.
 */
export function buildMemberStore(
  client: Pick<DynamoDBDocumentClient, 'send'>,
  tableName: string,
): MemberStore {
  const counter = (tenantId: string, delta: number, enforce: boolean): TransactItem => ({
    Update: {
      TableName: tableName,
      Key: tenantAdminsKey(tenantId),
      UpdateExpression: 'ADD admins :delta',
      ...(delta < 0 && enforce
        ? {
            ConditionExpression: 'admins > :one',
            ExpressionAttributeValues: { ':delta': delta, ':one': 1 },
          }
        : { ExpressionAttributeValues: { ':delta': delta } }),
    },
  });
  const sameAs = (member: Member) => ({
    ConditionExpression: '#role = :fromRole AND enabled = :fromEnabled',
    names: { '#role': 'role' },
    values: { ':fromRole': member.role, ':fromEnabled': member.enabled },
  });

  async function transact(items: TransactItem[], onCancelled: (cancelled: boolean[]) => Error | undefined) {
    try {
      await client.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      const cancelled = cancelledItems(error);
      const mapped = cancelled && onCancelled(cancelled);
      if (mapped) throw mapped;
      throw error;
    }
  }

  return {
    async get(tenantId, userId) {
      const { Item } = await client.send(
        new GetCommand({ TableName: tableName, Key: userKey(tenantId, userId), ConsistentRead: true }),
      );
      return Item ? toMember(Item) : undefined;
    },
    async add(tenantId, member) {
      const items: TransactItem[] = [
        {
          Put: {
            TableName: tableName,
            Item: { ...userKey(tenantId, member.userId), ...member },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ];
      if (counts(member)) items.push(counter(tenantId, 1, false));
      try {
        await client.send(new TransactWriteCommand({ TransactItems: items }));
        return true;
      } catch (error) {
        if (cancelledItems(error)?.[0]) return false;
        throw error;
      }
    },
    async change(tenantId, from, to) {
      const condition = sameAs(from);
      const items: TransactItem[] = [
        {
          Update: {
            TableName: tableName,
            Key: userKey(tenantId, from.userId),
            UpdateExpression: 'SET #role = :role, enabled = :enabled',
            ConditionExpression: `attribute_exists(pk) AND ${condition.ConditionExpression}`,
            ExpressionAttributeNames: condition.names,
            ExpressionAttributeValues: { ...condition.values, ':role': to.role, ':enabled': to.enabled },
          },
        },
      ];
      const delta = Number(counts(to)) - Number(counts(from));
      if (delta !== 0) items.push(counter(tenantId, delta, true));
      await transact(items, (cancelled) =>
        cancelled[0] ? new StaleMemberError() : cancelled[1] ? new LastTenantAdminError() : undefined,
      );
    },
    async remove(tenantId, member, options = {}) {
      const condition = sameAs(member);
      const items: TransactItem[] = [
        {
          Delete: {
            TableName: tableName,
            Key: userKey(tenantId, member.userId),
            ConditionExpression: `attribute_exists(pk) AND ${condition.ConditionExpression}`,
            ExpressionAttributeNames: condition.names,
            ExpressionAttributeValues: condition.values,
          },
        },
      ];
      if (counts(member)) items.push(counter(tenantId, -1, options.enforceLastAdmin ?? true));
      await transact(items, (cancelled) =>
        cancelled[0] ? new StaleMemberError() : cancelled[1] ? new LastTenantAdminError() : undefined,
      );
    },
    async list(tenantId, { limit, after }) {
      const { Items = [] } = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': tenantPk(tenantId), ':prefix': USER_SK_PREFIX },
          // One more than asked: whether there is a next page, without an empty last page.
          Limit: limit + 1,
          ConsistentRead: true,
          ...(after ? { ExclusiveStartKey: userKey(tenantId, after) } : {}),
        }),
      );
      const members = Items.slice(0, limit).map(toMember);
      const last = members.at(-1);
      return Items.length > limit && last ? { members, after: last.userId } : { members };
    },
  };
}
