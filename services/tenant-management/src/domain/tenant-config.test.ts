import type { TenantRecord } from '@tenantry/data';
import { BadRequestError, NotFoundError } from '@tenantry/tenant-middleware';
import { describe, expect, it } from 'vitest';
import { getTenantConfig, tenantNameField } from './tenant-config.js';

const acme: TenantRecord = {
  tenantId: 't-1',
  tenantName: 'acme',
  tier: 'basic',
  status: 'ACTIVE',
  email: 'admin@acme.test',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  userPoolId: 'us-east-1_pooled',
  appClientId: 'client',
  apiUrl: 'https://app.example/dev',
};
const depsWith = (...tenants: TenantRecord[]) => ({
  region: 'us-east-1',
  tenants: { findByName: async (name: string) => tenants.find((tenant) => tenant.tenantName === name) },
});

describe('getTenantConfig', () => {
  it('returns the public configuration of a known tenant', async () => {
    await expect(getTenantConfig(depsWith(acme), 'acme')).resolves.toEqual({
      tenantId: 't-1',
      tenantName: 'acme',
      tier: 'basic',
      status: 'ACTIVE',
      userPoolId: 'us-east-1_pooled',
      appClientId: 'client',
      apiUrl: 'https://app.example/dev',
      region: 'us-east-1',
    });
  });

  it('does not reveal the admin e-mail address', async () => {
    const config = await getTenantConfig(depsWith(acme), 'acme');
    expect(JSON.stringify(config)).not.toContain('admin@acme.test');
  });

  it.each([
    ['an unknown tenant', depsWith(acme), 'globex'],
    ['an offboarded tenant', depsWith({ ...acme, status: 'OFFBOARDING' }), 'acme'],
    ['a tenant whose identity is not provisioned yet', depsWith({ ...acme, userPoolId: undefined }), 'acme'],
  ])('answers not found for %s', async (_name, deps, tenantName) => {
    await expect(getTenantConfig(deps, tenantName)).rejects.toThrow(NotFoundError);
  });
});

describe('tenantNameField', () => {
  it.each(['ab', 'a'.repeat(64), 'Acme', '-acme', 'acme-', 'ac_me'])(
    'rejects %s naming the field',
    (name) => {
      expect(() => tenantNameField(name, 'tenantName')).toThrow(BadRequestError);
      expect(() => tenantNameField(name, 'tenantName')).toThrow(/^tenantName /);
    },
  );

  it.each(['abc', 'acme-corp', '123', 'a'.repeat(63)])('accepts %s', (name) => {
    expect(tenantNameField(name, 'tenantName')).toBe(name);
  });
});
