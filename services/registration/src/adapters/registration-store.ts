import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { type DynamoDBDocumentClient, registrationKey } from '@tenantry/data';
import type { Registration, RegistrationStore } from '../domain/registration.js';

/** Registrations in the service's own RegistrationTable. */
export function buildRegistrationStore(
  client: Pick<DynamoDBDocumentClient, 'send'>,
  tableName: string,
): RegistrationStore {
  return {
    async get(registrationId) {
      const { Item: item } = await client.send(
        new GetCommand({ TableName: tableName, Key: registrationKey(registrationId), ConsistentRead: true }),
      );
      if (!item) return undefined;
      // Pick the public fields: the stored item also carries keys and workflow bookkeeping.
      const registration: Registration = {
        registrationId: item.registrationId,
        tenantId: item.tenantId,
        tenantName: item.tenantName,
        tier: item.tier,
        status: item.status,
      };
      if (typeof item.error === 'string') registration.error = item.error;
      return registration;
    },
  };
}
