import { randomBytes } from 'node:crypto';
import {
  acceptInvitation,
  callApi,
  createTestTenant,
  invokeFunction,
  type LocalUser,
  logInSystemAdmin,
  pollUntil,
  readOutbox,
  type TestTenant,
} from '@tenantry/testing';
import { beforeAll, describe, expect, inject, it } from 'vitest';

const endpoints = inject('endpoints');
const stackOutputs = inject('stackOutputs');
const localCloud = inject('localCloud');
const stack = { endpoints, stackOutputs, localCloud };
const platform = stackOutputs['tenantry-platform-dev'] ?? {};
const functions = stackOutputs['tenantry-user-management-dev'] ?? {};
const pooled = { appClientId: platform.PooledUserPoolClientId as string };
const operations = { appClientId: endpoints.systemAdmin.appClientId };
const control = (user: LocalUser | undefined, method: string, path: string, body?: unknown) =>
  callApi(endpoints.controlPlaneUrl, user, method, path, body);
const email = (label: string) => `${label}-${randomBytes(5).toString('hex')}@example.com`;

const invoke = <T = unknown>(name: 'createTenantAdmin' | 'deleteTenantAdmin', payload: unknown) =>
  invokeFunction<T>(
    stack,
    functions[`${name[0]?.toUpperCase()}${name.slice(1)}FunctionArn`] as string,
    payload,
  );

/** A tenant with its first TenantAdmin invited by the provisioning step, invitation accepted. */
async function tenantWithAdmin(): Promise<{ tenant: TestTenant; admin: LocalUser }> {
  const tenant = await createTestTenant(stack, { tier: 'basic' });
  const adminEmail = email('admin');
  const created = await invoke<{ userId: string }>('createTenantAdmin', {
    tenantId: tenant.tenantId,
    email: adminEmail,
    userPoolId: platform.PooledUserPoolId,
  });
  if (!created.ok) throw new Error(`createTenantAdmin failed: ${created.errorMessage}`);
  const admin = await acceptInvitation(stack, pooled, adminEmail);
  expect(admin.userId).toBe(created.result.userId);
  return { tenant, admin };
}

/** Creates a user through the API and accepts its invitation. */
async function invite(by: LocalUser, role: string, pool = pooled): Promise<LocalUser> {
  const address = email(role.toLowerCase());
  const created = await control(by, 'POST', '/users', { email: address, role });
  expect(created.status).toBe(201);
  return acceptInvitation(stack, pool, address);
}

let systemAdmin: LocalUser;
let a: { tenant: TestTenant; admin: LocalUser };
let b: { tenant: TestTenant; admin: LocalUser };

beforeAll(async () => {
  [systemAdmin, a, b] = await Promise.all([logInSystemAdmin(stack), tenantWithAdmin(), tenantWithAdmin()]);
});

