import { describe, expect, it } from 'vitest';
import { createTtlCache } from './ttl-cache.js';

const counting = () => {
  let now = 1_000_000;
  let loads = 0;
  const cache = createTtlCache({
    ttlMs: 3_000,
    now: () => now,
    load: async (key: string) => {
      loads += 1;
      return `${key}#${loads}`;
    },
  });
  return { cache, advance: (ms: number) => (now += ms), loads: () => loads };
};

describe('createTtlCache', () => {
  it('serves a loaded value until its TTL has passed, then loads again', async () => {
    const { cache, advance } = counting();
    expect(await cache.get('a')).toBe('a#1');
    advance(2_999);
    expect(await cache.get('a')).toBe('a#1');
    advance(1);
    expect(await cache.get('a')).toBe('a#2');
  });

  it('shares one load between concurrent misses', async () => {
    const { cache, loads } = counting();
    await Promise.all([cache.get('a'), cache.get('a'), cache.get('a')]);
    expect(loads()).toBe(1);
  });

  it('does not keep a failed load', async () => {
    let fail = true;
    const cache = createTtlCache({
      ttlMs: 3_000,
      load: async () => {
        if (fail) throw new Error('down');
        return 'ok';
      },
    });
    await expect(cache.get('a')).rejects.toThrow('down');
    fail = false;
    expect(await cache.get('a')).toBe('ok');
  });

  it('drops the oldest entries beyond its size', async () => {
    let loads = 0;
    const cache = createTtlCache({
      ttlMs: 3_000,
      maxEntries: 2,
      load: async (key: string) => {
        loads += 1;
        return key;
      },
    });
    await cache.get('a');
    await cache.get('b');
    await cache.get('c');
    await cache.get('a');
    expect(loads).toBe(4);
  });
});
