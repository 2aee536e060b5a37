import { describe, expect, it } from 'vitest';
import {
  orderKey,
  productKey,
  registrationKey,
  tenantNameKey,
  tenantPk,
  tenantProfileKey,
  withoutKeys,
} from './keys.js';

describe('keys', () => {
  it('puts products and orders under their tenant partition', () => {
    expect(productKey('t1', 'p1')).toEqual({ pk: 'TENANT#t1', sk: 'PRODUCT#p1' });
    expect(orderKey('t1', 'o1')).toEqual({ pk: 'TENANT#t1', sk: 'ORDER#o1' });
  });

  it('keeps tenant records, tenant names and registrations apart', () => {
    expect(tenantProfileKey('t1')).toEqual({ pk: 'TENANT#t1', sk: 'PROFILE' });
    expect(tenantNameKey('acme')).toEqual({ pk: 'TENANT_NAME#acme', sk: 'TENANT_NAME' });
    expect(registrationKey('r1')).toEqual({ pk: 'REGISTRATION#r1', sk: 'REGISTRATION' });
  });

  it('rejects an empty id instead of addressing a partition prefix', () => {
    expect(() => tenantPk('')).toThrow(TypeError);
    expect(() => productKey('t1', '')).toThrow(/productId/);
  });

  it('strips the key attributes from a stored item', () => {
    expect(withoutKeys({ pk: 'a', sk: 'b', name: 'n' })).toEqual({ name: 'n' });
  });
});
