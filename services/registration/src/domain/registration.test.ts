import { BadRequestError, NotFoundError } from '@tenantry/tenant-middleware';
import { describe, expect, it } from 'vitest';
import { getRegistration, type Registration, registrationIdField } from './registration.js';

const id = '0b6f5a7e-3c1d-4e2f-9a8b-7c6d5e4f3a2b';
const registration: Registration = {
  registrationId: id,
  tenantId: 't-1',
  tenantName: 'acme',
  tier: 'basic',
  status: 'PROVISIONING',
  step: 'createTenantRecord',
};
const deps = { registrations: { get: async (wanted: string) => (wanted === id ? registration : undefined) } };

describe('getRegistration', () => {
  it('returns the registration with this id', async () => {
    await expect(getRegistration(deps, id)).resolves.toEqual(registration);
  });

  it('answers not found for an unknown id', async () => {
    await expect(getRegistration(deps, id.replace('0b', '1b'))).rejects.toThrow(NotFoundError);
  });
});

describe('registrationIdField', () => {
  it.each(['abc', id.toUpperCase(), `${id}x`, id.replaceAll('-', '')])(
    'rejects %s naming the field',
    (value) => {
      expect(() => registrationIdField(value, 'registrationId')).toThrow(BadRequestError);
      expect(() => registrationIdField(value, 'registrationId')).toThrow(/^registrationId /);
    },
  );

  it('accepts a lowercase UUID', () => {
    expect(registrationIdField(id, 'registrationId')).toBe(id);
  });
});
