/**
 * SigV4 verification as AWS does it: the signature is computed again from the request as received
 * (method, path, canonical query, the headers named in `SignedHeaders`, the payload hash) with the
 * secret of the access key, and compared with the one sent. The canonical request (path, query
 * and header canonicalisation) and the signing key come from the SDK's own signer
 * (`@smithy/signature-v4`), so what is checked here is what the SDK signs. Derived signing keys are
 * cached per key, day, region and service, as the SDKs cache them, and the hashes are Node's
 * one-shot ones: a verification costs some 15–20 µs of CPU.
 *
 * Time is the local cloud's clock: a request more than 5 minutes away from it is refused as AWS
 * refuses it (`Signature expired` / `Signature not yet current`), which the SDKs recognise as clock
 * skew and correct from the answer's `Date` header. Once a test has moved that clock ahead, real
 * time is accepted too: callers outside the local cloud (tests, scripts) cannot see the moved clock,
 * while functions run on it.
 */
import { createHmac, hash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Sha256 } from '@smithy/core/checksum';
import {
  ALGORITHM_IDENTIFIER,
  getCanonicalHeaders,
  getSigningKey,
  SignatureV4Base,
} from '@smithy/signature-v4';
import { SignatureError } from './errors.js';

/** A request as the server received it. */
export interface SignedRequest {
  method: string;
  /** The request target as sent: path and query, still percent-encoded. */
  url: string;
  /** Lower-case names, as Node gives them. */
  headers: IncomingHttpHeaders;
  /**
   * The body. Leave it out where the signed `x-amz-content-sha256` header stands for it (S3, whose
   * bodies are streamed); otherwise the payload hash is computed from it, as AWS does.
   */
  body?: Uint8Array;
}

/** What a request's signature says about its caller. */
export type Verification =
  | { status: 'unsigned' }
  /** Signed with a key the local cloud did not issue: nothing can be verified. */
  | { status: 'unknown-key'; accessKeyId: string }
  | { status: 'verified'; accessKeyId: string; sessionToken: string | undefined };

export interface SigV4VerifierOptions {
  /** The secret of an access key the local cloud issued; undefined for any other key. */
  secretOf(accessKeyId: string): string | undefined;
  /** The local cloud's clock, in milliseconds since the epoch. */
  now(): number;
  /**
   * Real time, for a clock that tests move ahead of it: a request dated within 5 minutes of either
   * is accepted (refusals name the local clock).
   */
  realNow?(): number;
  /** The region every credential scope must name. */
  region: string;
}

export interface SigV4Verifier {
  /**
   * Verifies a request signed for `service` (its SigV4 signing name, e.g. `dynamodb`,
   * `cognito-idp`). Throws {@link SignatureError} where AWS refuses the signature.
   */
  verify(request: SignedRequest, service: string): Promise<Verification>;
}

/** Five minutes either side of the server's clock, as AWS allows. */
const MAX_SKEW_MS = 5 * 60_000;
const MAX_PRESIGNED_SECONDS = 7 * 24 * 3600;
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
const LONG_DATE = /^\d{8}T\d{6}Z$/;
const HEX_SIGNATURE = /^[0-9a-f]{64}$/;
const KEY_CACHE_LIMIT = 1024;

export const SIGNATURE_MISMATCH_MESSAGE =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/** The signer's canonical request, opened up for verification. */
class CanonicalSigner extends SignatureV4Base {
  constructor(uriEscapePath: boolean) {
    super({
      service: 'verification',
      region: 'verification',
      credentials: { accessKeyId: '', secretAccessKey: '' },
      sha256: Sha256,
      uriEscapePath,
    });
  }

  canonicalRequest(
    request: CanonicalInput,
    canonicalHeaders: Record<string, string>,
    payloadHash: string,
  ): string {
    return this.createCanonicalRequest(request, canonicalHeaders, payloadHash);
  }
}

/** The parts of an HTTP request the signer reads. */
interface CanonicalInput {
  method: string;
  protocol: string;
  hostname: string;
  path: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
}

interface Authorization {
  accessKeyId: string;
  scopeDate: string;
  region: string;
  service: string;
  terminator: string;
  signedHeaders: string[];
  signature: string;
  longDate: string | undefined;
  sessionToken: string | undefined;
  /** Seconds a presigned URL stays valid; undefined for the Authorization header. */
  expiresIn: number | undefined;
}

