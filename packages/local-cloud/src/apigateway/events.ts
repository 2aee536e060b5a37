/** Lambda proxy integration events (payload format 1.0) and REQUEST/TOKEN authorizer events, shaped as AWS sends them. */
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { oncePerPeriod } from '../clock.js';
import { safeDecode } from './router.js';

export interface RequestIds {
  requestId: string;
  /** Also sent as the `x-amz-apigw-id` response header. */
  extendedRequestId: string;
  traceId: string;
}

const ID_BYTES = 23;
/** Random bytes for request ids, drawn a pool at a time: one draw per request costs a system call. */
let idPool = Buffer.alloc(0);
let idOffset = 0;

export function newRequestIds(nowMs: number): RequestIds {
  if (idOffset + ID_BYTES > idPool.length) {
    idPool = randomBytes(ID_BYTES * 256);
    idOffset = 0;
  }
  const start = idOffset;
  idOffset += ID_BYTES;
  return {
    requestId: randomUUID(),
    extendedRequestId: idPool.toString('base64', start, start + 11),
    traceId: `Root=1-${Math.floor(nowMs / 1000).toString(16)}-${idPool.toString('hex', start + 11, start + ID_BYTES)}`,
  };
}

export interface RequestHeaders {
  headers: Record<string, string> | null;
  multiValueHeaders: Record<string, string[]> | null;
}

/** Headers with the client's spelling (as REST APIs pass them), plus the X-Forwarded-* headers AWS adds. */
export function collectHeaders(
  req: IncomingMessage,
  sourceIp: string,
  port: string,
  traceId: string,
): RequestHeaders {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  const raw = req.rawHeaders;
  let forwardedFor: string | undefined;
  let hasForwardedPort = false;
  let hasForwardedProto = false;
  let hasTrace = false;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    const value = raw[i + 1] as string;
    const lower = name.toLowerCase();
    if (lower === 'x-forwarded-for') {
      forwardedFor = forwardedFor === undefined ? value : `${forwardedFor}, ${value}`;
      continue;
    }
    if (lower === 'x-forwarded-port') hasForwardedPort = true;
    else if (lower === 'x-forwarded-proto') hasForwardedProto = true;
    else if (lower === 'x-amzn-trace-id') hasTrace = true;
    headers[name] = value;
    const list = multiValueHeaders[name];
    if (list) list.push(value);
    else multiValueHeaders[name] = [value];
  }
  const forwarded = forwardedFor === undefined ? sourceIp : `${forwardedFor}, ${sourceIp}`;
  headers['X-Forwarded-For'] = forwarded;
  multiValueHeaders['X-Forwarded-For'] = [forwarded];
  if (!hasForwardedPort) {
    headers['X-Forwarded-Port'] = port;
    multiValueHeaders['X-Forwarded-Port'] = [port];
  }
  if (!hasForwardedProto) {
    headers['X-Forwarded-Proto'] = 'http';
    multiValueHeaders['X-Forwarded-Proto'] = ['http'];
  }
  if (!hasTrace) {
    headers['X-Amzn-Trace-Id'] = traceId;
    multiValueHeaders['X-Amzn-Trace-Id'] = [traceId];
  }
  return { headers, multiValueHeaders };
}

export interface QueryParameters {
  query: Record<string, string> | null;
  multiQuery: Record<string, string[]> | null;
}

const NO_QUERY: QueryParameters = { query: null, multiQuery: null };

/** Parses a raw query string; names and values are URL-decoded (`+` stays `+`, as on REST APIs). */
export function parseQuery(raw: string): QueryParameters {
  if (raw === '') return NO_QUERY;
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  let any = false;
  for (const pair of raw.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = safeDecode(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? '' : safeDecode(pair.slice(eq + 1));
    query[name] = value;
    const list = multiQuery[name];
    if (list) list.push(value);
    else multiQuery[name] = [value];
    any = true;
  }
  return any ? { query, multiQuery } : NO_QUERY;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `09/Apr/2015:12:34:56 +0000` */
export const formatRequestTime = oncePerPeriod(1000, (ms) => {
  const d = new Date(ms);
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(
    d.getUTCMinutes(),
  )}:${pad(d.getUTCSeconds())} +0000`;
});

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

export interface RequestContextInput {
  accountId: string;
  apiId: string;
  stage: string;
  deploymentId: string;
  resourceId: string;
  resourcePath: string;
  httpMethod: string;
  /** `/{stage}/path` on the execute-api form; `/{basePath}/path` through a base path mapping. */
  path: string;
  protocol: string;
  host: string;
  ids: RequestIds;
  nowMs: number;
  sourceIp: string;
  userAgent: string | null;
}

/** `requestContext` without `authorizer` (added by the pipeline for custom authorizers). */
export function buildRequestContext(input: RequestContextInput): Record<string, unknown> {
  const hostName = input.host.replace(/:\d+$/, '');
  const dot = hostName.indexOf('.');
  return {
    resourceId: input.resourceId,
    resourcePath: input.resourcePath,
    httpMethod: input.httpMethod,
    extendedRequestId: input.ids.extendedRequestId,
    requestTime: formatRequestTime(input.nowMs),
    path: input.path,
    accountId: input.accountId,
    protocol: input.protocol,
    stage: input.stage,
    domainPrefix: dot === -1 ? hostName : hostName.slice(0, dot),
    requestTimeEpoch: input.nowMs,
    requestId: input.ids.requestId,
    identity: {
      cognitoIdentityPoolId: null,
      accountId: null,
      cognitoIdentityId: null,
      caller: null,
      sourceIp: input.sourceIp,
      principalOrgId: null,
      accessKey: null,
      cognitoAuthenticationType: null,
      cognitoAuthenticationProvider: null,
      userArn: null,
      userAgent: input.userAgent,
      user: null,
    },
    domainName: input.host,
    deploymentId: input.deploymentId,
    apiId: input.apiId,
  };
}

/** The request half shared by proxy events and REQUEST authorizer events. */
export interface EventRequest extends RequestHeaders, QueryParameters {
  resource: string;
  path: string;
  httpMethod: string;
  pathParameters: Record<string, string> | null;
  stageVariables: Record<string, string> | null;
}

export function buildProxyEvent(
  request: EventRequest,
  requestContext: Record<string, unknown>,
  body: string | null,
  isBase64Encoded: boolean,
): Record<string, unknown> {
  return {
    resource: request.resource,
    path: request.path,
    httpMethod: request.httpMethod,
    headers: request.headers,
    multiValueHeaders: request.multiValueHeaders,
    queryStringParameters: request.query,
    multiValueQueryStringParameters: request.multiQuery,
    pathParameters: request.pathParameters,
    stageVariables: request.stageVariables,
    requestContext,
    body,
    isBase64Encoded,
  };
}

export function buildRequestAuthorizerEvent(
  request: EventRequest,
  requestContext: Record<string, unknown>,
  methodArn: string,
): Record<string, unknown> {
  return {
    type: 'REQUEST',
    methodArn,
    resource: request.resource,
    path: request.path,
    httpMethod: request.httpMethod,
    headers: request.headers,
    multiValueHeaders: request.multiValueHeaders,
    queryStringParameters: request.query,
    multiValueQueryStringParameters: request.multiQuery,
    pathParameters: request.pathParameters,
    stageVariables: request.stageVariables,
    requestContext,
  };
}

export function buildTokenAuthorizerEvent(token: string, methodArn: string): Record<string, unknown> {
  return { type: 'TOKEN', authorizationToken: token, methodArn };
}
