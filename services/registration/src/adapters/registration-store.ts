import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  type DynamoDBDocumentClient,
  idempotencyKey,
  registrationKey,
  type TenantNameRecord,
  tenantNameKey,
} from '@tenantry/data';
import { ConflictError, NotFoundError } from '@tenantry/tenant-middleware';
import type { IdempotencyRecord, Registration, RegistrationStore } from '../domain/registration.js';

export interface RegistrationStoreOptions {
  /** The registration service's own table (registrations and idempotency records). */
  registrationTable: string;
  /** The platform's tenant registry, where tenant names are reserved; not needed to read. */
  tenantTable?: string;
  /** Attempts of the sign-up transaction when concurrent transactions conflict (default 6). */
  maxAttempts?: number;
  /** Idempotency records are kept this long (DynamoDB TTL on `expiresAt`; default a day). */
  idempotencyTtlSeconds?: number;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
}

type Client = Pick<DynamoDBDocumentClient, 'send'>;

const CONDITION_FAILED = 'ConditionalCheckFailed';
const RETRYABLE_REASONS = new Set([
  'TransactionConflict',
  'ThrottlingError',
  'ProvisionedThroughputExceeded',
]);

/** Registrations in the service's own table; tenant name reservations in the tenant registry. */
export function buildRegistrationStore(
  client: Client,
  options: RegistrationStoreOptions | string,
): RegistrationStore {
  const opts: RegistrationStoreOptions =
    typeof options === 'string' ? { registrationTable: options } : options;
  const table = opts.registrationTable;
  const now = opts.now ?? (() => new Date());
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const maxAttempts = opts.maxAttempts ?? 6;
  const ttlSeconds = opts.idempotencyTtlSeconds ?? 24 * 3600;
  const tenantTable = () => {
    if (!opts.tenantTable) throw new TypeError('buildRegistrationStore: tenantTable is required to write');
    return opts.tenantTable;
  };

  const read = async (registrationId: string) =>
    (
      await client.send(
        new GetCommand({ TableName: table, Key: registrationKey(registrationId), ConsistentRead: true }),
      )
    ).Item;

  /** Deletes the name reservation if it is still this tenant's (a later tenant may own the name). */
  const releaseName = async (tenantName: string, tenantId: string) => {
    try {
      await client.send(
        new DeleteCommand({
          TableName: tenantTable(),
          Key: tenantNameKey(tenantName),
          ConditionExpression: 'attribute_not_exists(pk) OR tenantId = :tenantId',
          ExpressionAttributeValues: { ':tenantId': tenantId },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  };

  return {
    async get(registrationId) {
      const item = await read(registrationId);
      if (!item) return undefined;
      // Pick the public fields: the stored item also carries keys and workflow bookkeeping.
      const registration: Registration = {
        registrationId: item.registrationId,
        tenantId: item.tenantId,
        tenantName: item.tenantName,
        tier: item.tier,
        status: item.status,
        step: item.step ?? 'received',
      };
      if (typeof item.error === 'string') registration.error = item.error;
      return registration;
    },

    async executionInputOf(registrationId) {
      const item = await read(registrationId);
      return typeof item?.executionInput === 'string' ? item.executionInput : undefined;
    },

    async create({ registration, idempotency }) {
      const nameRecord: TenantNameRecord & { registrationId: string; createdAt: string } = {
        tenantName: registration.tenantName,
        tenantId: registration.tenantId,
        registrationId: registration.registrationId,
        createdAt: registration.createdAt,
      };
      const items = [
        {
          Put: {
            TableName: table,
            Item: { ...registrationKey(registration.registrationId), ...registration },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Put: {
            TableName: tenantTable(),
            Item: { ...tenantNameKey(registration.tenantName), ...nameRecord },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        ...(idempotency
          ? [
              {
                Put: {
                  TableName: table,
                  Item: {
                    ...idempotencyKey(idempotency.key),
                    ...idempotency.record,
                    createdAt: registration.createdAt,
                    expiresAt: Math.floor(now().getTime() / 1000) + ttlSeconds,
                  },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
            ]
          : []),
      ];
      for (let attempt = 1; ; attempt += 1) {
        try {
          await client.send(new TransactWriteCommand({ TransactItems: items }));
          return { kind: 'created' };
        } catch (error) {
          if (!(error instanceof TransactionCanceledException)) throw error;
          const codes = (error.CancellationReasons ?? []).map((reason) => reason.Code);
          if (idempotency && codes[2] === CONDITION_FAILED) {
            const { Item } = await client.send(
              new GetCommand({
                TableName: table,
                Key: idempotencyKey(idempotency.key),
                ConsistentRead: true,
              }),
            );
            if (Item) {
              const record: IdempotencyRecord = { bodyHash: Item.bodyHash, answer: Item.answer };
              return { kind: 'keyUsed', record };
            }
          } else if (codes[1] === CONDITION_FAILED) {
            return { kind: 'nameTaken' };
          } else if (!codes.some((code) => code !== undefined && RETRYABLE_REASONS.has(code))) {
            throw error;
          }
          // Another transaction on the same name or key was in flight: try again shortly.
          if (attempt >= maxAttempts) throw error;
          await sleep(20 * attempt + Math.random() * 40 * attempt);
        }
      }
    },

    async abandon(registration, key, error) {
      await releaseName(registration.tenantName, registration.tenantId);
      if (key !== undefined)
        await client.send(new DeleteCommand({ TableName: table, Key: idempotencyKey(key) }));
      await client.send(
        new UpdateCommand({
          TableName: table,
          Key: registrationKey(registration.registrationId),
          UpdateExpression: 'SET #status = :failed, #error = :error, updatedAt = :now',
          ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
          ExpressionAttributeValues: { ':failed': 'FAILED', ':error': error, ':now': now().toISOString() },
        }),
      );
    },

    async recordStep(registrationId, step) {
      try {
        await client.send(
          new UpdateCommand({
            TableName: table,
            Key: registrationKey(registrationId),
            UpdateExpression: 'SET step = :step, updatedAt = :now',
            ConditionExpression: 'attribute_exists(pk) AND #status = :provisioning',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':step': step,
              ':provisioning': 'PROVISIONING',
              ':now': now().toISOString(),
            },
          }),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        // A finished registration keeps the step it ended at; an unknown one is an error.
        if (!(await read(registrationId))) throw new NotFoundError('registration not found');
      }
    },

    async markActive(registrationId) {
      try {
        await client.send(
          new UpdateCommand({
            TableName: table,
            Key: registrationKey(registrationId),
            UpdateExpression: 'SET #status = :active, updatedAt = :now',
            ConditionExpression: 'attribute_exists(pk) AND #status IN (:provisioning, :active)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':active': 'ACTIVE',
              ':provisioning': 'PROVISIONING',
              ':now': now().toISOString(),
            },
          }),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        if (!(await read(registrationId))) throw new NotFoundError('registration not found');
        throw new ConflictError('the registration has already failed');
      }
    },

    async markFailed(registrationId, error) {
      const item = await read(registrationId);
      if (!item) throw new NotFoundError('registration not found');
      // Name first: once a client sees FAILED, the name can be registered again.
      await releaseName(item.tenantName, item.tenantId);
      await client.send(
        new UpdateCommand({
          TableName: table,
          Key: registrationKey(registrationId),
          UpdateExpression: 'SET #status = :failed, #error = :error, updatedAt = :now',
          ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
          ExpressionAttributeValues: { ':failed': 'FAILED', ':error': error, ':now': now().toISOString() },
        }),
      );
    },
  };
}
