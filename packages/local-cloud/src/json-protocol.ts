/**
 * The AWS JSON protocol (`POST /` with `X-Amz-Target: <Prefix>.<Operation>`, errors as
 * `{__type, message}` with `x-amzn-ErrorType`) that Cognito, Step Functions and SSM speak.
 */
import type { ServerResponse } from 'node:http';
import { AwsServiceError } from './errors.js';
import { readBody, sendJson } from './http.js';
import type { HttpHandler } from './types.js';

export interface JsonProtocolOptions {
  /** The service as its errors name it, e.g. `Step Functions`. */
  service: string;
  /** What `X-Amz-Target` starts with before the operation, e.g. `AmazonSSM.`. */
  targetPrefix: string;
  /** The protocol version, which names the content type (`application/x-amz-json-1.1`). */
  version: '1.0' | '1.1';
  maxBodyBytes: number;
  /** The `__type` of the 500 answered when an operation throws anything but an {@link AwsServiceError}. */
  internalErrorType: string;
  /** Runs an operation; an {@link AwsServiceError} it throws is answered as is. */
  call(operation: string, input: Record<string, unknown>): unknown;
}

/**
 * Serves an AWS JSON protocol API: parses the body as a JSON object, runs the operation named by
 * `X-Amz-Target` and answers its result, or the error as `{__type, message}` with `x-amzn-ErrorType`.
 * Anything else than an {@link AwsServiceError} is logged to stderr and answered as a bare 500.
 *
 * @example
 * const handle = createJsonProtocolHandler({
 *   service: 'SSM',
 *   targetPrefix: 'AmazonSSM.',
 *   version: '1.1',
 *   maxBodyBytes: 1024 * 1024,
 *   internalErrorType: 'InternalServerError',
 *   call: (operation, input) => operations[operation](deps, input),
 * });
 */
export function createJsonProtocolHandler(options: JsonProtocolOptions): HttpHandler {
  const contentType = { 'content-type': `application/x-amz-json-${options.version}` };
  const sendError = (res: ServerResponse, error: AwsServiceError) =>
    sendJson(
      res,
      error.statusCode,
      { __type: error.type, message: error.message },
      { ...contentType, 'x-amzn-errortype': error.type },
    );
  return async (req, res) => {
    try {
      if (req.method !== 'POST') {
        throw new AwsServiceError('UnknownOperationException', `${options.service} only answers POST /`, {
          statusCode: 404,
        });
      }
      const target = String(req.headers['x-amz-target'] ?? '');
      const input = parseObject(await readBody(req, options.maxBodyBytes));
      if (!target.startsWith(options.targetPrefix)) {
        throw new AwsServiceError('UnknownOperationException', `Unknown X-Amz-Target: ${target || '(none)'}`);
      }
      sendJson(res, 200, await options.call(target.slice(options.targetPrefix.length), input), contentType);
    } catch (error) {
      if (error instanceof AwsServiceError) {
        sendError(res, error);
        return;
      }
      process.stderr.write(
        `${options.service} emulator: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      sendError(
        res,
        new AwsServiceError(options.internalErrorType, 'Internal server error.', { statusCode: 500 }),
      );
    }
  };
}

function parseObject(body: Buffer | undefined): Record<string, unknown> {
  if (!body) throw new AwsServiceError('SerializationException', 'Request body too large');
  const text = body.toString('utf8');
  let input: unknown;
  try {
    input = text.trim() === '' ? {} : JSON.parse(text);
  } catch (cause) {
    throw new AwsServiceError('SerializationException', 'The request body is not valid JSON', { cause });
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new AwsServiceError('SerializationException', 'The request body must be a JSON object');
  }
  return input as Record<string, unknown>;
}
