import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  type TenantContext,
} from '@tenantry/tenant-middleware';
import { describe, expect, it } from 'vitest';
import { fakeUserDeps, OPS_POOL, POOLED_POOL } from './fakes.js';
import {
  createTenantAdmin,
  createUser,
  deleteTenantAdmin,
  deleteUser,
  disableUser,
  enableUser,
  getUser,
  LastTenantAdminError,
  listUsers,
  updateUserRole,
  userIdField,
} from './user.js';

const systemAdmin: TenantContext = { tenantId: 'operations', userId: 'sys-1', role: 'SystemAdmin' };

/** A tenant with its first admin (as provisioning creates it) and that admin's context. */
async function tenantWithAdmin(tenantId = 't1') {
  const fixture = fakeUserDeps();
  const { userId } = await createTenantAdmin(fixture.deps, {
    tenantId,
    email: `admin@${tenantId}.test`,
    userPoolId: POOLED_POOL,
  });
  const admin: TenantContext = { tenantId, userId, role: 'TenantAdmin' };
  return { ...fixture, admin };
}

describe('createUser', () => {
  it("invites a TenantUser into the TenantAdmin's tenant with the tenant id set by the server", async () => {
    const { deps, admin, pools } = await tenantWithAdmin();
    const user = await createUser(deps, admin, { email: 'ann@t1.test', role: 'TenantUser' });
    expect(user).toMatchObject({ email: 'ann@t1.test', role: 'TenantUser', tenantId: 't1', enabled: true });
    expect(pools.users.get(POOLED_POOL)?.get(user.userId)?.tenantId).toBe('t1');
  });

  it('answers 409 for an e-mail address that exists in the pool, whichever tenant has it', async () => {
    const { deps, admin } = await tenantWithAdmin();
    await createTenantAdmin(deps, { tenantId: 't2', email: 'boss@t2.test', userPoolId: POOLED_POOL });
    await expect(createUser(deps, admin, { email: 'boss@t2.test', role: 'TenantUser' })).rejects.toThrow(
      'a user with this e-mail already exists',
    );
  });

  it('refuses the SystemAdmin role to a TenantAdmin and tenant roles to a SystemAdmin', async () => {
    const { deps, admin } = await tenantWithAdmin();
    await expect(createUser(deps, admin, { email: 'x@t1.test', role: 'SystemAdmin' })).rejects.toThrow(
      /^role must be one of TenantAdmin, TenantUser/,
    );
    await expect(createUser(deps, systemAdmin, { email: 'x@ops.test', role: 'TenantUser' })).rejects.toThrow(
      /^role must be one of SystemAdmin/,
    );
  });

  it('creates SystemAdmins in the operations pool', async () => {
    const { deps, pools } = fakeUserDeps();
    const user = await createUser(deps, systemAdmin, { email: 'ops@ops.test', role: 'SystemAdmin' });
    expect(user.tenantId).toBe('operations');
    expect(pools.users.get(OPS_POOL)?.has(user.userId)).toBe(true);
  });

  it('forbids a TenantUser', async () => {
    const { deps } = await tenantWithAdmin();
    await expect(
      createUser(
        deps,
        { tenantId: 't1', userId: 'x', role: 'TenantUser' },
        { email: 'a@b.cd', role: 'TenantUser' },
      ),
    ).rejects.toThrow(ForbiddenError);
  });
});

describe('getUser and listUsers', () => {
  it("answers not found for another tenant's user in the same pool", async () => {
    const { deps, admin } = await tenantWithAdmin();
    const other = await createTenantAdmin(deps, {
      tenantId: 't2',
      email: 'b@t2.test',
      userPoolId: POOLED_POOL,
    });
    await expect(getUser(deps, admin, other.userId)).rejects.toThrow(NotFoundError);
  });

  it('lets a TenantUser read himself and nobody else', async () => {
    const { deps, admin } = await tenantWithAdmin();
    const ann = await createUser(deps, admin, { email: 'ann@t1.test', role: 'TenantUser' });
    const asAnn: TenantContext = { tenantId: 't1', userId: ann.userId, role: 'TenantUser' };
    await expect(getUser(deps, asAnn, ann.userId)).resolves.toMatchObject({ email: 'ann@t1.test' });
    await expect(getUser(deps, asAnn, admin.userId)).rejects.toThrow(ForbiddenError);
  });

  it("lists only the tenant's users, a page at a time", async () => {
    const { deps, admin } = await tenantWithAdmin();
    await createTenantAdmin(deps, { tenantId: 't2', email: 'b@t2.test', userPoolId: POOLED_POOL });
    for (const name of ['a', 'b', 'c'])
      await createUser(deps, admin, { email: `${name}@t1.test`, role: 'TenantUser' });
    const first = await listUsers(deps, admin, { limit: 3 });
    expect(first.items).toHaveLength(3);
    expect(first.nextToken).toBeDefined();
    const second = await listUsers(deps, admin, { limit: 3, nextToken: first.nextToken as string });
    expect(second.nextToken).toBeUndefined();
    const emails = [...first.items, ...second.items].map((user) => user.email).sort();
    expect(emails).toEqual(['a@t1.test', 'admin@t1.test', 'b@t1.test', 'c@t1.test']);
  });
});

