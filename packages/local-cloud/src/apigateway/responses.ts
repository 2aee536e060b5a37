/** Writing responses: gateway-generated errors (with GatewayResponse customisation) and Lambda proxy results. */
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { type RequestView, resolveValueSource } from './mapping.js';
import type { GatewayResponseType, RestApiState } from './model.js';

interface ResponseDefault {
  status: number;
  message: string | null;
  errorType: string;
}

const DEFAULTS: Record<GatewayResponseType, ResponseDefault> = {
  ACCESS_DENIED: {
    status: 403,
    message: 'User is not authorized to access this resource',
    errorType: 'AccessDeniedException',
  },
  API_CONFIGURATION_ERROR: {
    status: 500,
    message: 'Internal server error',
    errorType: 'InternalServerErrorException',
  },
  AUTHORIZER_CONFIGURATION_ERROR: {
    status: 500,
    message: null,
    errorType: 'AuthorizerConfigurationException',
  },
  AUTHORIZER_FAILURE: { status: 500, message: null, errorType: 'AuthorizerFailureException' },
  BAD_REQUEST_PARAMETERS: {
    status: 400,
    message: 'Missing required request parameters',
    errorType: 'BadRequestException',
  },
  BAD_REQUEST_BODY: { status: 400, message: 'Invalid request body', errorType: 'BadRequestException' },
  DEFAULT_4XX: { status: 400, message: 'Bad Request', errorType: 'BadRequestException' },
  DEFAULT_5XX: { status: 502, message: 'Internal server error', errorType: 'InternalServerErrorException' },
  EXPIRED_TOKEN: { status: 403, message: 'Token expired', errorType: 'ExpiredTokenException' },
  INTEGRATION_FAILURE: {
    status: 504,
    message: 'Internal server error',
    errorType: 'InternalServerErrorException',
  },
  INTEGRATION_TIMEOUT: {
    status: 504,
    message: 'Endpoint request timed out',
    errorType: 'InternalServerErrorException',
  },
  INVALID_API_KEY: { status: 403, message: 'Forbidden', errorType: 'ForbiddenException' },
  INVALID_SIGNATURE: { status: 403, message: 'Invalid signature', errorType: 'InvalidSignatureException' },
  MISSING_AUTHENTICATION_TOKEN: {
    status: 403,
    message: 'Missing Authentication Token',
    errorType: 'MissingAuthenticationTokenException',
  },
  QUOTA_EXCEEDED: { status: 429, message: 'Limit Exceeded', errorType: 'LimitExceededException' },
  REQUEST_TOO_LARGE: { status: 413, message: 'Request Too Long', errorType: 'RequestTooLongException' },
  RESOURCE_NOT_FOUND: { status: 404, message: 'Not Found', errorType: 'NotFoundException' },
  THROTTLED: { status: 429, message: 'Too Many Requests', errorType: 'TooManyRequestsException' },
  UNAUTHORIZED: { status: 401, message: 'Unauthorized', errorType: 'UnauthorizedException' },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    message: 'Unsupported Media Type',
    errorType: 'UnsupportedMediaTypeException',
  },
  WAF_FILTERED: { status: 403, message: 'Forbidden', errorType: 'ForbiddenException' },
};

export const GATEWAY_RESPONSE_TYPES = new Set(Object.keys(DEFAULTS)) as ReadonlySet<string>;

export function isGatewayResponseType(value: unknown): value is GatewayResponseType {
  return typeof value === 'string' && GATEWAY_RESPONSE_TYPES.has(value);
}

/** The ids every response carries, as AWS sends them. */
export interface ResponseIds {
  requestId: string;
  extendedRequestId: string;
}

const DEFAULT_TEMPLATE = '{"message":$context.error.messageString}';

/**
 * Sends a gateway-generated error. A GatewayResponse of the exact type wins; otherwise DEFAULT_4XX / DEFAULT_5XX
 * (whose StatusCode, when set, replaces the status of every response it stands in for, as on AWS).
 */
