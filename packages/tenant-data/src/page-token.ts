import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import {
  GetParameterCommand,
  ParameterNotFound,
  PutParameterCommand,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import { createJsonClient, type JsonClient, SSM } from '@tenantry/lambda-aws';
import { BadRequestError } from '@tenantry/tenant-middleware';

/** Where one shard's listing stands: after the sort key `after`, or `done`. */
export interface ShardCursor {
  after?: string;
  done?: true;
}

/** What a page token is bound to: the tenant and the query (route, filters, limit, shards). */
export interface PageBinding {
  tenantId: string;
  query: string;
}

/** Seals the per-shard positions of a listing into an opaque `nextToken`, and opens it again. */
export interface PageTokens {
  seal(binding: PageBinding, cursors: ShardCursor[]): Promise<string>;
  /** The cursors of a token sealed for exactly this binding; a 400 naming `nextToken` otherwise. */
  open(binding: PageBinding, token: string): Promise<ShardCursor[]>;
}

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const MAX_TOKEN_LENGTH = 4096;
const TOKEN_TEXT = /^[A-Za-z0-9_-]+$/;

const invalidToken = (cause?: unknown) =>
  new BadRequestError('nextToken is not valid for this query', {
    field: 'nextToken',
    ...(cause ? { cause } : {}),
  });

const additionalData = ({ tenantId, query }: PageBinding) =>
  Buffer.from(JSON.stringify(['tenantry-page', VERSION, tenantId, query]), 'utf8');

const isCursor = (value: unknown): value is ShardCursor => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { after, done, ...rest } = value as Record<string, unknown>;
  return (
    Object.keys(rest).length === 0 &&
    (after === undefined || typeof after === 'string') &&
    (done === undefined || done === true)
  );
};

/**
 * Page tokens sealed with AES-256-GCM: `base64url(version | iv | tag | ciphertext)`, the tenant id
 * and the query as additional authenticated data. A token of another tenant or another query, a
 * tampered or a garbage token fails authentication and is a 400 naming `nextToken`.
 *
 * @example
 * ```ts
 * const pageTokens = buildPageTokens(buildSsmKeySource(config.pageTokenKeyParameter));
 * const nextToken = await pageTokens.seal({ tenantId, query: 'GET /products?limit=25' }, cursors);
 * ```
 */
export function buildPageTokens(key: () => Promise<Uint8Array>): PageTokens {
  return {
    async seal(binding, cursors) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', await key(), iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(additionalData(binding));
      const ciphertext = Buffer.concat([cipher.update(JSON.stringify(cursors), 'utf8'), cipher.final()]);
      return Buffer.concat([Buffer.of(VERSION), iv, cipher.getAuthTag(), ciphertext]).toString('base64url');
    },
    async open(binding, token) {
      if (token.length > MAX_TOKEN_LENGTH || !TOKEN_TEXT.test(token)) throw invalidToken();
      const bytes = Buffer.from(token, 'base64url');
      if (bytes.length <= 1 + IV_BYTES + TAG_BYTES || bytes[0] !== VERSION) throw invalidToken();
      const secret = await key();
      let text: string;
      try {
        const decipher = createDecipheriv('aes-256-gcm', secret, bytes.subarray(1, 1 + IV_BYTES), {
          authTagLength: TAG_BYTES,
        });
        decipher.setAAD(additionalData(binding));
        decipher.setAuthTag(bytes.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES));
        text = Buffer.concat([
          decipher.update(bytes.subarray(1 + IV_BYTES + TAG_BYTES)),
          decipher.final(),
        ]).toString('utf8');
      } catch (cause) {
        throw invalidToken(cause);
      }
      const cursors: unknown = JSON.parse(text);
      if (!Array.isArray(cursors) || !cursors.every(isCursor)) throw invalidToken();
      return cursors;
    },
  };
}

/**
 * The page-token key from SSM Parameter Store (a SecureString holding 32 random bytes in base64),
 * read once per container with decryption and cached; a failed read is tried again next time.
 * The read is one `GetParameter` through the small signed JSON client of `@tenantry/lambda-aws`:
 * the SDK's SSM client would add ~85 KB to every listing function's bundle for this one call.
 *
 * @example
 * ```ts
 * const pageTokens = buildPageTokens(buildSsmKeySource('/tenantry/dev/page-token-key'));
 * ```
 */
export function buildSsmKeySource(
  parameterName: string,
  options: { client?: JsonClient } = {},
): () => Promise<Uint8Array> {
  let pending: Promise<Uint8Array> | undefined;
  const read = async (): Promise<Uint8Array> => {
    const ssm = options.client ?? createJsonClient(SSM);
    const { Parameter } = await ssm.call<{ Parameter?: { Value?: string } }>('GetParameter', {
      Name: parameterName,
      WithDecryption: true,
    });
    const key = Buffer.from(Parameter?.Value ?? '', 'base64');
    if (key.length !== 32) throw new Error(`parameter ${parameterName} does not hold a 32-byte base64 key`);
    return key;
  };
  return () => {
    pending ??= read().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}

/** SSM parameter holding a stage's page-token key. */
export const pageTokenKeyParameter = (stage: string): string => `/tenantry/${stage}/page-token-key`;

/**
 * Creates a stage's page-token key (SecureString, 32 random bytes in base64) unless it exists, so
 * that it stays the same across deploys and restarts and open tokens stay valid. The local stack
 * calls it on start; on AWS, `scripts/init-secrets.ts` runs it once per stage.
 */
export async function ensurePageTokenKey(ssm: SSMClient, stage: string): Promise<'created' | 'exists'> {
  const name = pageTokenKeyParameter(stage);
  try {
    await ssm.send(new GetParameterCommand({ Name: name }));
    return 'exists';
  } catch (error) {
    if (!(error instanceof ParameterNotFound)) throw error;
  }
  await ssm.send(
    new PutParameterCommand({
      Name: name,
      Type: 'SecureString',
      Value: randomBytes(32).toString('base64'),
      Description: 'Key that seals the nextToken of tenant listings (AES-256-GCM)',
      Overwrite: false,
    }),
  );
  return 'created';
}
