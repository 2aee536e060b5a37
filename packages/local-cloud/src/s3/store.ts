/**
 * A small local S3: buckets and objects kept as files, for templates (`TemplateURL`) and function
 * artifacts. Objects outlive the process when the store's folder is the data folder.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface StoredObject {
  key: string;
  size: number;
  etag: string;
  lastModified: Date;
  contentType: string;
}

export interface ObjectStore {
  createBucket(bucket: string): void;
  deleteBucket(bucket: string): void;
  hasBucket(bucket: string): boolean;
  put(bucket: string, key: string, body: Buffer, contentType?: string): StoredObject;
  get(bucket: string, key: string): { body: Buffer; object: StoredObject } | undefined;
  /** The file holding an object (function code is unpacked from it). */
  path(bucket: string, key: string): string | undefined;
  head(bucket: string, key: string): StoredObject | undefined;
  delete(bucket: string, key: string): void;
  list(bucket: string, prefix?: string): StoredObject[];
}

export class NoSuchBucketError extends Error {
  override name = 'NoSuchBucketError';
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function createObjectStore(rootDir: string): ObjectStore {
  mkdirSync(rootDir, { recursive: true });
  const bucketDir = (bucket: string) => join(rootDir, bucket);
  const objectFile = (bucket: string, key: string) => join(bucketDir(bucket), encodeURIComponent(key));
  const metaFile = (bucket: string, key: string) => `${objectFile(bucket, key)}.meta.json`;
  const requireBucket = (bucket: string) => {
    if (!existsSync(bucketDir(bucket)))
      throw new NoSuchBucketError(`The specified bucket ${bucket} does not exist`);
  };
  const head = (bucket: string, key: string): StoredObject | undefined => {
    const file = objectFile(bucket, key);
    if (!existsSync(file)) return undefined;
    const meta = existsSync(metaFile(bucket, key))
      ? (JSON.parse(readFileSync(metaFile(bucket, key), 'utf8')) as { etag: string; contentType: string })
      : undefined;
    const info = statSync(file);
    return {
      key,
      size: info.size,
      etag: meta?.etag ?? '',
      lastModified: info.mtime,
      contentType: meta?.contentType ?? 'binary/octet-stream',
    };
  };
  return {
    createBucket(bucket) {
      if (!BUCKET_NAME.test(bucket)) throw new Error(`bucket name ${bucket} is not valid`);
      mkdirSync(bucketDir(bucket), { recursive: true });
    },
    deleteBucket(bucket) {
      rmSync(bucketDir(bucket), { recursive: true, force: true });
    },
    hasBucket: (bucket) => existsSync(bucketDir(bucket)),
    put(bucket, key, body, contentType = 'binary/octet-stream') {
      requireBucket(bucket);
      const etag = `"${createHash('md5').update(body).digest('hex')}"`;
      writeFileSync(objectFile(bucket, key), body);
      writeFileSync(metaFile(bucket, key), JSON.stringify({ etag, contentType }));
      return head(bucket, key) as StoredObject;
    },
    get(bucket, key) {
      requireBucket(bucket);
      const object = head(bucket, key);
      return object ? { body: readFileSync(objectFile(bucket, key)), object } : undefined;
    },
    path(bucket, key) {
      return existsSync(objectFile(bucket, key)) ? objectFile(bucket, key) : undefined;
    },
    head,
    delete(bucket, key) {
      rmSync(objectFile(bucket, key), { force: true });
      rmSync(metaFile(bucket, key), { force: true });
    },
    list(bucket, prefix = '') {
      requireBucket(bucket);
      return readdirSync(bucketDir(bucket))
        .filter((name) => !name.endsWith('.meta.json'))
        .map((name) => decodeURIComponent(name))
        .filter((key) => key.startsWith(prefix))
        .sort()
        .map((key) => head(bucket, key) as StoredObject);
    },
  };
}
