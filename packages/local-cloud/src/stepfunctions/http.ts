/** The AWS JSON 1.0 protocol of Step Functions: `POST /` with `X-Amz-Target: AWSStepFunctions.<Op>`. */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpHandler } from '../types.js';
import { SfnServiceError } from './errors.js';
import type { OperationInput, OperationResult } from './operations.js';

const TARGET_PREFIX = 'AWSStepFunctions.';
const MAX_BODY_BYTES = 2 * 1024 * 1024;

export type Call = (operation: string, input: OperationInput) => Promise<OperationResult>;

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': Buffer.byteLength(json),
    'x-amzn-requestid': randomUUID(),
    ...headers,
  });
  res.end(json);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new SfnServiceError('SerializationException', 'Request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function createHttpHandler(call: Call): HttpHandler {
  return async (req, res) => {
    try {
      if (req.method !== 'POST')
        throw new SfnServiceError('UnknownOperationException', 'Step Functions only answers POST /', {
          statusCode: 404,
        });
      const target = String(req.headers['x-amz-target'] ?? '');
      const text = await readBody(req);
      if (!target.startsWith(TARGET_PREFIX)) {
        throw new SfnServiceError('UnknownOperationException', `Unknown X-Amz-Target: ${target || '(none)'}`);
      }
      let body: unknown;
      try {
        body = text.trim() === '' ? {} : JSON.parse(text);
      } catch (cause) {
        throw new SfnServiceError('SerializationException', 'The request body is not valid JSON', { cause });
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw new SfnServiceError('SerializationException', 'The request body must be a JSON object');
      }
      send(res, 200, await call(target.slice(TARGET_PREFIX.length), body as OperationInput));
    } catch (error) {
      if (error instanceof SfnServiceError) {
        send(
          res,
          error.statusCode,
          { __type: error.type, message: error.message },
          { 'x-amzn-errortype': error.type },
        );
        return;
      }
      process.stderr.write(
        `step functions emulator: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      send(res, 500, { __type: 'InternalServerError', message: 'Internal server error.' });
    }
  };
}