export function createSigV4Verifier(options: SigV4VerifierOptions): SigV4Verifier {
  // S3 signs the path as sent; every other service signs it encoded once more (the SDK's default).
  const signers = { plain: new CanonicalSigner(false), escaped: new CanonicalSigner(true) };
  const signingKeys = new Map<string, Uint8Array>();

  const signingKey = async (
    accessKeyId: string,
    secretAccessKey: string,
    auth: Authorization,
  ): Promise<Uint8Array> => {
    const cacheKey = `${accessKeyId}/${auth.scopeDate}/${auth.region}/${auth.service}`;
    let key = signingKeys.get(cacheKey);
    if (!key) {
      key = await getSigningKey(
        Sha256,
        { accessKeyId, secretAccessKey },
        auth.scopeDate,
        auth.region,
        auth.service,
      );
      if (signingKeys.size >= KEY_CACHE_LIMIT) signingKeys.clear();
      signingKeys.set(cacheKey, key);
    }
    return key;
  };

  return {
    async verify(request, service) {
      const queryStart = request.url.indexOf('?');
      const path = queryStart < 0 ? request.url : request.url.slice(0, queryStart);
      const query = parseQuery(queryStart < 0 ? '' : request.url.slice(queryStart + 1));
      const auth = parseAuthorization(request.headers, query);
      if (!auth) return { status: 'unsigned' };
      const secret = options.secretOf(auth.accessKeyId);
      if (secret === undefined) return { status: 'unknown-key', accessKeyId: auth.accessKeyId };

      checkScope(auth, service, options.region);
      const longDate = auth.longDate;
      if (longDate === undefined) {
        throw new SignatureError(
          'incomplete',
          `Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=${headerText(request.headers.authorization)}`,
        );
      }
      if (!LONG_DATE.test(longDate))
        throw new SignatureError(
          'incomplete',
          `Date must be in ISO-8601 'basic format'. Got '${longDate}'. See http://en.wikipedia.org/wiki/ISO_8601`,
        );
      if (longDate.slice(0, 8) !== auth.scopeDate)
        throw new SignatureError(
          'scope',
          `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.scopeDate}' != '${longDate.slice(0, 8)}', from '${longDate}'.`,
        );
      const now = options.now();
      try {
        checkTime(longDate, auth.expiresIn, now);
      } catch (error) {
        const realNow = options.realNow?.();
        if (realNow === undefined || realNow === now) throw error;
        try {
          checkTime(longDate, auth.expiresIn, realNow);
        } catch {
          throw error;
        }
      }
      if (!auth.signedHeaders.includes('host'))
        throw new SignatureError(
          'incomplete',
          "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
        );

      const headers: Record<string, string> = {};
      for (const name of auth.signedHeaders) headers[name] = canonicalValue(name, request.headers[name]);
      const input: CanonicalInput = {
        method: request.method,
        protocol: 'http:',
        hostname: '',
        path,
        query,
        headers,
      };
      const signer = service === 's3' ? signers.plain : signers.escaped;
      const canonicalRequest = signer.canonicalRequest(input, headers, payloadHash(request, auth));
      const stringToSign = `${ALGORITHM_IDENTIFIER}\n${longDate}\n${auth.scopeDate}/${auth.region}/${auth.service}/${auth.terminator}\n${sha256Hex(canonicalRequest)}`;
      const key = await signingKey(auth.accessKeyId, secret, auth);
      const expected = createHmac('sha256', key).update(stringToSign, 'utf8').digest();
      const provided = HEX_SIGNATURE.test(auth.signature) ? Buffer.from(auth.signature, 'hex') : undefined;
      if (!provided || !timingSafeEqual(expected, provided))
        throw new SignatureError('mismatch', SIGNATURE_MISMATCH_MESSAGE);
      return { status: 'verified', accessKeyId: auth.accessKeyId, sessionToken: auth.sessionToken };
    },
  };
}

function headerText(value: string | string[] | undefined): string {
  if (value === undefined) return '';
  return Array.isArray(value) ? value.join(',') : value;
}

/** Whitespace the signer folds in a header value (Node has already trimmed its ends). */
const FOLDED_WHITESPACE = /[\r\n\t]| {2}|^ | $/;