describe('users of a tenant', () => {
  it('invites a TenantUser: the invitation carries a temporary password and the user logs in with a new one', async () => {
    const address = email('ann');
    const created = await control(a.admin, 'POST', '/users', { email: address, role: 'TenantUser' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      email: address,
      role: 'TenantUser',
      tenantId: a.tenant.tenantId,
      status: 'FORCE_CHANGE_PASSWORD',
      enabled: true,
    });
    const [invitation] = await readOutbox(stack, address);
    expect(invitation?.temporaryPassword).toBeTruthy();
    const ann = await acceptInvitation(stack, pooled, address);
    expect(ann.userId).toBe(created.body.userId);
    const self = await control(ann, 'GET', `/users/${ann.userId}`);
    expect(self).toMatchObject({
      status: 200,
      body: { email: address, status: 'CONFIRMED', tenantId: a.tenant.tenantId },
    });
  });

  it('lets a TenantUser read only himself, and not create users', async () => {
    const user = await invite(a.admin, 'TenantUser');
    expect((await control(user, 'GET', `/users/${a.admin.userId}`)).status).toBe(403);
    expect((await control(user, 'POST', '/users', { email: email('x'), role: 'TenantUser' })).status).toBe(
      403,
    );
    expect((await control(user, 'GET', '/users')).status).toBe(403);
  });

  it('answers 409 for an e-mail address that exists, without saying where', async () => {
    const mine = await control(a.admin, 'POST', '/users', { email: a.admin.email, role: 'TenantUser' });
    const theirs = await control(a.admin, 'POST', '/users', { email: b.admin.email, role: 'TenantUser' });
    expect(mine).toEqual({ status: 409, body: { message: 'a user with this e-mail already exists' } });
    expect(theirs).toEqual(mine);
  });

  it('validates the body: unknown fields, roles and addresses are a 400 naming the field', async () => {
    const unknown = await control(a.admin, 'POST', '/users', {
      email: email('x'),
      role: 'TenantUser',
      tenantId: b.tenant.tenantId,
    });
    expect(unknown).toMatchObject({ status: 400, body: { message: 'tenantId is not a known field' } });
    const role = await control(a.admin, 'POST', '/users', { email: email('x'), role: 'SystemAdmin' });
    expect(role).toMatchObject({ status: 400, body: { message: expect.stringMatching(/^role /) } });
    const address = await control(a.admin, 'POST', '/users', { email: 'not-an-address', role: 'TenantUser' });
    expect(address).toMatchObject({ status: 400, body: { message: expect.stringMatching(/^email /) } });
  });

  it("lists only the tenant's own users, a page at a time", async () => {
    await invite(b.admin, 'TenantUser');
    const seen: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await control(
        b.admin,
        'GET',
        `/users?limit=1${nextToken ? `&nextToken=${encodeURIComponent(nextToken)}` : ''}`,
      );
      expect(page.status).toBe(200);
      for (const user of page.body.items as { tenantId: string; userId: string }[]) {
        expect(user.tenantId).toBe(b.tenant.tenantId);
        seen.push(user.userId);
      }
      nextToken = page.body.nextToken as string | undefined;
      pages += 1;
    } while (nextToken && pages < 20);
    expect(seen).toHaveLength(2);
    expect(seen).toContain(b.admin.userId);
    expect(
      (await control(a.admin, 'GET', `/users?limit=1&nextToken=${encodeURIComponent('AAAA')}`)).status,
    ).toBe(400);
  });

  it("answers 404 for another tenant's user, whatever the TenantAdmin tries", async () => {
    const other = b.admin.userId;
    const unknown = await control(a.admin, 'GET', '/users/00000000-0000-0000-0000-000000000000');
    expect(unknown.status).toBe(404);
    for (const [method, path, body] of [
      ['GET', `/users/${other}`, undefined],
      ['PATCH', `/users/${other}`, { role: 'TenantUser' }],
      ['POST', `/users/${other}/disable`, undefined],
      ['POST', `/users/${other}/enable`, undefined],
      ['DELETE', `/users/${other}`, undefined],
    ] as const) {
      const answer = await control(a.admin, method, path, body);
      expect(answer, `${method} ${path}`).toEqual(unknown);
    }
    expect((await control(b.admin, 'GET', `/users/${other}`)).status).toBe(200);
  });

  it('refuses a disabled user within 5 s and lets him back in once enabled', async () => {
    const user = await invite(a.admin, 'TenantUser');
    expect((await control(user, 'GET', `/users/${user.userId}`)).status).toBe(200);
    const disabled = await control(a.admin, 'POST', `/users/${user.userId}/disable`);
    expect(disabled).toMatchObject({ status: 200, body: { enabled: false } });
    const refused = await pollUntil(
      () => control(user, 'GET', `/users/${user.userId}`),
      (answer) => answer.status === 403,
    );
    expect(refused.value.status).toBe(403);
    expect(refused.elapsedMs).toBeLessThan(5_000);
    expect((await control(a.admin, 'POST', `/users/${user.userId}/enable`)).body).toMatchObject({
      enabled: true,
    });
    const back = await pollUntil(
      () => control(user, 'GET', `/users/${user.userId}`),
      (answer) => answer.status === 200,
    );
    expect(back.value.status).toBe(200);
  });
});

