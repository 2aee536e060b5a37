import type { Clock, Outbox } from '../types.js';
import { resourceNotFound, userNotFound, validationError } from './errors.js';
import { type ClientState, type PoolState, type UserState, usernameKey } from './model.js';
import type { Store } from './store.js';

/** What every operation works with. */
export interface Deps {
  clock: Clock;
  outbox: Outbox;
  region: string;
  accountId: string;
  endpoint: () => string;
  store: Store;
}

export type OperationResult = Record<string, unknown>;
export type Operation = (deps: Deps, input: Input) => Promise<OperationResult> | OperationResult;

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Typed access to a JSON request body, failing with AWS's validation wording. */
export class Input {
  constructor(readonly body: Record<string, unknown>) {}

  raw(name: string): unknown {
    return this.body[name];
  }

  string(name: string): string {
    const value = this.optString(name);
    if (value === undefined || value === '')
      throw validationError(lowerFirst(name), value, 'Member must not be null');
    return value;
  }

  optString(name: string): string | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw validationError(lowerFirst(name), value, 'Member must be a string');
    return value;
  }

  optNumber(name: string, min?: number, max?: number): number | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isInteger(n))
      throw validationError(lowerFirst(name), value, 'Member must be an integer');
    if (min !== undefined && n < min) {
      throw validationError(
        lowerFirst(name),
        value,
        `Member must have value greater than or equal to ${min}`,
      );
    }
    if (max !== undefined && n > max) {
      throw validationError(lowerFirst(name), value, `Member must have value less than or equal to ${max}`);
    }
    return n;
  }

  optBoolean(name: string): boolean | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (value === true || value === 'true') return true;
    if (value === false || value === 'false') return false;
    throw validationError(lowerFirst(name), value, 'Member must be a boolean');
  }

  optStringList(name: string, allowed?: readonly string[]): string[] | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
      throw validationError(lowerFirst(name), value, 'Member must be a list of strings');
    }
    const list = value as string[];
    if (allowed) {
      const bad = list.find((v) => !allowed.includes(v));
      if (bad !== undefined) {
        throw validationError(
          lowerFirst(name),
          list.join(','),
          `Member must satisfy enum value set: [${allowed.join(', ')}]`,
        );
      }
    }
    return list;
  }

  optObject(name: string): Record<string, unknown> | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (!isRecord(value)) throw validationError(lowerFirst(name), value, 'Member must be a structure');
    return value;
  }

  optStringMap(name: string): Record<string, string> | undefined {
    const value = this.optObject(name);
    if (!value) return undefined;
    for (const v of Object.values(value)) {
      if (typeof v !== 'string')
        throw validationError(lowerFirst(name), v, 'Member must be a map of strings');
    }
    return value as Record<string, string>;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[]): T | undefined {
    const value = this.optString(name);
    if (value === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(value)) {
      throw validationError(
        lowerFirst(name),
        value,
        `Member must satisfy enum value set: [${allowed.join(', ')}]`,
      );
    }
    return value as T;
  }
}

export const epochSeconds = (ms: number): number => ms / 1000;

export function getPool(deps: Deps, id: string): PoolState {
  const pool = deps.store.state.pools[id];
  if (!pool) throw resourceNotFound(`User pool ${id} does not exist.`);
  return pool;
}

/** The client and its pool, from a client id alone (InitiateAuth has no pool id). */
export function getClient(deps: Deps, clientId: string): { pool: PoolState; client: ClientState } {
  for (const pool of Object.values(deps.store.state.pools)) {
    const client = pool.clients[clientId];
    if (client) return { pool, client };
  }
  throw resourceNotFound(`User pool client ${clientId} does not exist.`);
}

export function getClientInPool(pool: PoolState, clientId: string): ClientState {
  const client = pool.clients[clientId];
  if (!client) throw resourceNotFound(`User pool client ${clientId} does not exist.`);
  return client;
}

const sameValue = (pool: PoolState, a: string | undefined, b: string) =>
  a !== undefined && (pool.caseSensitive ? a === b : a.toLowerCase() === b.toLowerCase());

/**
 * The user a sign-in name designates: the username, an e-mail or phone number used as username
 * attribute, a verified alias (preferred_username needs no verification) or, for admin calls, the sub.
 */
export function findUser(
  pool: PoolState,
  name: string,
  opts: { bySub?: boolean } = {},
): UserState | undefined {
  const direct = pool.users[usernameKey(pool, name)];
  if (direct) return direct;
  const users = Object.values(pool.users);
  for (const attr of ['email', 'phone_number'] as const) {
    if (pool.usernameAttributes.includes(attr)) {
      const user = users.find((u) => sameValue(pool, u.attributes[attr], name));
      if (user) return user;
    }
    if (pool.aliasAttributes.includes(attr)) {
      const user = users.find(
        (u) => u.attributes[`${attr}_verified`] === 'true' && sameValue(pool, u.attributes[attr], name),
      );
      if (user) return user;
    }
  }
  if (pool.aliasAttributes.includes('preferred_username')) {
    const user = users.find((u) => sameValue(pool, u.attributes.preferred_username, name));
    if (user) return user;
  }
  if (opts.bySub) return users.find((u) => u.attributes.sub === name);
  return undefined;
}

export function requireUser(pool: PoolState, name: string): UserState {
  const user = findUser(pool, name, { bySub: true });
  if (!user) throw userNotFound();
  return user;
}