/**
 * A signed header's value as the signer puts it in the canonical request: most values need no
 * folding, the others go through the signer's own `getCanonicalHeaders`.
 */
function canonicalValue(name: string, value: string | string[] | undefined): string {
  const text = headerText(value);
  if (!FOLDED_WHITESPACE.test(text)) return text;
  const request = { method: '', protocol: '', hostname: '', path: '', query: {}, headers: { [name]: text } };
  return getCanonicalHeaders(request, undefined, new Set([name]))[name] ?? '';
}

/** The query as the signer takes it: decoded names and values, repeated names as lists. */
function parseQuery(search: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  if (search === '') return query;
  for (const pair of search.split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const name = decode(equals < 0 ? pair : pair.slice(0, equals));
    const value = equals < 0 ? '' : decode(pair.slice(equals + 1));
    const existing = query[name];
    if (existing === undefined) query[name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else query[name] = [existing, value];
  }
  return query;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new SignatureError('mismatch', SIGNATURE_MISMATCH_MESSAGE);
  }
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The Authorization header's or the presigned query's signature parts; undefined when unsigned. */
function parseAuthorization(
  headers: IncomingHttpHeaders,
  query: Record<string, string | string[]>,
): Authorization | undefined {
  const header = headers.authorization;
  if (typeof header === 'string') return parseHeader(header, headers);
  if (single(query['X-Amz-Algorithm']) !== undefined || single(query['X-Amz-Credential']) !== undefined)
    return parsePresigned(query);
  return undefined;
}

function parseHeader(header: string, headers: IncomingHttpHeaders): Authorization {
  const space = header.indexOf(' ');
  const algorithm = space < 0 ? header : header.slice(0, space);
  let credential = '';
  let signedHeaders = '';
  let signature = '';
  for (const part of (space < 0 ? '' : header.slice(space + 1)).split(',')) {
    const equals = part.indexOf('=');
    if (equals < 0) continue;
    const name = part.slice(0, equals).trim();
    if (name === 'Credential') credential = part.slice(equals + 1).trim();
    else if (name === 'SignedHeaders') signedHeaders = part.slice(equals + 1).trim();
    else if (name === 'Signature') signature = part.slice(equals + 1).trim();
  }
  if (algorithm !== ALGORITHM_IDENTIFIER && algorithm.startsWith('AWS4-'))
    throw new SignatureError('incomplete', `Unsupported AWS 'algorithm': '${algorithm}'`);
  if (algorithm !== ALGORITHM_IDENTIFIER || !credential || !signature || !signedHeaders) {
    const present: Record<string, string> = {
      Credential: credential,
      Signature: signature,
      SignedHeaders: signedHeaders,
    };
    const missing = Object.keys(present).filter((name) => !present[name]);
    const requirements = (missing.length > 0 ? missing : Object.keys(present))
      .map((name) => `Authorization header requires '${name}' parameter.`)
      .join(' ');
    throw new SignatureError('incomplete', `${requirements} Authorization=${header}`);
  }
  const scope = credentialScope(credential);
  return {
    accessKeyId: scope.accessKeyId,
    scopeDate: scope.scopeDate,
    region: scope.region,
    service: scope.service,
    terminator: scope.terminator,
    signedHeaders: signedHeaders.split(';'),
    signature,
    longDate: single(headers['x-amz-date']) ?? fromHttpDate(single(headers.date)),
    sessionToken: single(headers['x-amz-security-token']),
    expiresIn: undefined,
  };
}

function parsePresigned(query: Record<string, string | string[]>): Authorization {
  const value = (name: string) => single(query[name]);
  const [algorithm, credential, signature, longDate, signedHeaders] = [
    'X-Amz-Algorithm',
    'X-Amz-Credential',
    'X-Amz-Signature',
    'X-Amz-Date',
    'X-Amz-SignedHeaders',
  ].map(value);
  if (!algorithm || !credential || !signature || !longDate || !signedHeaders)
    throw new SignatureError(
      'incomplete',
      "AWS query-string parameters must include 'X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-Date', 'X-Amz-SignedHeaders'. Re-examine the query-string parameters.",
    );
  if (algorithm !== ALGORITHM_IDENTIFIER)
    throw new SignatureError(
      'incomplete',
      `X-Amz-Algorithm only supports "${ALGORITHM_IDENTIFIER}", not "${algorithm}"`,
    );
  const expires = value('X-Amz-Expires');
  const expiresIn = expires === undefined ? MAX_PRESIGNED_SECONDS : Number(expires);
  if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > MAX_PRESIGNED_SECONDS)
    throw new SignatureError(
      'incomplete',
      'X-Amz-Expires must be less than a week (in seconds) that is 604800',
    );
  return {
    ...credentialScope(credential),
    signedHeaders: signedHeaders.split(';'),
    signature,
    longDate,
    sessionToken: value('X-Amz-Security-Token'),
    expiresIn,
  };
}

