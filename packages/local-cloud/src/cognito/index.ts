/**
 * A focused, faithful emulator of Amazon Cognito user pools for the local cloud.
 *
 * @example
 * ```ts
 * const cognito = createCognitoEmulator({ clock, outbox, region: 'us-east-1', accountId: '000000000000',
 *   endpoint: () => `http://127.0.0.1:${port}` });
 * http.createServer(cognito.handle).listen(port, '127.0.0.1');
 * const { UserPool } = await cognito.call('CreateUserPool', { PoolName: 'ops' });
 * ```
 */
import type { Clock, HttpHandler, Outbox, ProviderMap } from '../types.js';
import { type Deps, Input, type OperationResult } from './context.js';
import { CognitoServiceError } from './errors.js';
import { createHttpHandler } from './http.js';
import { toJwk } from './jwt.js';
import { operations } from './operations.js';
import { createCognitoProviders } from './providers.js';
import { createStore } from './store.js';
import { issuerOf } from './tokens.js';

export { secretHash } from './auth.js';
export { CognitoServiceError, UnsupportedFeatureError, UnsupportedPropertyError } from './errors.js';
export { isPublicRequest, PUBLIC_OPERATIONS } from './http.js';

export interface CognitoEmulatorOptions {
  clock: Clock;
  outbox: Outbox;
  region: string;
  accountId: string;
  /** The emulator's base URL, e.g. http://127.0.0.1:9229 (known after listen). */
  endpoint: () => string;
  /** JSON persistence path; undefined keeps everything in memory. */
  dataFile?: string;
}

export interface CognitoEmulator {
  /** AWS JSON 1.1 API (`POST /`) and per-pool `/.well-known/jwks.json` + `openid-configuration`. */
  handle: HttpHandler;
  /** CloudFormation providers for AWS::Cognito::UserPool, UserPoolClient and UserPoolGroup. */
  providers: ProviderMap;
  /**
   * Runs an operation in-process, with the request and response shapes of the AWS API
   * (e.g. `call('AdminCreateUser', {UserPoolId, Username, ...})`). Rejects with
   * {@link CognitoServiceError} exactly where the HTTP API would answer an error.
   */
  call(operation: string, input: Record<string, unknown>): Promise<OperationResult>;
  /** Shorthand for `call('CreateUserPool', input)` returning the pool's id and ARN. */
  createUserPool(input: Record<string, unknown> & { PoolName: string }): Promise<{ id: string; arn: string }>;
  /** Shorthand for `call('CreateUserPoolClient', input)` returning the client id (and secret). */
  createUserPoolClient(
    input: Record<string, unknown> & { UserPoolId: string; ClientName: string },
  ): Promise<{ clientId: string; clientSecret?: string }>;
  /** The pool's JWKS document (the same as GET /{poolId}/.well-known/jwks.json). */
  jwks(userPoolId: string): { keys: Array<Record<string, string>> };
  /** The `iss` of the pool's tokens: `https://cognito-idp.{region}.amazonaws.com/{poolId}`. */
  issuer(userPoolId: string): string;
  /** The local URL of the pool's JWKS. */
  jwksUri(userPoolId: string): string;
  /** Persists now (no-op in memory). */
  flush(): Promise<void>;
  /** Persists and stops the pending save timer; call on shutdown. */
  close(): Promise<void>;
}

export function createCognitoEmulator(opts: CognitoEmulatorOptions): CognitoEmulator {
  const store = createStore(opts.dataFile);
  const deps: Deps = {
    clock: opts.clock,
    outbox: opts.outbox,
    region: opts.region,
    accountId: opts.accountId,
    endpoint: opts.endpoint,
    store,
  };
  const call = async (operation: string, input: Record<string, unknown>): Promise<OperationResult> => {
    const run = Object.hasOwn(operations, operation) ? operations[operation] : undefined;
    if (!run) {
      throw new CognitoServiceError(
        'UnsupportedOperationException',
        `The local Cognito emulator does not support the ${operation} operation`,
      );
    }
    return run(deps, new Input(input));
  };
  const requirePool = (id: string) => {
    const pool = store.state.pools[id];
    if (!pool) throw new CognitoServiceError('ResourceNotFoundException', `User pool ${id} does not exist.`);
    return pool;
  };
  return {
    handle: createHttpHandler(deps, call),
    providers: createCognitoProviders(call, opts.region),
    call,
    async createUserPool(input) {
      const pool = (await call('CreateUserPool', input)).UserPool as { Id: string; Arn: string };
      return { id: pool.Id, arn: pool.Arn };
    },
    async createUserPoolClient(input) {
      const client = (await call('CreateUserPoolClient', input)).UserPoolClient as {
        ClientId: string;
        ClientSecret?: string;
      };
      return {
        clientId: client.ClientId,
        ...(client.ClientSecret ? { clientSecret: client.ClientSecret } : {}),
      };
    },
    jwks(userPoolId) {
      const pool = requirePool(userPoolId);
      return { keys: [toJwk(pool.keys.id), toJwk(pool.keys.access)] };
    },
    issuer: (userPoolId) => issuerOf(opts.region, requirePool(userPoolId).id),
    jwksUri: (userPoolId) => `${opts.endpoint()}/${requirePool(userPoolId).id}/.well-known/jwks.json`,
    flush: () => store.flush(),
    close: () => store.flush(),
  };
}
