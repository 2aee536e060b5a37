/** Reading requests and answering JSON, as the emulators' AWS APIs do. */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';

/**
 * The request body, or undefined when it is longer than `maxBytes`; the rest of a long body is read
 * and dropped, so that the client still receives the answer.
 *
 * @example
 * const body = await readBody(req, 1024 * 1024);
 * if (!body) throw badRequest('Request body too large');
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > maxBytes ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * Answers `body` as JSON (`application/json` unless `headers` name another content type) with a
 * fresh `x-amzn-requestid`; an undefined body is sent empty.
 *
 * @example
 * sendJson(res, 404, { message: 'Not found' }, { 'x-amzn-errortype': 'NotFoundException' });
 */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const json = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(json),
    'x-amzn-requestid': randomUUID(),
    ...headers,
  });
  res.end(json);
}

/**
 * The request again, for a handler after its body was read (to verify its signature): the same
 * method, URL, headers and socket, with the body to read once more.
 *
 * @example
 * const body = await readBody(req, 1024 * 1024);
 * if (body) await handler(replayRequest(req, body), res);
 */
export function replayRequest(req: IncomingMessage, body: Buffer): IncomingMessage {
  const replay = Readable.from(body.length > 0 ? [body] : [], { objectMode: false });
  return Object.assign(replay, {
    method: req.method,
    url: req.url,
    headers: req.headers,
    rawHeaders: req.rawHeaders,
    httpVersion: req.httpVersion,
    socket: req.socket,
    connection: req.socket,
  }) as unknown as IncomingMessage;
}
