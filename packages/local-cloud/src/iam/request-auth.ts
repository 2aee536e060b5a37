/**
 * Authentication of AWS API requests as the services do it, before any emulator sees them: the
 * SigV4 signature is verified with the secret the local cloud issued for the access key, then the
 * key's session token and expiry are checked. A refusal is answered in the protocol of the service
 * (JSON, REST-JSON, query, REST-XML) with the code its SDK client expects.
 *
 * @example
 * const authenticator = createRequestAuthenticator({ credentials, clock, region: 'us-east-1' });
 * const handle = requireSignature(ssm.handle, {
 *   authenticator,
 *   service: 'ssm',
 *   protocol: 'json-1.1',
 * });
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { replayRequest } from '../http.js';
import type { Clock, HttpHandler } from '../types.js';
import { xmlEscape } from '../xml.js';
import type { CredentialsRegistry, Principal } from './credentials.js';
import { CredentialsError, SignatureError } from './errors.js';
import { createSigV4Verifier, type SignedRequest } from './sigv4.js';

export interface AuthenticationPolicy {
  /** The SigV4 signing name the credential scope must name: `dynamodb`, `cognito-idp`, `sts`, … */
  service: string;
  /** Requests without any signature: refused (`MissingAuthenticationToken`) unless AWS takes them unsigned. */
  unsigned: 'refuse' | 'pass';
}

export interface RequestAuthenticator {
  /**
   * The caller of a request; undefined when the policy lets an unsigned request through. A key
   * the local cloud did not issue is refused as AWS refuses it (`UnrecognizedClientException`). Throws {@link SignatureError} or {@link CredentialsError} for a request AWS refuses.
   */
  authenticate(request: SignedRequest, policy: AuthenticationPolicy): Promise<Principal | undefined>;
}

export function createRequestAuthenticator(options: {
  credentials: CredentialsRegistry;
  clock: Clock;
  region: string;
}): RequestAuthenticator {
  const { credentials, clock } = options;
  const verifier = createSigV4Verifier({
    secretOf: (accessKeyId) => credentials.secretOf(accessKeyId),
    now: () => clock.now(),
    realNow: () => clock.now() - clock.offset(),
    region: options.region,
  });
  return {
    async authenticate(request, policy) {
      const verification = await verifier.verify(request, policy.service);
      if (verification.status === 'unsigned') {
        if (policy.unsigned === 'pass') return undefined;
        return credentials.authenticate(undefined);
      }
      if (verification.status === 'unknown-key') return credentials.authenticate(verification.accessKeyId);
      return credentials.authenticate(verification.accessKeyId, verification.sessionToken);
    },
  };
}

/**
 * The wire protocols of the AWS APIs: JSON (DynamoDB, Cognito, SSM, Step Functions), REST-JSON
 * (Lambda, API Gateway), query (STS, CloudFormation) and REST-XML (S3).
 */
export type AuthProtocol = 'json-1.0' | 'json-1.1' | 'rest-json' | 'query' | 'rest-xml';

/** How a service answers a refused request. */
export interface AuthFailure {
  statusCode: number;
  code: string;
  message: string;
}

const SIGNATURE_CODES: Record<
  'json' | 'rest-json' | 'query',
  Record<SignatureError['reason'], [number, string]>
> = {
  json: {
    mismatch: [400, 'InvalidSignatureException'],
    skew: [400, 'InvalidSignatureException'],
    expired: [400, 'InvalidSignatureException'],
    scope: [400, 'InvalidSignatureException'],
    incomplete: [400, 'IncompleteSignatureException'],
  },
  'rest-json': {
    mismatch: [403, 'InvalidSignatureException'],
    skew: [403, 'InvalidSignatureException'],
    expired: [403, 'InvalidSignatureException'],
    scope: [403, 'InvalidSignatureException'],
    incomplete: [403, 'IncompleteSignatureException'],
  },
  query: {
    mismatch: [403, 'SignatureDoesNotMatch'],
    skew: [403, 'SignatureDoesNotMatch'],
    expired: [403, 'SignatureDoesNotMatch'],
    scope: [403, 'SignatureDoesNotMatch'],
    incomplete: [400, 'IncompleteSignature'],
  },
};

const CREDENTIAL_CODES: Record<
  'json' | 'rest-json' | 'query',
  Record<CredentialsError['code'], [number, string]>
> = {
  json: {
    UnrecognizedClientException: [400, 'UnrecognizedClientException'],
    ExpiredTokenException: [400, 'ExpiredTokenException'],
    MissingAuthenticationTokenException: [400, 'MissingAuthenticationTokenException'],
  },
  'rest-json': {
    UnrecognizedClientException: [403, 'UnrecognizedClientException'],
    ExpiredTokenException: [403, 'ExpiredTokenException'],
    MissingAuthenticationTokenException: [403, 'MissingAuthenticationTokenException'],
  },
  query: {
    UnrecognizedClientException: [403, 'InvalidClientTokenId'],
    ExpiredTokenException: [400, 'ExpiredToken'],
    MissingAuthenticationTokenException: [403, 'MissingAuthenticationToken'],
  },
};

