/**
 * A small client for the AWS JSON protocol (`POST /` with `X-Amz-Target`), for the few single reads
 * on a function's cold path where the SDK client's import would cost more than the function itself:
 * the shared authorizer's two reads on every request's path (DynamoDB `GetItem`, Cognito
 * `AdminGetUser`) and the page-token key (SSM `GetParameter`, packages/tenant-data). Requests are
 * signed with SigV4 (./sigv4.ts, checked against the SDK's signer), credentials and endpoints are
 * resolved as the SDK resolves them in Lambda, throttling and server errors are
 * retried as the SDK's standard mode does, and errors carry the service's error name, so the same
 * code runs against the local cloud and AWS. Everything else uses the SDK's clients.
 *
 * Why not the SDK client: importing `@aws-sdk/client-dynamodb` and `-cognito-identity-provider`
 * costs the authorizer ~30 ms of cold start on top of ~10 ms for the rest, and `@aws-sdk/client-ssm`
 * ~85 KB and ~8 ms of a list handler (docs/benchmarks.md).
 */
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { type SigningCredentials, signJsonRequest } from './sigv4.js';

/** A JSON-protocol service as the SDK describes it. */
export interface JsonService {
  /** SigV4 signing name, also the endpoint prefix: `dynamodb`, `cognito-idp`. */
  signingName: string;
  /** The SDK's service id in the endpoint variable, `AWS_ENDPOINT_URL_<ID>`: `DYNAMODB`. */
  endpointId: string;
  /** Prefix of `X-Amz-Target`: `DynamoDB_20120810`, `AWSCognitoIdentityProviderService`. */
  targetPrefix: string;
  /** `1.0` (DynamoDB) or `1.1` (Cognito). */
  jsonVersion: '1.0' | '1.1';
}

export const DYNAMODB: JsonService = {
  signingName: 'dynamodb',
  endpointId: 'DYNAMODB',
  targetPrefix: 'DynamoDB_20120810',
  jsonVersion: '1.0',
};

export const COGNITO_IDENTITY_PROVIDER: JsonService = {
  signingName: 'cognito-idp',
  endpointId: 'COGNITO_IDENTITY_PROVIDER',
  targetPrefix: 'AWSCognitoIdentityProviderService',
  jsonVersion: '1.1',
};

export const SSM: JsonService = {
  signingName: 'ssm',
  endpointId: 'SSM',
  targetPrefix: 'AmazonSSM',
  jsonVersion: '1.1',
};

/** An error answered by the service: `name` is its error type (`UserNotFoundException`). */
export class AwsServiceError extends Error {
  readonly statusCode: number;
  readonly requestId: string | undefined;

  constructor(name: string, message: string, statusCode: number, requestId: string | undefined) {
    super(message);
    this.name = name;
    this.statusCode = statusCode;
    this.requestId = requestId;
  }
}

export interface JsonClientOptions {
  /** Defaults to `process.env`: `AWS_REGION`, the credentials, the endpoint variables. */
  env?: Record<string, string | undefined>;
  /** Attempts per call, as the SDK's standard retry mode (default 3). */
  maxAttempts?: number;
  /** Milliseconds without a response before an attempt fails (default 3,000). */
  timeoutMs?: number;
  /** Waits between attempts; defaults to a real timer. */
  sleep?: (ms: number) => Promise<void>;
}

export interface JsonClient {
  /** Calls `operation` with `input`; resolves with the parsed response body. */
  call<T = Record<string, unknown>>(operation: string, input: object): Promise<T>;
}

/** Error types the SDK's standard retry strategy retries (throttling and transient). */
const RETRYABLE = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'RequestThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'TransactionInProgressException',
  'RequestTimeout',
  'RequestTimeoutException',
  'InternalServerError',
  'InternalErrorException',
  'ServiceUnavailable',
]);

const isRetryable = (error: unknown): boolean =>
  error instanceof AwsServiceError
    ? RETRYABLE.has(error.name) || error.statusCode >= 500
    : error instanceof Error && 'code' in error; // a network error (ECONNRESET, timeout, ...)

