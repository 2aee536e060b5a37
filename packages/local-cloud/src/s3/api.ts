/**
 * The S3 REST API (path-style addressing) over the local object store: buckets, PutObject,
 * GetObject, HeadObject, DeleteObject and ListObjectsV2, as `@aws-sdk/client-s3` speaks them
 * with `forcePathStyle: true`.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpHandler } from '../types.js';
import { xmlEscape } from '../xml.js';
import { NoSuchBucketError, type ObjectStore } from './store.js';

function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { 'content-type': 'application/xml', 'x-amz-request-id': randomUUID() });
  res.end(
    `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message></Error>`,
  );
}

/** Decodes `aws-chunked` bodies (streaming SigV4 or trailing checksums) into the plain payload. */
export function decodeAwsChunked(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', offset);
    if (lineEnd < 0) break;
    const size = Number.parseInt(body.subarray(offset, lineEnd).toString().split(';')[0] ?? '', 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const chunked =
    String(req.headers['content-encoding'] ?? '').includes('aws-chunked') ||
    String(req.headers['x-amz-content-sha256'] ?? '').startsWith('STREAMING-');
  return chunked ? decodeAwsChunked(body) : body;
}

export function createS3Api(store: ObjectStore): HttpHandler {
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://local');
    const [, bucket = '', ...rest] = url.pathname.split('/');
    const key = decodeURIComponent(rest.join('/'));
    try {
      if (!bucket)
        return sendError(
          res,
          400,
          'InvalidRequest',
          'use path-style requests (forcePathStyle: true) against the local cloud',
        );
      if (!key) {
        if (req.method === 'PUT') {
          store.createBucket(bucket);
          res.writeHead(200, { location: `/${bucket}` });
          return void res.end();
        }
        if (req.method === 'DELETE') {
          if (store.list(bucket).length > 0)
            return sendError(res, 409, 'BucketNotEmpty', 'The bucket you tried to delete is not empty');
          store.deleteBucket(bucket);
          res.writeHead(204);
          return void res.end();
        }
        if (req.method === 'HEAD') {
          res.writeHead(store.hasBucket(bucket) ? 200 : 404);
          return void res.end();
        }
        if (req.method === 'GET') {
          const prefix = url.searchParams.get('prefix') ?? '';
          const objects = store.list(bucket, prefix);
          const contents = objects
            .map(
              (o) =>
                `<Contents><Key>${xmlEscape(o.key)}</Key><LastModified>${o.lastModified.toISOString()}</LastModified><ETag>${xmlEscape(o.etag)}</ETag><Size>${o.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`,
            )
            .join('');
          res.writeHead(200, { 'content-type': 'application/xml' });
          return void res.end(
            `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${xmlEscape(bucket)}</Name><Prefix>${xmlEscape(prefix)}</Prefix><KeyCount>${objects.length}</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>${contents}</ListBucketResult>`,
          );
        }
      } else {
        if (req.method === 'PUT') {
          const object = store.put(bucket, key, await readBody(req), req.headers['content-type']);
          res.writeHead(200, { etag: object.etag });
          return void res.end();
        }
        if (req.method === 'GET' || req.method === 'HEAD') {
          const found = store.get(bucket, key);
          if (!found) return sendError(res, 404, 'NoSuchKey', 'The specified key does not exist.');
          res.writeHead(200, {
            'content-type': found.object.contentType,
            'content-length': found.object.size,
            etag: found.object.etag,
            'last-modified': found.object.lastModified.toUTCString(),
          });
          return void res.end(req.method === 'GET' ? found.body : undefined);
        }
        if (req.method === 'DELETE') {
          store.delete(bucket, key);
          res.writeHead(204);
          return void res.end();
        }
      }
      sendError(res, 405, 'MethodNotAllowed', `${req.method} is not supported here by the local S3`);
    } catch (error) {
      if (error instanceof NoSuchBucketError) return sendError(res, 404, 'NoSuchBucket', error.message);
      sendError(res, 400, 'InvalidRequest', error instanceof Error ? error.message : String(error));
    }
  };
}
