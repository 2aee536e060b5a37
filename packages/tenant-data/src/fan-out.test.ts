import { describe, expect, it } from 'vitest';
import { fanOutQuery, type ShardQuery } from './fan-out.js';
import type { ShardCursor } from './page-token.js';

/** Shards of sorted items; each query answers at most `limit` items (or fewer, when `pageCap` says). */
function shards(contents: string[][], pageCap = Number.POSITIVE_INFINITY) {
  const queried: number[] = [];
  const query: ShardQuery = async (shard, after, limit) => {
    queried.push(shard);
    const rest = (contents[shard] ?? []).filter((sk) => after === undefined || sk > after).sort();
    const items = rest.slice(0, Math.min(limit, pageCap)).map((sk) => ({ sk }));
    const more = rest.length > items.length;
    return more ? { items, lastSk: items.at(-1)?.sk as string } : { items };
  };
  return { query, queried };
}

async function readAll(contents: string[][], limit: number, pageCap?: number) {
  const { query, queried } = shards(contents, pageCap);
  const pages: string[][] = [];
  let cursors: ShardCursor[] | undefined;
  do {
    const page: { items: Record<string, unknown>[]; cursors?: ShardCursor[] } = await fanOutQuery(
      contents.length,
      cursors,
      limit,
      query,
    );
    pages.push(page.items.map((item) => item.sk as string));
    cursors = page.cursors;
    if (pages.length > 50) throw new Error('no progress');
  } while (cursors);
  return { pages, queried };
}

describe('fanOutQuery', () => {
  it('pages through every shard in one sort-key order, each item once', async () => {
    const { pages } = await readAll([['b', 'e'], ['a'], [], ['c', 'd']], 2);
    expect(pages).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('ends without an empty last page when the last page takes everything', async () => {
    const { pages } = await readAll(
      [
        ['a', 'c'],
        ['b', 'd'],
      ],
      2,
    );
    expect(pages).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
  });

  it('never takes items past what an unfinished shard has returned', async () => {
    // Shard 0 answers one item at a time (as DynamoDB does past 1 MB): 'b' must not come before 'a2'.
    const { pages } = await readAll(
      [
        ['a1', 'a2', 'a3'],
        ['b', 'c'],
      ],
      3,
      1,
    );
    expect(pages.flat()).toEqual(['a1', 'a2', 'a3', 'b', 'c']);
  });

  it('does not query a shard that is done', async () => {
    const { query, queried } = shards([['a'], ['b', 'c', 'd']]);
    const first = await fanOutQuery(2, undefined, 2, query);
    expect(first.cursors?.[0]).toEqual({ done: true });
    queried.length = 0;
    await fanOutQuery(2, first.cursors, 2, query);
    expect(queried).toEqual([1]);
  });

  it('answers an empty page without cursors for a tenant without items', async () => {
    await expect(fanOutQuery(4, undefined, 25, shards([[], [], [], []]).query)).resolves.toEqual({
      items: [],
    });
  });

  it('refuses cursors of another shard layout', async () => {
    await expect(fanOutQuery(4, [{}, {}], 2, shards([[], [], [], []]).query)).rejects.toThrow(TypeError);
  });
});