/** What S3 answers instead (its codes and messages differ from the other services'). */
function s3Failure(error: SignatureError | CredentialsError): AuthFailure {
  if (error instanceof CredentialsError) {
    if (error.code === 'ExpiredTokenException')
      return { statusCode: 400, code: 'ExpiredToken', message: 'The provided token has expired.' };
    if (error.code === 'MissingAuthenticationTokenException')
      return { statusCode: 403, code: 'AccessDenied', message: 'Access Denied' };
    return {
      statusCode: 403,
      code: 'InvalidAccessKeyId',
      message: 'The AWS Access Key Id you provided does not exist in our records.',
    };
  }
  switch (error.reason) {
    case 'mismatch':
      return { statusCode: 403, code: 'SignatureDoesNotMatch', message: error.message };
    case 'skew':
      return {
        statusCode: 403,
        code: 'RequestTimeTooSkewed',
        message: 'The difference between the request time and the current time is too large.',
      };
    case 'expired':
      return { statusCode: 403, code: 'AccessDenied', message: 'Request has expired' };
    default:
      return { statusCode: 400, code: 'AuthorizationHeaderMalformed', message: error.message };
  }
}

/** The answer of a service in `protocol` to an authentication error; undefined for any other error. */
export function authFailure(error: unknown, protocol: AuthProtocol): AuthFailure | undefined {
  if (!(error instanceof SignatureError) && !(error instanceof CredentialsError)) return undefined;
  if (protocol === 'rest-xml') return s3Failure(error);
  const family = protocol === 'json-1.0' || protocol === 'json-1.1' ? 'json' : protocol;
  const [statusCode, code] =
    error instanceof SignatureError
      ? SIGNATURE_CODES[family][error.reason]
      : CREDENTIAL_CODES[family][error.code];
  return { statusCode, code, message: error.message };
}

/** Answers a refused request as the service would. */
export function sendAuthFailure(res: ServerResponse, protocol: AuthProtocol, failure: AuthFailure): void {
  const requestId = randomUUID();
  let contentType: string;
  let body: string;
  switch (protocol) {
    case 'json-1.0':
    case 'json-1.1':
      contentType = `application/x-amz-json-${protocol.slice(5)}`;
      body = JSON.stringify({ __type: `com.amazon.coral.service#${failure.code}`, message: failure.message });
      break;
    case 'rest-json':
      contentType = 'application/json';
      body = JSON.stringify({ message: failure.message });
      break;
    case 'query':
      contentType = 'text/xml';
      body = `<ErrorResponse><Error><Type>Sender</Type><Code>${failure.code}</Code><Message>${xmlEscape(failure.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
      break;
    case 'rest-xml':
      contentType = 'application/xml';
      body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${failure.code}</Code><Message>${xmlEscape(failure.message)}</Message><RequestId>${requestId}</RequestId></Error>`;
      break;
  }
  res.writeHead(failure.statusCode, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': requestId,
    'x-amzn-errortype': failure.code,
  });
  res.end(body);
}

export interface RequireSignatureOptions {
  authenticator: RequestAuthenticator;
  /** The SigV4 signing name of the service behind the handler. */
  service: string;
  protocol: AuthProtocol;
  /** Whether an unsigned request may reach the handler (Cognito's public operations); default never. */
  allowUnsigned?: (req: IncomingMessage) => boolean;
  /**
   * `header` leaves the body unread and verifies against the signed `x-amz-content-sha256` (S3,
   * whose bodies are large and streamed); `body` (the default) hashes the body, as AWS does.
   */
  payload?: 'body' | 'header';
}

/**
 * Wraps an emulator's handler so that only requests AWS would authenticate reach it: the body is
 * read, the signature verified, and the handler gets the request with its body intact.
 */
export function requireSignature(handler: HttpHandler, options: RequireSignatureOptions): HttpHandler {
  const { authenticator, service, protocol } = options;
  return async (req, res) => {
    let body: Buffer | undefined;
    if (options.payload !== 'header') {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      body = Buffer.concat(chunks);
    }
    try {
      await authenticator.authenticate(
        { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, ...(body ? { body } : {}) },
        { service, unsigned: options.allowUnsigned?.(req) ? 'pass' : 'refuse' },
      );
    } catch (error) {
      const failure = authFailure(error, protocol);
      if (!failure) throw error;
      sendAuthFailure(res, protocol, failure);
      return;
    }
    return handler(body ? replayRequest(req, body) : req, res);
  };
}