describe('the last enabled TenantAdmin', () => {
  it('cannot be demoted, disabled or deleted', async () => {
    const { deps, admin } = await tenantWithAdmin();
    await expect(updateUserRole(deps, admin, admin.userId, { role: 'TenantUser' })).rejects.toThrow(
      LastTenantAdminError,
    );
    await expect(disableUser(deps, admin, admin.userId)).rejects.toThrow(ConflictError);
    await expect(deleteUser(deps, admin, admin.userId)).rejects.toThrow(ConflictError);
  });

  it('can step down once another admin is enabled, and the count follows disable and enable', async () => {
    const { deps, admin, members } = await tenantWithAdmin();
    const bob = await createUser(deps, admin, { email: 'bob@t1.test', role: 'TenantAdmin' });
    expect(members.admins.get('t1')).toBe(2);
    await disableUser(deps, admin, bob.userId);
    await expect(updateUserRole(deps, admin, admin.userId, { role: 'TenantUser' })).rejects.toThrow(
      ConflictError,
    );
    await enableUser(deps, admin, bob.userId);
    await expect(updateUserRole(deps, admin, admin.userId, { role: 'TenantUser' })).resolves.toMatchObject({
      role: 'TenantUser',
    });
    expect(members.admins.get('t1')).toBe(1);
  });

  it('puts the record back when Cognito fails after the count changed', async () => {
    const { deps, admin, members, pools } = await tenantWithAdmin();
    const bob = await createUser(deps, admin, { email: 'bob@t1.test', role: 'TenantAdmin' });
    pools.failNext = new Error('TooManyRequestsException');
    await expect(updateUserRole(deps, admin, bob.userId, { role: 'TenantUser' })).rejects.toThrow('TooMany');
    expect(members.admins.get('t1')).toBe(2);
    expect(members.rows.get(`t1|${bob.userId}`)?.role).toBe('TenantAdmin');
  });
});

describe('operations users', () => {
  it('refuses to let a SystemAdmin disable or delete himself', async () => {
    const { deps } = fakeUserDeps();
    await expect(disableUser(deps, systemAdmin, systemAdmin.userId)).rejects.toThrow(ConflictError);
    await expect(deleteUser(deps, systemAdmin, systemAdmin.userId)).rejects.toThrow(ConflictError);
  });
});

describe('createTenantAdmin and deleteTenantAdmin', () => {
  it('returns the same user when run again, and refuses an address of another tenant', async () => {
    const { deps, admin, members } = await tenantWithAdmin();
    const again = await createTenantAdmin(deps, {
      tenantId: 't1',
      email: 'admin@t1.test',
      userPoolId: POOLED_POOL,
    });
    expect(again.userId).toBe(admin.userId);
    expect(members.admins.get('t1')).toBe(1);
    await expect(
      createTenantAdmin(deps, { tenantId: 't2', email: 'admin@t1.test', userPoolId: POOLED_POOL }),
    ).rejects.toThrow(ConflictError);
  });

  it('removes the admin even when it is the last, and does nothing the second time', async () => {
    const { deps, pools, members } = await tenantWithAdmin();
    const input = { tenantId: 't1', email: 'admin@t1.test', userPoolId: POOLED_POOL };
    await deleteTenantAdmin(deps, input);
    expect(pools.users.get(POOLED_POOL)?.size).toBe(0);
    expect(members.rows.size).toBe(0);
    await expect(deleteTenantAdmin(deps, input)).resolves.toEqual({});
  });

  it("leaves another tenant's user with that address alone", async () => {
    const { deps, pools } = await tenantWithAdmin();
    await deleteTenantAdmin(deps, { tenantId: 't2', email: 'admin@t1.test', userPoolId: POOLED_POOL });
    expect(pools.users.get(POOLED_POOL)?.size).toBe(1);
  });
});

describe('userIdField', () => {
  it('rejects an e-mail address naming the field', () => {
    expect(() => userIdField('ops@example.com', 'userId')).toThrow(/^userId /);
  });
});