describe('the last enabled TenantAdmin', () => {
  it('cannot be deleted, disabled or demoted; a second admin makes it possible', async () => {
    const { admin } = await tenantWithAdmin();
    for (const [method, path, body] of [
      ['DELETE', `/users/${admin.userId}`, undefined],
      ['POST', `/users/${admin.userId}/disable`, undefined],
      ['PATCH', `/users/${admin.userId}`, { role: 'TenantUser' }],
    ] as const) {
      const answer = await control(admin, method, path, body);
      expect(answer.status, `${method} ${path}`).toBe(409);
    }
    const second = await invite(admin, 'TenantAdmin');
    const demoted = await control(second, 'PATCH', `/users/${admin.userId}`, { role: 'TenantUser' });
    expect(demoted).toMatchObject({ status: 200, body: { role: 'TenantUser' } });
    // The demoted admin loses admin routes within 5 s.
    const refused = await pollUntil(
      () => control(admin, 'GET', '/users'),
      (answer) => answer.status === 403,
    );
    expect(refused.value.status).toBe(403);
    expect((await control(second, 'DELETE', `/users/${second.userId}`)).status).toBe(409);
    expect((await control(second, 'DELETE', `/users/${admin.userId}`)).status).toBe(204);
    expect((await control(second, 'GET', `/users/${admin.userId}`)).status).toBe(404);
  });

  it('holds when two admins demote each other at once', async () => {
    const { admin } = await tenantWithAdmin();
    const second = await invite(admin, 'TenantAdmin');
    const answers = await Promise.all([
      control(admin, 'PATCH', `/users/${second.userId}`, { role: 'TenantUser' }),
      control(second, 'PATCH', `/users/${admin.userId}`, { role: 'TenantUser' }),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
  });
});

describe('operations users', () => {
  it('a SystemAdmin invites, lists, reads, disables, enables and deletes SystemAdmins', async () => {
    const address = email('ops');
    const created = await control(systemAdmin, 'POST', '/users', { email: address, role: 'SystemAdmin' });
    expect(created).toMatchObject({ status: 201, body: { role: 'SystemAdmin', tenantId: 'operations' } });
    const ops = await acceptInvitation(stack, operations, address);
    const userId = created.body.userId as string;
    const listed = await control(ops, 'GET', '/users?limit=60');
    expect((listed.body.items as { userId: string }[]).map((user) => user.userId)).toEqual(
      expect.arrayContaining([userId, systemAdmin.userId]),
    );
    expect((await control(systemAdmin, 'GET', `/users/${userId}`)).body).toMatchObject({ email: address });
    expect((await control(systemAdmin, 'POST', `/users/${userId}/disable`)).body).toMatchObject({
      enabled: false,
    });
    expect((await control(systemAdmin, 'POST', `/users/${userId}/enable`)).body).toMatchObject({
      enabled: true,
    });
    expect((await control(systemAdmin, 'DELETE', `/users/${userId}`)).status).toBe(204);
    expect((await control(systemAdmin, 'GET', `/users/${userId}`)).status).toBe(404);
  });

  it('keeps tenant roles out of the operations pool and tenant users out of reach', async () => {
    expect(
      (await control(systemAdmin, 'POST', '/users', { email: email('x'), role: 'TenantAdmin' })).status,
    ).toBe(400);
    expect((await control(systemAdmin, 'GET', `/users/${a.admin.userId}`)).status).toBe(404);
    expect((await control(systemAdmin, 'DELETE', `/users/${systemAdmin.userId}`)).status).toBe(409);
  });
});

describe('internal functions of the provisioning workflow', () => {
  it('createTenantAdmin returns the same user when retried, and deleteTenantAdmin undoes it twice over', async () => {
    const tenant = await createTestTenant(stack, { tier: 'basic' });
    const input = { tenantId: tenant.tenantId, email: email('first'), userPoolId: platform.PooledUserPoolId };
    const first = await invoke<{ userId: string }>('createTenantAdmin', input);
    const again = await invoke<{ userId: string }>('createTenantAdmin', input);
    expect(first.ok).toBe(true);
    expect(again).toEqual(first);
    expect(await readOutbox(stack, input.email)).toHaveLength(1);

    const other = await invoke('createTenantAdmin', { ...input, tenantId: b.tenant.tenantId });
    expect(other).toMatchObject({ ok: false, errorType: 'ConflictError' });

    for (let attempt = 0; attempt < 2; attempt += 1)
      expect(await invoke('deleteTenantAdmin', input)).toEqual({ ok: true, result: {} });
    const recreated = await invoke<{ userId: string }>('createTenantAdmin', input);
    expect(recreated.ok && first.ok && recreated.result.userId !== first.result.userId).toBe(true);
  });

  it.each(['createTenantAdmin', 'deleteTenantAdmin'] as const)(
    '%s throws InjectedFault when named as the failing step, and does nothing',
    async (name) => {
      const input = {
        tenantId: a.tenant.tenantId,
        email: email('fault'),
        userPoolId: platform.PooledUserPoolId,
      };
      expect(await invoke(name, { ...input, failStep: name })).toMatchObject({
        ok: false,
        errorType: 'InjectedFault',
      });
      expect(await readOutbox(stack, input.email)).toEqual([]);
    },
  );
});
