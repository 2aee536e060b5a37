import { ForbiddenError, NotFoundError, type TenantContext } from '@tenantry/tenant-middleware';
import { describe, expect, it, vi } from 'vitest';
import { getUser, type User, userIdField } from './user.js';

const admin: User = {
  userId: 'a1b2',
  email: 'ops@example.com',
  role: 'SystemAdmin',
  tenantId: 'operations',
  status: 'CONFIRMED',
  enabled: true,
  createdAt: '2026-01-01T00:00:00.000Z',
};
const systemAdmin: TenantContext = { tenantId: 'operations', userId: 'me', role: 'SystemAdmin' };
const depsWith = (...users: User[]) => ({
  operationsUsers: { get: vi.fn(async (id: string) => users.find((user) => user.userId === id)) },
});

describe('getUser', () => {
  it('lets a SystemAdmin read an operations user', async () => {
    await expect(getUser(depsWith(admin), systemAdmin, 'a1b2')).resolves.toEqual(admin);
  });

  it('answers not found for an unknown user', async () => {
    await expect(getUser(depsWith(admin), systemAdmin, 'zz')).rejects.toThrow(NotFoundError);
  });

  it.each(['TenantAdmin', 'TenantUser'] as const)('forbids a %s without looking anyone up', async (role) => {
    const deps = depsWith(admin);
    await expect(getUser(deps, { tenantId: 't-1', userId: 'a1b2', role }, 'a1b2')).rejects.toThrow(
      ForbiddenError,
    );
    expect(deps.operationsUsers.get).not.toHaveBeenCalled();
  });
});

describe('userIdField', () => {
  it('rejects an e-mail address naming the field', () => {
    expect(() => userIdField('ops@example.com', 'userId')).toThrow(/^userId /);
  });
});
