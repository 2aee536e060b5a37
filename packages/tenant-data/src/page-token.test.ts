import { randomBytes } from 'node:crypto';
import type { JsonClient } from '@tenantry/lambda-aws';
import { BadRequestError } from '@tenantry/tenant-middleware';
import { describe, expect, it } from 'vitest';
import { buildPageTokens, buildSsmKeySource } from './page-token.js';

const key = randomBytes(32);
const tokens = buildPageTokens(async () => key);
const acme = { tenantId: 'acme', query: 'GET /products?limit=2' };
const cursors = [{ after: 'PRODUCT#01' }, { done: true as const }, {}, { after: 'PRODUCT#07' }];

const fieldOf = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BadRequestError);
  return { field: (error as BadRequestError).field, message: (error as Error).message };
};

describe('page tokens', () => {
  it('gives back the shard positions it sealed, for the same tenant and query', async () => {
    const token = await tokens.seal(acme, cursors);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(token).not.toContain('PRODUCT');
    await expect(tokens.open(acme, token)).resolves.toEqual(cursors);
  });

  it("refuses another tenant's token naming nextToken", async () => {
    const token = await tokens.seal({ tenantId: 'acme-corp', query: acme.query }, cursors);
    expect(await fieldOf(tokens.open(acme, token))).toEqual({
      field: 'nextToken',
      message: 'nextToken is not valid for this query',
    });
  });

  it('refuses a token of another query (another limit)', async () => {
    const token = await tokens.seal({ tenantId: 'acme', query: 'GET /products?limit=3' }, cursors);
    expect((await fieldOf(tokens.open(acme, token))).field).toBe('nextToken');
  });

  it('refuses a token with any byte changed', async () => {
    const bytes = Buffer.from(await tokens.seal(acme, cursors), 'base64url');
    for (const index of [0, 5, 20, bytes.length - 1]) {
      const tampered = Buffer.from(bytes);
      tampered[index] = (tampered[index] as number) ^ 0x01;
      expect((await fieldOf(tokens.open(acme, tampered.toString('base64url')))).field).toBe('nextToken');
    }
  });

  it('refuses a token sealed with another key', async () => {
    const forged = await buildPageTokens(async () => randomBytes(32)).seal(acme, [{ after: 'PRODUCT#99' }]);
    expect((await fieldOf(tokens.open(acme, forged))).field).toBe('nextToken');
  });

  it.each([
    '',
    'garbage',
    'not base64!',
    Buffer.from(JSON.stringify(cursors)).toString('base64url'),
    'A'.repeat(5000),
  ])('refuses the garbage token %j', async (token) => {
    expect((await fieldOf(tokens.open(acme, token))).field).toBe('nextToken');
  });
});

describe('buildSsmKeySource', () => {
  const ssm = (values: (string | Error)[]) => {
    const calls: { operation: string; input: object }[] = [];
    const client: JsonClient = {
      call: async <T>(operation: string, input: object) => {
        calls.push({ operation, input });
        const value = values.shift();
        if (value instanceof Error) throw value;
        return { Parameter: { Value: value } } as T;
      },
    };
    return { calls, client };
  };

  it('reads the key once, decrypted, and keeps it', async () => {
    const { client, calls } = ssm([key.toString('base64')]);
    const source = buildSsmKeySource('/tenantry/dev/page-token-key', { client });
    expect(Buffer.from(await source()).equals(key)).toBe(true);
    await source();
    expect(calls).toEqual([
      { operation: 'GetParameter', input: { Name: '/tenantry/dev/page-token-key', WithDecryption: true } },
    ]);
  });

  it('reads again after a failure', async () => {
    const { client, calls } = ssm([new Error('throttled'), key.toString('base64')]);
    const source = buildSsmKeySource('/p', { client });
    await expect(source()).rejects.toThrow('throttled');
    await expect(source()).resolves.toHaveLength(32);
    expect(calls).toHaveLength(2);
  });

  it('refuses a parameter that is not a 32-byte key', async () => {
    const { client } = ssm([randomBytes(16).toString('base64')]);
    await expect(buildSsmKeySource('/p', { client })()).rejects.toThrow(/32-byte/);
  });
});