export function sendGatewayResponse(
  res: ServerResponse,
  api: RestApiState | undefined,
  type: GatewayResponseType,
  ids: ResponseIds,
  view: RequestView | undefined,
  message?: string | null,
  statusOverride?: number,
): void {
  const defaults = DEFAULTS[type];
  const effectiveMessage = message === undefined ? defaults.message : message;
  const baseStatus = statusOverride ?? defaults.status;
  const config =
    api?.gatewayResponses.get(type) ??
    api?.gatewayResponses.get(baseStatus >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX');
  const status = config?.statusCode ?? baseStatus;
  const headers: OutgoingHttpHeaders = {};
  let contentType = 'application/json';
  let template = DEFAULT_TEMPLATE;
  if (config) {
    for (const [name, source] of config.headers) {
      const value = view
        ? resolveValueSource(source, view)
        : source.kind === 'literal'
          ? source.value
          : undefined;
      if (value !== undefined) headers[name] = value;
    }
    const chosen = pickTemplate(config.templates);
    if (chosen) [contentType, template] = chosen;
  }
  const body = renderTemplate(
    template,
    {
      error: {
        message: effectiveMessage ?? '',
        messageString: JSON.stringify(effectiveMessage),
        responseType: type,
      },
      requestId: ids.requestId,
      extendedRequestId: ids.extendedRequestId,
      ...view?.context,
    },
    view?.stageVariables ?? null,
  );
  if (!hasHeader(headers, 'content-type')) headers['Content-Type'] = contentType;
  headers['x-amzn-RequestId'] = ids.requestId;
  headers['x-amzn-ErrorType'] = defaults.errorType;
  headers['x-amz-apigw-id'] = ids.extendedRequestId;
  writeResponse(res, status, headers, body, undefined);
}

function pickTemplate(templates: Record<string, string>): [string, string] | undefined {
  const json = templates['application/json'];
  if (json !== undefined) return ['application/json', json];
  for (const [contentType, template] of Object.entries(templates)) return [contentType, template];
  return undefined;
}

const VARIABLE =
  /\$!?(?:\{(context|stageVariables)\.([A-Za-z0-9_.]+)\}|(context|stageVariables)\.([A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*))/g;

/** Substitutes `$context.x.y` and `$stageVariables.x` (the only VTL API Gateway error templates usually need). */
export function renderTemplate(
  template: string,
  context: Record<string, unknown>,
  stageVariables: Record<string, string> | null,
): string {
  if (!template.includes('$')) return template;
  return template.replace(VARIABLE, (_all, braceRoot, bracePath, root, path) => {
    const rootName = (braceRoot ?? root) as string;
    const keys = ((bracePath ?? path) as string).split('.');
    let value: unknown = rootName === 'context' ? context : stageVariables;
    for (const key of keys) {
      if (value === null || typeof value !== 'object') return '';
      value = (value as Record<string, unknown>)[key];
    }
    return value === undefined || value === null ? '' : String(value);
  });
}

export interface ProxyResponse {
  statusCode: number;
  headers: OutgoingHttpHeaders;
  body: string | Buffer;
}

const PROXY_KEYS = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded']);
const DROPPED_HEADERS = new Set(['content-length', 'connection', 'transfer-encoding', 'keep-alive']);

/**
 * Maps a Lambda proxy result (payload format 1.0) to a response; undefined when it is malformed
 * (AWS: "Malformed Lambda proxy response" → 502).
 */
export function parseProxyResponse(payload: unknown): ProxyResponse | undefined {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return undefined;
  const result = payload as Record<string, unknown>;
  for (const key in result) if (!PROXY_KEYS.has(key)) return undefined;
  const statusCode = toStatus(result.statusCode);
  if (statusCode === undefined) return undefined;
  const { body, isBase64Encoded } = result;
  if (body !== undefined && body !== null && typeof body !== 'string') return undefined;
  if (isBase64Encoded !== undefined && isBase64Encoded !== null && typeof isBase64Encoded !== 'boolean')
    return undefined;
  const headers: OutgoingHttpHeaders = {};
  const seen = new Set<string>();
  const multi = result.multiValueHeaders;
  if (multi !== undefined && multi !== null) {
    if (typeof multi !== 'object' || Array.isArray(multi)) return undefined;
    for (const [name, values] of Object.entries(multi as Record<string, unknown>)) {
      if (!Array.isArray(values) || !values.every(isScalar)) return undefined;
      const lower = name.toLowerCase();
      if (DROPPED_HEADERS.has(lower)) continue;
      seen.add(lower);
      headers[name] = values.map(String);
    }
  }
  const single = result.headers;
  if (single !== undefined && single !== null) {
    if (typeof single !== 'object' || Array.isArray(single)) return undefined;
    for (const [name, value] of Object.entries(single as Record<string, unknown>)) {
      if (!isScalar(value)) return undefined;
      const lower = name.toLowerCase();
      // Values in multiValueHeaders win over the same header in headers.
      if (DROPPED_HEADERS.has(lower) || seen.has(lower)) continue;
      headers[name] = String(value);
    }
  }
  const text = typeof body === 'string' ? body : '';
  return { statusCode, headers, body: isBase64Encoded === true ? Buffer.from(text, 'base64') : text };
}

function toStatus(value: unknown): number | undefined {
  const status =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\d{3}$/.test(value)
        ? Number(value)
        : NaN;
  return Number.isInteger(status) && status >= 100 && status <= 599 ? status : undefined;
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** Compression settings of the API (MinimumCompressionSize) and the client's Accept-Encoding. */
export interface CompressionOptions {
  minimumSize: number;
  acceptEncoding: string | undefined;
}

/** Writes a complete response with a Content-Length, gzip-compressing it when the API asks for it. */
export function writeResponse(
  res: ServerResponse,
  status: number,
  headers: OutgoingHttpHeaders,
  body: string | Buffer,
  compression: CompressionOptions | undefined,
): void {
  let payload: string | Buffer = body;
  const gzip =
    compression !== undefined &&
    compression.acceptEncoding?.includes('gzip') === true &&
    Buffer.byteLength(body) >= compression.minimumSize &&
    !hasHeader(headers, 'content-encoding');
  if (gzip) {
    payload = gzipSync(body);
    headers['Content-Encoding'] = 'gzip';
  }
  headers['Content-Length'] = Buffer.byteLength(payload);
  res.writeHead(status, headers);
  res.end(payload);
}

export function hasHeader(headers: OutgoingHttpHeaders, lowerName: string): boolean {
  for (const name in headers) if (name.toLowerCase() === lowerName) return true;
  return false;
}
