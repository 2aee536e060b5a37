import { describe, expect, it } from 'vitest';
import { buildTenantRegistry } from './tenant-registry.js';

const fakeClient = (items: Record<string, Record<string, unknown>>) => {
  const calls: Array<{ TableName?: string; Key?: { pk: string; sk: string } }> = [];
  return {
    calls,
    send: async (command: { input: { TableName?: string; Key?: { pk: string; sk: string } } }) => {
      calls.push(command.input);
      const key = command.input.Key;
      return { Item: key ? items[`${key.pk}|${key.sk}`] : undefined };
    },
  };
};

describe('buildTenantRegistry', () => {
  it('finds a tenant through its name reservation', async () => {
    const client = fakeClient({
      'TENANT_NAME#acme|TENANT_NAME': { tenantName: 'acme', tenantId: 't-1' },
      'TENANT#t-1|PROFILE': { tenantId: 't-1', tenantName: 'acme' },
    });
    const registry = buildTenantRegistry(client as never, 'tenants');
    await expect(registry.findByName('acme')).resolves.toMatchObject({ tenantId: 't-1' });
    expect(client.calls.map((call) => call.TableName)).toEqual(['tenants', 'tenants']);
  });

  it('returns nothing for a name nobody reserved, without a second read', async () => {
    const client = fakeClient({});
    await expect(buildTenantRegistry(client as never, 'tenants').findByName('acme')).resolves.toBeUndefined();
    expect(client.calls).toHaveLength(1);
  });
});