/** The endpoint the SDK would use: the service's variable, then `AWS_ENDPOINT_URL`, then AWS. */
export function endpointOf(service: JsonService, env: Record<string, string | undefined>): URL {
  const configured = env[`AWS_ENDPOINT_URL_${service.endpointId}`] || env.AWS_ENDPOINT_URL;
  if (configured) return new URL(configured);
  const region = env.AWS_REGION;
  if (!region) throw new Error('missing environment variables: AWS_REGION');
  const suffix = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return new URL(`https://${service.signingName}.${region}.${suffix}`);
}

const AGENTS = { 'http:': new HttpAgent({ keepAlive: true }), 'https:': new HttpsAgent({ keepAlive: true }) };

/**
 * A client of one JSON-protocol service with the function's own credentials (read from the
 * environment at each call, as Lambda and the local cloud provide them).
 *
 * @example
 * ```ts
 * const dynamodb = createJsonClient(DYNAMODB);
 * const { Item } = await dynamodb.call('GetItem', { TableName, Key: { pk: { S: 'TENANT#t1' } } });
 * ```
 */
export function createJsonClient(service: JsonService, options: JsonClientOptions = {}): JsonClient {
  const env = options.env ?? process.env;
  const maxAttempts = options.maxAttempts ?? 3;
  const timeoutMs = options.timeoutMs ?? 3_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)));
  const endpoint = endpointOf(service, env);
  const region = env.AWS_REGION ?? '';
  if (!region) throw new Error('missing environment variables: AWS_REGION');
  const credentials = (): SigningCredentials => {
    const accessKeyId = env.AWS_ACCESS_KEY_ID;
    const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
    if (!accessKeyId || !secretAccessKey)
      throw new Error('missing environment variables: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY');
    return {
      accessKeyId,
      secretAccessKey,
      ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    };
  };
  const send = endpoint.protocol === 'http:' ? httpRequest : httpsRequest;
  const agent = endpoint.protocol === 'http:' ? AGENTS['http:'] : AGENTS['https:'];
  const path = endpoint.pathname || '/';

  async function attempt<T>(operation: string, body: string): Promise<T> {
    const headers = signJsonRequest({
      host: endpoint.host,
      path,
      headers: {
        'content-type': `application/x-amz-json-${service.jsonVersion}`,
        'x-amz-target': `${service.targetPrefix}.${operation}`,
        'content-length': String(Buffer.byteLength(body)),
      },
      body,
      service: service.signingName,
      region,
      credentials: credentials(),
      date: new Date(),
    });
    return new Promise<T>((resolve, reject) => {
      const req = send(endpoint, { method: 'POST', path, headers, agent, timeout: timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 500;
          let parsed: Record<string, unknown> = {};
          try {
            parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
          } catch {
            if (status < 300) return reject(new Error(`${operation}: the response is not JSON`));
          }
          if (status < 300) return resolve(parsed as T);
          const type = String(parsed.__type ?? res.headers['x-amzn-errortype'] ?? `Http${status}`);
          const message = String(parsed.message ?? parsed.Message ?? `${operation} failed with ${status}`);
          const requestId = res.headers['x-amzn-requestid'];
          reject(
            new AwsServiceError(
              type.split('#').pop()?.split(':')[0] ?? type,
              message,
              status,
              typeof requestId === 'string' ? requestId : undefined,
            ),
          );
        });
      });
      req.on('timeout', () =>
        req.destroy(Object.assign(new Error(`${operation} timed out`), { code: 'ETIMEDOUT' })),
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  return {
    async call<T>(operation: string, input: object): Promise<T> {
      const body = JSON.stringify(input);
      for (let n = 1; ; n += 1) {
        try {
          return await attempt<T>(operation, body);
        } catch (error) {
          if (n >= maxAttempts || !isRetryable(error)) throw error;
          // The SDK's standard backoff: full jitter over 100 ms × 2^(n-1), at most 20 s.
          await sleep(Math.random() * Math.min(20_000, 100 * 2 ** (n - 1)));
        }
      }
    },
  };
}
