import { describe, expect, it } from 'vitest';
import { buildRegistrationStore } from './registration-store.js';

describe('buildRegistrationStore', () => {
  it('reads the registration by its key and returns only the public fields', async () => {
    const inputs: unknown[] = [];
    const client = {
      send: async (command: { input: unknown }) => {
        inputs.push(command.input);
        return {
          Item: {
            pk: 'REGISTRATION#r-1',
            sk: 'REGISTRATION',
            registrationId: 'r-1',
            tenantId: 't-1',
            tenantName: 'acme',
            tier: 'basic',
            status: 'FAILED',
            step: 'createTenantApiKey',
            error: 'tenant name taken',
            email: 'admin@acme.test',
            executionArn: 'arn:aws:states:secret',
          },
        };
      },
    };
    const registration = await buildRegistrationStore(client as never, 'registrations').get('r-1');
    expect(inputs[0]).toMatchObject({
      TableName: 'registrations',
      Key: { pk: 'REGISTRATION#r-1', sk: 'REGISTRATION' },
    });
    expect(registration).toEqual({
      registrationId: 'r-1',
      tenantId: 't-1',
      tenantName: 'acme',
      tier: 'basic',
      status: 'FAILED',
      step: 'createTenantApiKey',
      error: 'tenant name taken',
    });
  });

  it('returns nothing for an unknown registration', async () => {
    const client = { send: async () => ({}) };
    await expect(
      buildRegistrationStore(client as never, 'registrations').get('r-2'),
    ).resolves.toBeUndefined();
  });
});
