import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from '../http.js';
import type { HttpHandler } from '../types.js';
import { InvalidRequestContentError, LambdaServiceError, RequestTooLargeError } from './errors.js';
import type { LambdaRuntimeCore } from './runtime.js';

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?$/;
/** Lambda's payload quotas: 6 MB for synchronous invocations, 1 MB for asynchronous ones. */
const SYNC_PAYLOAD_LIMIT = 6 * 1024 * 1024;
const EVENT_PAYLOAD_LIMIT = 1024 * 1024;

/** Serves Lambda's `Invoke` (REST JSON protocol) as `@aws-sdk/client-lambda` calls it. */
export function createInvokeHandler(core: LambdaRuntimeCore): HttpHandler {
  return async (req, res) => {
    try {
      await route(core, req, res);
    } catch (err) {
      sendServiceError(res, err);
    }
  };
}

async function route(core: LambdaRuntimeCore, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const match = INVOKE_PATH.exec(url.pathname);
  if (!match?.[1] || req.method !== 'POST') {
    req.resume();
    send(res, 404, { 'x-amzn-ErrorType': 'UnknownOperationException' }, { message: 'Unknown operation' });
    return;
  }
  const qualifier = url.searchParams.get('Qualifier');
  const name = decodeURIComponent(match[1]);
  const reference = qualifier ? `${name}:${qualifier}` : name;
  const invocationType = headerValue(req, 'x-amz-invocation-type') ?? 'RequestResponse';
  if (invocationType !== 'RequestResponse' && invocationType !== 'Event' && invocationType !== 'DryRun') {
    req.resume();
    throw new LambdaServiceError(
      'InvalidParameterValueException',
      400,
      `1 validation error detected: Value '${invocationType}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]`,
    );
  }
  const limit = invocationType === 'Event' ? EVENT_PAYLOAD_LIMIT : SYNC_PAYLOAD_LIMIT;
  const body = await readBody(req, limit);
  if (!body)
    throw new RequestTooLargeError(
      `Request must be smaller than ${limit} bytes for the InvokeFunction operation`,
    );
  const event = parsePayload(body);

  if (invocationType === 'DryRun') {
    // DryRun only checks that the function exists and the caller may invoke it.
    core.assertExists(reference);
    send(res, 204, {}, undefined);
    return;
  }
  if (invocationType === 'Event') {
    const { requestId } = core.invokeEvent(reference, event);
    send(res, 202, { 'x-amzn-RequestId': requestId }, undefined);
    return;
  }
  const { requestId, executedVersion, result } = await core.invokeDetailed(reference, event);
  const headers: Record<string, string> = {
    'x-amzn-RequestId': requestId,
    'X-Amz-Executed-Version': executedVersion,
  };
  if (result.ok) send(res, 200, headers, result.payload ?? null);
  else send(res, 200, { ...headers, 'X-Amz-Function-Error': 'Unhandled' }, result.error);
}

function parsePayload(body: Buffer): unknown {
  if (body.length === 0) return {};
  const text = body.toString('utf8');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new InvalidRequestContentError(
      `Could not parse request body into json: Could not parse payload into json: ${(err as Error).message}`,
      err,
    );
  }
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function sendServiceError(res: ServerResponse, err: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (err instanceof LambdaServiceError) {
    const body: Record<string, string> = { Type: 'User', message: err.message };
    if (err.reason) body.Reason = err.reason;
    send(res, err.statusCode, { 'x-amzn-ErrorType': err.code }, body);
    return;
  }
  // Never serialise a raw error: log it, answer a generic service error.
  console.error('[lambda] Invoke failed:', err);
  send(res, 500, { 'x-amzn-ErrorType': 'ServiceException' }, { Type: 'Service', message: 'Internal error' });
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: unknown): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}
