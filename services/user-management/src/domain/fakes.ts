import { type PoolUser, UserExistsError, type UserPools } from '@tenantry/users';
import {
  LastTenantAdminError,
  type ListUsersDeps,
  type Member,
  type MemberStore,
  StaleMemberError,
} from './user.js';

/** In-memory user pools (keyed by pool id, then user id) with Cognito's e-mail uniqueness. */
export function fakePools(): UserPools & { users: Map<string, Map<string, PoolUser>>; failNext?: Error } {
  const users = new Map<string, Map<string, PoolUser>>();
  const pool = (id: string) => {
    const found = users.get(id) ?? new Map<string, PoolUser>();
    users.set(id, found);
    return found;
  };
  let seq = 0;
  const fake = {
    users,
    failNext: undefined as Error | undefined,
    async invite(userPoolId: string, input: { email: string; role: string; tenantId?: string }) {
      if ([...pool(userPoolId).values()].some((user) => user.email === input.email))
        throw new UserExistsError();
      seq += 1;
      const user: PoolUser = {
        userId: `u-${seq}`,
        email: input.email,
        role: input.role,
        tenantId: input.tenantId,
        status: 'FORCE_CHANGE_PASSWORD',
        enabled: true,
        createdAt: '2026-01-01T00:00:00.000Z',
      };
      pool(userPoolId).set(user.userId, user);
      return { ...user };
    },
    async get(userPoolId: string, idOrEmail: string) {
      const found = [...pool(userPoolId).values()].find(
        (user) => user.userId === idOrEmail || user.email === idOrEmail,
      );
      return found && { ...found };
    },
    async list(userPoolId: string) {
      return { users: [...pool(userPoolId).values()] };
    },
    async setRole(userPoolId: string, userId: string, role: string) {
      if (fake.failNext) {
        const error = fake.failNext;
        fake.failNext = undefined;
        throw error;
      }
      const user = pool(userPoolId).get(userId);
      if (user) user.role = role;
    },
    async setEnabled(userPoolId: string, userId: string, enabled: boolean) {
      const user = pool(userPoolId).get(userId);
      if (user) user.enabled = enabled;
    },
    async remove(userPoolId: string, userId: string) {
      return pool(userPoolId).delete(userId);
    },
  };
  return fake;
}

/** In-memory members with the admin count, as the DynamoDB store keeps them. */
export function fakeMembers(): MemberStore & { admins: Map<string, number>; rows: Map<string, Member> } {
  const rows = new Map<string, Member>();
  const admins = new Map<string, number>();
  const key = (tenantId: string, userId: string) => `${tenantId}|${userId}`;
  const counts = (member: Member) => member.role === 'TenantAdmin' && member.enabled;
  const same = (a: Member | undefined, b: Member) => a && a.role === b.role && a.enabled === b.enabled;
  return {
    rows,
    admins,
    async get(tenantId, userId) {
      const row = rows.get(key(tenantId, userId));
      return row && { ...row };
    },
    async add(tenantId, member) {
      if (rows.has(key(tenantId, member.userId))) return false;
      rows.set(key(tenantId, member.userId), { ...member });
      if (counts(member)) admins.set(tenantId, (admins.get(tenantId) ?? 0) + 1);
      return true;
    },
    async change(tenantId, from, to) {
      if (!same(rows.get(key(tenantId, from.userId)), from)) throw new StaleMemberError();
      const delta = Number(counts(to)) - Number(counts(from));
      const count = admins.get(tenantId) ?? 0;
      if (delta < 0 && count <= 1) throw new LastTenantAdminError();
      admins.set(tenantId, count + delta);
      rows.set(key(tenantId, from.userId), { ...to });
    },
    async remove(tenantId, member, options = {}) {
      if (!same(rows.get(key(tenantId, member.userId)), member)) throw new StaleMemberError();
      const count = admins.get(tenantId) ?? 0;
      if (counts(member)) {
        if ((options.enforceLastAdmin ?? true) && count <= 1) throw new LastTenantAdminError();
        admins.set(tenantId, count - 1);
      }
      rows.delete(key(tenantId, member.userId));
    },
    async list(tenantId, { limit, after }) {
      const all = [...rows.entries()]
        .filter(([k]) => k.startsWith(`${tenantId}|`))
        .map(([, member]) => member)
        .sort((a, b) => a.userId.localeCompare(b.userId));
      const start = after ? all.findIndex((member) => member.userId === after) + 1 : 0;
      const members = all.slice(start, start + limit);
      const last = members.at(-1);
      return start + limit < all.length && last ? { members, after: last.userId } : { members };
    },
  };
}

export const OPS_POOL = 'us-east-1_ops';
export const POOLED_POOL = 'us-east-1_pooled';

/** Every dependency of every operation, in memory. */
export function fakeUserDeps() {
  const pools = fakePools();
  const members = fakeMembers();
  const deps: ListUsersDeps = {
    pools,
    members,
    operationsUserPoolId: OPS_POOL,
    tenantUserPool: async (tenantId) => (tenantId.startsWith('t') ? POOLED_POOL : undefined),
    pageTokens: {
      seal: async (binding, cursors) => Buffer.from(JSON.stringify([binding, cursors])).toString('base64url'),
      open: async (binding, token) => {
        const [bound, cursors] = JSON.parse(Buffer.from(token, 'base64url').toString()) as [unknown, []];
        if (JSON.stringify(bound) !== JSON.stringify(binding)) throw new Error('foreign token');
        return cursors;
      },
    },
  };
  return { deps, pools, members };
}
