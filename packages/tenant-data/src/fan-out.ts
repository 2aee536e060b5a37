import type { ShardCursor } from './page-token.js';

type Item = Record<string, unknown>;

/** One shard's answer: its items in sort-key order, and the last sort key when it has more. */
export interface ShardPage {
  items: Item[];
  lastSk?: string;
}

/** Reads up to `limit` items of one shard after the sort key `after`. */
export type ShardQuery = (shard: number, after: string | undefined, limit: number) => Promise<ShardPage>;

const skOf = (item: Item): string => item.sk as string;

/**
 * A listing over every shard of a tenant, merged in one stable order (by sort key): each unfinished
 * shard is queried from its cursor for `limit + 1` items, the first `limit` of the merge (never past
 * an item that an unfinished shard has not returned yet) make the page, and each shard's cursor moves
 * past what the page took from it. `cursors` is undefined when every shard is done.
 */
export async function fanOutQuery(
  shardCount: number,
  start: readonly ShardCursor[] | undefined,
  limit: number,
  queryShard: ShardQuery,
): Promise<{ items: Item[]; cursors?: ShardCursor[] }> {
  const cursors: ShardCursor[] = start ? [...start] : Array.from({ length: shardCount }, () => ({}));
  if (cursors.length !== shardCount) throw new TypeError('cursors must have one entry per shard');
  const pages = await Promise.all(
    cursors.map((cursor, shard) =>
      cursor.done ? Promise.resolve<ShardPage>({ items: [] }) : queryShard(shard, cursor.after, limit + 1),
    ),
  );
  // An unfinished shard may hold items right after its last returned key: nothing beyond that key
  // may be taken from the other shards yet.
  const frontier = pages
    .map((page) => page.lastSk)
    .filter((sk): sk is string => sk !== undefined)
    .sort()[0];
  const merged = pages
    .flatMap((page, shard) => page.items.map((item) => ({ item, shard })))
    .filter(({ item }) => frontier === undefined || skOf(item) <= frontier)
    .sort((a, b) => (skOf(a.item) < skOf(b.item) ? -1 : skOf(a.item) > skOf(b.item) ? 1 : a.shard - b.shard))
    .slice(0, limit);

  const next = cursors.map((cursor, shard): ShardCursor => {
    if (cursor.done) return cursor;
    const page = pages[shard] as ShardPage;
    const taken = merged.filter((entry) => entry.shard === shard);
    if (page.lastSk === undefined && taken.length === page.items.length) return { done: true };
    const last = taken.at(-1);
    if (last) return { after: skOf(last.item) };
    if (page.items.length === 0 && page.lastSk !== undefined) return { after: page.lastSk };
    return cursor;
  });
  const items = merged.map(({ item }) => item);
  return next.every((cursor) => cursor.done) ? { items } : { items, cursors: next };
}