function credentialScope(
  credential: string,
): Pick<Authorization, 'accessKeyId' | 'scopeDate' | 'region' | 'service' | 'terminator'> {
  const parts = credential.split('/');
  const [accessKeyId, scopeDate, region, service, terminator] = parts;
  if (parts.length !== 5 || !accessKeyId || !scopeDate || !region || !service || !terminator)
    throw new SignatureError(
      'incomplete',
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`,
    );
  return { accessKeyId, scopeDate, region, service, terminator };
}

/** An RFC 7231 `Date` header as the ISO-8601 basic format SigV4 signs. */
function fromHttpDate(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? value : basicFormat(time);
}

function basicFormat(time: number): string {
  return new Date(time)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}

function checkScope(auth: Authorization, service: string, region: string): void {
  if (auth.terminator !== 'aws4_request')
    throw new SignatureError(
      'scope',
      `Credential should be scoped with a valid terminator: 'aws4_request', not '${auth.terminator}'.`,
    );
  if (auth.service !== service)
    throw new SignatureError('scope', `Credential should be scoped to correct service: '${service}'.`);
  if (auth.region !== region)
    throw new SignatureError('scope', 'Credential should be scoped to a valid region.');
}

function checkTime(longDate: string, expiresIn: number | undefined, now: number): void {
  const signedAt = Date.UTC(
    Number(longDate.slice(0, 4)),
    Number(longDate.slice(4, 6)) - 1,
    Number(longDate.slice(6, 8)),
    Number(longDate.slice(9, 11)),
    Number(longDate.slice(11, 13)),
    Number(longDate.slice(13, 15)),
  );
  if (expiresIn !== undefined && now > signedAt + expiresIn * 1000)
    throw new SignatureError(
      'expired',
      `Signature expired: ${longDate} is now earlier than ${basicFormat(now - expiresIn * 1000)} (${basicFormat(now)} - ${expiresIn} sec.)`,
    );
  if (expiresIn === undefined && signedAt < now - MAX_SKEW_MS)
    throw new SignatureError(
      'skew',
      `Signature expired: ${longDate} is now earlier than ${basicFormat(now - MAX_SKEW_MS)} (${basicFormat(now)} - 5 min.)`,
    );
  if (signedAt > now + MAX_SKEW_MS)
    throw new SignatureError(
      'skew',
      `Signature not yet current: ${longDate} is still later than ${basicFormat(now + MAX_SKEW_MS)} (${basicFormat(now)} + 5 min.)`,
    );
}

/**
 * The payload hash the signature covers: the SHA-256 of the body when it was read (an
 * `x-amz-content-sha256` must then agree with it), else the signed header (S3), or
 * `UNSIGNED-PAYLOAD` for a presigned URL.
 */
function payloadHash(request: SignedRequest, auth: Authorization): string {
  const declared = single(request.headers['x-amz-content-sha256']);
  if (request.body === undefined) {
    if (declared !== undefined) return declared;
    if (auth.expiresIn !== undefined) return UNSIGNED_PAYLOAD;
    throw new SignatureError('incomplete', 'Missing required header for this request: x-amz-content-sha256');
  }
  const computed = request.body.byteLength > 0 ? sha256Hex(request.body) : EMPTY_SHA256;
  if (declared !== undefined && declared !== computed)
    throw new SignatureError('mismatch', SIGNATURE_MISMATCH_MESSAGE);
  return computed;
}

function sha256Hex(data: string | Uint8Array): string {
  return hash('sha256', data, 'hex');
}
