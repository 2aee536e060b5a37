/**
 * AWS Signature Version 4 for the requests of the JSON-protocol client: a `POST` with a JSON body,
 * no query string, to the endpoint's path. The general signer (`@smithy/signature-v4`) handles
 * every case AWS has (query strings, double-encoded paths, presigning, chunked payloads) and costs
 * the authorizer a quarter of its cold start; this covers the one case, and its unit test checks it
 * against that signer. The local cloud verifies every signature with the SDK's canonicalisation,
 * so a mistake here fails locally as it would on AWS.
 */
import { createHash, createHmac } from 'node:crypto';

export interface SigningCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface JsonRequestToSign {
  /** `host[:port]` as sent in the `Host` header. */
  host: string;
  /** The request path, already in its wire form (`/`). */
  path: string;
  /** Lower-case names; `host`, `x-amz-date` and the session token are added. */
  headers: Record<string, string>;
  body: string;
  service: string;
  region: string;
  credentials: SigningCredentials;
  date: Date;
}

const sha256Hex = (data: string): string => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer =>
  createHmac('sha256', key).update(data, 'utf8').digest();

/** `20261129T153000Z`: ISO 8601 basic format, as `X-Amz-Date` wants it. */
export const amzDate = (date: Date): string => date.toISOString().replace(/[-:]|\.\d{3}/g, '');

const signingKeys = new Map<string, Buffer>();

function signingKey(secret: string, day: string, region: string, service: string): Buffer {
  const cacheKey = `${secret}\0${day}\0${region}\0${service}`;
  let key = signingKeys.get(cacheKey);
  if (!key) {
    key = hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), service), 'aws4_request');
    if (signingKeys.size >= 16) signingKeys.clear();
    signingKeys.set(cacheKey, key);
  }
  return key;
}

/**
 * The request's headers with `host`, `x-amz-date`, `x-amz-security-token` (with a session token)
 * and `authorization`, every header signed.
 *
 * @example
 * ```ts
 * const headers = signJsonRequest({ host, path: '/', headers: { 'content-type': 'application/x-amz-json-1.0',
 *   'x-amz-target': 'DynamoDB_20120810.GetItem' }, body, service: 'dynamodb', region, credentials, date: new Date() });
 * ```
 */
export function signJsonRequest(request: JsonRequestToSign): Record<string, string> {
  const time = amzDate(request.date);
  const day = time.slice(0, 8);
  const headers: Record<string, string> = {
    ...request.headers,
    host: request.host,
    'x-amz-date': time,
    ...(request.credentials.sessionToken ? { 'x-amz-security-token': request.credentials.sessionToken } : {}),
  };
  const names = Object.keys(headers).sort();
  const signedHeaders = names.join(';');
  const canonicalRequest = [
    'POST',
    request.path,
    '',
    ...names.map((name) => `${name}:${String(headers[name]).trim().replace(/\s+/g, ' ')}`),
    '',
    signedHeaders,
    sha256Hex(request.body),
  ].join('\n');
  const scope = `${day}/${request.region}/${request.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', time, scope, sha256Hex(canonicalRequest)].join('\n');
  const signature = createHmac(
    'sha256',
    signingKey(request.credentials.secretAccessKey, day, request.region, request.service),
  )
    .update(stringToSign, 'utf8')
    .digest('hex');
  headers.authorization =
    `AWS4-HMAC-SHA256 Credential=${request.credentials.accessKeyId}/${scope}, ` +
    `SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return headers;
}
