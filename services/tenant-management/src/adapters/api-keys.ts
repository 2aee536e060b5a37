import {
  type APIGatewayClient,
  CreateApiKeyCommand,
  CreateUsagePlanKeyCommand,
  DeleteApiKeyCommand,
  GetApiKeyCommand,
  GetApiKeysCommand,
} from '@aws-sdk/client-api-gateway';
import type { ApiKeyStore } from '../domain/tenants.js';

const isNamed = (error: unknown, name: string) => (error as Error | null)?.name === name;

/**
 * Tenant API keys and tier usage plans through the API Gateway management API. Needs
 * `apigateway:GET`/`POST` on `/apikeys`, `apigateway:POST` on `/usageplans/{plan}/keys`,
 * `apigateway:DELETE` on `/apikeys/*`, `apigateway:GET` on `/apikeys/*` (a stack's key value).
 */
export function buildApiKeyStore(client: Pick<APIGatewayClient, 'send'>): ApiKeyStore {
  return {
    async findByName(name) {
      let position: string | undefined;
      do {
        const page = await client.send(
          new GetApiKeysCommand({ nameQuery: name, includeValues: true, limit: 500, position }),
        );
        // nameQuery matches prefixes (tenant-t1 finds tenant-t10 too): keep the exact name.
        const key = page.items?.find((item) => item.name === name);
        if (key?.id && key.value) return { id: key.id, value: key.value };
        position = page.position;
      } while (position);
      return undefined;
    },
    async create(name) {
      const key = await client.send(new CreateApiKeyCommand({ name, enabled: true }));
      if (!key.id || !key.value) throw new Error('CreateApiKey returned no key');
      return { id: key.id, value: key.value };
    },
    async addToPlan(usagePlanId, keyId) {
      try {
        await client.send(new CreateUsagePlanKeyCommand({ usagePlanId, keyId, keyType: 'API_KEY' }));
      } catch (error) {
        if (!isNamed(error, 'ConflictException')) throw error;
      }
    },
    async valueOf(keyId) {
      try {
        const key = await client.send(new GetApiKeyCommand({ apiKey: keyId, includeValue: true }));
        return key.value;
      } catch (error) {
        if (isNamed(error, 'NotFoundException')) return undefined;
        throw error;
      }
    },
    async remove(keyId) {
      try {
        await client.send(new DeleteApiKeyCommand({ apiKey: keyId }));
      } catch (error) {
        if (!isNamed(error, 'NotFoundException')) throw error;
      }
    },
  };
}
