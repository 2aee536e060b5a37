import { randomBytes } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { productKey } from '@tenantry/data';
import { BadRequestError } from '@tenantry/tenant-middleware';
import { describe, expect, it } from 'vitest';
import { buildPageTokens } from './page-token.js';
import { buildTenantScopedClient } from './scoped-client.js';
import { buildTenantTable, type TenantTableOptions } from './tenant-table.js';

type Item = Record<string, unknown>;
const conditionFailed = () => Object.assign(new Error('failed'), { name: 'ConditionalCheckFailedException' });

/** The few DynamoDB behaviours the tenant table relies on, in memory. */
function memoryDocumentClient() {
  const items = new Map<string, Item>();
  const id = (key: Item) => `${key.pk}|${key.sk}`;
  return {
    items,
    async send(command: { input: Item }) {
      const input = command.input;
      if (command instanceof GetCommand) return { Item: items.get(id(input.Key as Item)) };
      if (command instanceof PutCommand) {
        if (input.ConditionExpression === 'attribute_not_exists(pk)' && items.has(id(input.Item as Item)))
          throw conditionFailed();
        items.set(id(input.Item as Item), { ...(input.Item as Item) });
        return {};
      }
      if (command instanceof DeleteCommand) {
        if (!items.delete(id(input.Key as Item))) throw conditionFailed();
        return {};
      }
      if (command instanceof UpdateCommand) {
        const current = items.get(id(input.Key as Item));
        if (!current) throw conditionFailed();
        const names = input.ExpressionAttributeNames as Record<string, string>;
        const values = (input.ExpressionAttributeValues ?? {}) as Item;
        const [, set = '', remove = ''] =
          /^(?:SET (.*?))?(?: ?REMOVE (.*))?$/.exec(String(input.UpdateExpression)) ?? [];
        for (const assignment of set.split(', ').filter(Boolean)) {
          const [name, value] = assignment.split(' = ') as [string, string];
          current[names[name] as string] = values[value];
        }
        for (const name of remove.split(', ').filter(Boolean)) delete current[names[name] as string];
        return { Attributes: { ...current } };
      }
      if (command instanceof QueryCommand) {
        const values = input.ExpressionAttributeValues as Item;
        const after = (input.ExclusiveStartKey as Item | undefined)?.sk as string | undefined;
        const matching = [...items.values()]
          .filter(
            (item) => item.pk === values[':pk'] && String(item.sk).startsWith(values[':prefix'] as string),
          )
          .filter((item) => after === undefined || (item.sk as string) > after)
          .sort((a, b) => ((a.sk as string) < (b.sk as string) ? -1 : 1));
        const page = matching.slice(0, input.Limit as number);
        return page.length < matching.length
          ? { Items: page, LastEvaluatedKey: { pk: values[':pk'], sk: page.at(-1)?.sk } }
          : { Items: page };
      }
      throw new Error('not supported by the fake');
    },
  };
}

const pageKey = randomBytes(32);
const pageTokens = buildPageTokens(async () => pageKey);

function table(
  tenantId: string,
  memory = memoryDocumentClient(),
  options: TenantTableOptions = { shardCount: 4, pageTokens },
) {
  const scoped = buildTenantScopedClient(memory as never, {
    tenantId,
    shardCount: 4,
    notFoundMessage: 'product not found',
  });
  return { memory, table: buildTenantTable(scoped, 'products', options) };
}

describe('buildTenantTable', () => {
  it('creates an item once and reads it back without its key attributes', async () => {
    const { table: acme } = table('acme');
    const key = productKey('acme', 'p1');
    expect(await acme.create({ ...key, productId: 'p1', name: 'Pen' })).toBe(true);
    expect(await acme.create({ ...key, productId: 'p1', name: 'Other' })).toBe(false);
    expect(await acme.get(key)).toEqual({ productId: 'p1', name: 'Pen' });
  });

  it('updates an existing item and never creates a missing one', async () => {
    const { table: acme, memory } = table('acme');
    const key = productKey('acme', 'p1');
    await acme.create({ ...key, name: 'Pen', stock: 3 });
    expect(await acme.update(key, { set: { name: 'Ink pen' }, remove: ['stock'] })).toEqual({
      name: 'Ink pen',
    });
    expect(await acme.update(productKey('acme', 'p2'), { set: { name: 'Ghost' } })).toBeUndefined();
    expect(memory.items.size).toBe(1);
  });

  it('deletes an existing item and says so when it was missing', async () => {
    const { table: acme } = table('acme');
    const key = productKey('acme', 'p1');
    await acme.create({ ...key, name: 'Pen' });
    expect(await acme.delete(key)).toBe(true);
    expect(await acme.delete(key)).toBe(false);
  });

  it('reads and writes without page tokens but refuses to list, naming the missing option', async () => {
    const { table: acme } = table('acme', memoryDocumentClient(), { shardCount: 4 });
    const key = productKey('acme', 'p1');
    expect(await acme.create({ ...key, productId: 'p1', name: 'Pen' })).toBe(true);
    expect(await acme.update(key, { set: { name: 'Ink pen' } })).toEqual({
      productId: 'p1',
      name: 'Ink pen',
    });
    expect(await acme.get(key)).toEqual({ productId: 'p1', name: 'Ink pen' });
    // One page, no token to seal or open: it still refuses, so a missing option shows at once.
    const listing = acme.list({ skPrefix: 'PRODUCT#', limit: 25, query: 'q' });
    await expect(listing).rejects.toBeInstanceOf(TypeError);
    await expect(listing).rejects.toThrow('list needs the pageTokens option of the tenant table');
    expect(await acme.delete(key)).toBe(true);
  });

  it("lists only the tenant's items over every shard, in sort-key order, page by page", async () => {
    const memory = memoryDocumentClient();
    const { table: acme } = table('acme', memory);
    const { table: other } = table('acme-corp', memory);
    const ids = ['p5', 'p1', 'p4', 'p2', 'p3'];
    for (const id of ids) await acme.create({ ...productKey('acme', id), productId: id });
    await other.create({ ...productKey('acme-corp', 'p0'), productId: 'p0' });
    expect(new Set(ids.map((id) => productKey('acme', id).pk)).size).toBeGreaterThan(1);

    const pages: unknown[][] = [];
    let nextToken: string | undefined;
    do {
      const page: { items: Item[]; nextToken?: string } = await acme.list({
        skPrefix: 'PRODUCT#',
        limit: 2,
        query: 'q',
        ...(nextToken ? { nextToken } : {}),
      });
      pages.push(page.items.map((item) => item.productId));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(pages).toEqual([['p1', 'p2'], ['p3', 'p4'], ['p5']]);
  });

  it("refuses another tenant's page token and a token of another query", async () => {
    const memory = memoryDocumentClient();
    const { table: acme } = table('acme', memory);
    const { table: other } = table('acme-corp', memory);
    for (const id of ['p1', 'p2', 'p3']) {
      await acme.create({ ...productKey('acme', id) });
      await other.create({ ...productKey('acme-corp', id) });
    }
    const { nextToken } = await other.list({ skPrefix: 'PRODUCT#', limit: 1, query: 'q' });
    await expect(
      acme.list({ skPrefix: 'PRODUCT#', limit: 1, query: 'q', nextToken: nextToken as string }),
    ).rejects.toThrow(BadRequestError);
    const own = await acme.list({ skPrefix: 'PRODUCT#', limit: 1, query: 'q' });
    await expect(
      acme.list({ skPrefix: 'PRODUCT#', limit: 1, query: 'q2', nextToken: own.nextToken as string }),
    ).rejects.toThrow(BadRequestError);
  });
});
