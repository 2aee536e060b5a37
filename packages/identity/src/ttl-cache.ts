/**
 * A small in-memory cache whose entries expire `ttlMs` after they were loaded. Concurrent misses
 * for one key share one load; a failed load is not cached.
 *
 * @example
 * ```ts
 * const tenants = createTtlCache({ ttlMs: 2_500, load: (tenantId: string) => directory.get(tenantId) });
 * const tenant = await tenants.get('t-123');
 * ```
 */
export interface TtlCache<K, V> {
  get(key: K): Promise<V>;
}

export interface TtlCacheOptions<K, V> {
  ttlMs: number;
  load: (key: K) => Promise<V>;
  /** Milliseconds since the epoch; defaults to `Date.now` (the local cloud moves it in its tests). */
  now?: () => number;
  /** Oldest entries are dropped beyond this many (default 1,000). */
  maxEntries?: number;
}

export function createTtlCache<K, V>(options: TtlCacheOptions<K, V>): TtlCache<K, V> {
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 1_000;
  const entries = new Map<K, { expiresAt: number; value: Promise<V> }>();
  return {
    get(key) {
      const cached = entries.get(key);
      if (cached && cached.expiresAt > now()) return cached.value;
      entries.delete(key);
      const value = options.load(key);
      entries.set(key, { expiresAt: now() + options.ttlMs, value });
      value.catch(() => {
        if (entries.get(key)?.value === value) entries.delete(key);
      });
      if (entries.size > maxEntries) {
        const oldest = entries.keys().next();
        if (!oldest.done) entries.delete(oldest.value);
      }
      return value;
    },
  };
}
