import { JwtVerifier } from 'aws-jwt-verify';
import { FetchError, JwksValidationError } from 'aws-jwt-verify/error';
import type { Fetcher } from 'aws-jwt-verify/https';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { cognitoEndpoint, cognitoIssuer, cognitoJwksUri } from './cognito.js';
import { JwksUnavailableError, UnauthorizedError } from './errors.js';

/** A user pool whose ID tokens are accepted, with the app client they must be issued to. */
export interface AcceptedPool {
  userPoolId: string;
  appClientId: string;
}

export interface IdTokenVerifierOptions {
  region: string;
  pools: readonly AcceptedPool[];
  /** Defaults to {@link cognitoEndpoint} of `region` (honours the local endpoint override). */
  cognitoEndpoint?: string;
  /** How JWKS documents are fetched; defaults to `fetch` (which, unlike the library's, allows http). */
  fetcher?: Fetcher;
}

/** The claims of a verified ID token the platform relies on. */
export interface VerifiedIdToken {
  /** The pool that issued the token. */
  userPoolId: string;
  sub: string;
  email: string | undefined;
  tenantId: string | undefined;
  role: string | undefined;
  claims: Record<string, unknown>;
}

export interface IdTokenVerifier {
  /**
   * Verifies a Cognito ID token. Rejects with {@link UnauthorizedError} when the token is not a
   * valid, unexpired ID token of an accepted pool and client, or with {@link JwksUnavailableError}
   * when the pool's keys cannot be fetched.
   */
  verify(token: string): Promise<VerifiedIdToken>;
}

const JWKS_FETCH_TIMEOUT_MS = 3000;

/** A JWKS fetcher on the platform `fetch`, so that the local cloud's `http://` endpoint works. */
export const fetchJwksFetcher: Fetcher = {
  fetch: async (uri: string) => {
    let response: Response;
    try {
      response = await fetch(uri, { signal: AbortSignal.timeout(JWKS_FETCH_TIMEOUT_MS) });
    } catch (cause) {
      throw new FetchError(uri, cause instanceof Error ? cause.message : String(cause));
    }
    if (response.status !== 200) throw new FetchError(uri, `Status code is ${response.status}, expected 200`);
    return response.arrayBuffer();
  },
};

/**
 * Builds a verifier for Cognito ID tokens of the given pools. Build it once per cold start: it
 * caches each pool's JWKS.
 *
 * @example
 * ```ts
 * const verifier = createIdTokenVerifier({
 *   region: 'us-east-1',
 *   pools: [{ userPoolId: 'us-east-1_abc', appClientId: '1example23456789' }],
 * });
 * const { sub, tenantId, role } = await verifier.verify(idToken);
 * ```
 */
export function createIdTokenVerifier(options: IdTokenVerifierOptions): IdTokenVerifier {
  if (options.pools.length === 0) throw new TypeError('createIdTokenVerifier: at least one pool is required');
  const endpoint = options.cognitoEndpoint ?? cognitoEndpoint(options.region);
  const poolByIssuer = new Map(
    options.pools.map((pool) => [cognitoIssuer(options.region, pool.userPoolId), pool]),
  );
  const verifier = JwtVerifier.create(
    options.pools.map((pool) => ({
      issuer: cognitoIssuer(options.region, pool.userPoolId),
      audience: pool.appClientId,
      jwksUri: cognitoJwksUri(endpoint, pool.userPoolId),
      customJwtCheck: ({ payload }: { payload: Record<string, unknown> }) => {
        if (payload.token_use !== 'id') throw new Error('not an ID token');
      },
    })),
    { jwksCache: new SimpleJwksCache({ fetcher: options.fetcher ?? fetchJwksFetcher }) },
  );

  return {
    async verify(token) {
      let payload: Record<string, unknown>;
      try {
        payload = (await verifier.verify(token)) as Record<string, unknown>;
      } catch (cause) {
        if (cause instanceof FetchError || cause instanceof JwksValidationError) {
          throw new JwksUnavailableError({ cause });
        }
        throw new UnauthorizedError({ cause });
      }
      const pool = poolByIssuer.get(String(payload.iss));
      if (!pool || typeof payload.sub !== 'string') throw new UnauthorizedError();
      const optionalString = (value: unknown) =>
        typeof value === 'string' && value.length > 0 ? value : undefined;
      return {
        userPoolId: pool.userPoolId,
        sub: payload.sub,
        email: optionalString(payload.email),
        tenantId: optionalString(payload['custom:tenantId']),
        role: optionalString(payload['custom:userRole']),
        claims: payload,
      };
    },
  };
}
