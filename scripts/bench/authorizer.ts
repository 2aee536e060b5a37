/**
 * The warm authorizer in process: `createAuthorizer` with the real ID-token verifier, whose JWKS
 * comes once from a local JWKS server on 127.0.0.1 and is then cached, and in-memory tenant and
 * user directories behind the authorizer's own caches — the steady state after a container's first
 * call. Baselines in the same run: an empty async function, the RS256 signature check alone
 * (`node:crypto`), and aws-jwt-verify's `verify` with the JWKS cached (signature and claims).
 */
import { createPublicKey, verify as verifySignature } from 'node:crypto';
import {
  createAuthorizer,
  createIdTokenVerifier,
  type TenantState,
  type UserState,
} from '@tenantry/identity';
import { cognitoIdTokenClaims, createTestSigningKey, signJwt, startJwksServer } from '@tenantry/testing';
import { JwtVerifier } from 'aws-jwt-verify';
import { type MicroLatency, type MicroPlan, micro, rotatingSamples } from './micro.js';

export const AUTHORIZER_PLAN: MicroPlan = { warmup: 2000, blockSize: 500, blocks: 20 };

const REGION = 'us-east-1';
const POOLED = { userPoolId: 'us-east-1_benchPool', appClientId: 'benchclient0000000000000000' };
const OPERATIONS = { userPoolId: 'us-east-1_benchOps', appClientId: 'benchopsclient000000000000' };
const APP_API_ID = 'benchapp01';
const METHOD_ARN = `arn:aws:execute-api:${REGION}:000000000000:${APP_API_ID}/dev/GET/products/p1`;
const TENANT_ID = 'bench-tenant';
const USER_ID = '5f0c1a2e-0000-4000-8000-00000000b3c4';

export interface AuthorizerResults {
  emptyAsync: MicroLatency;
  signatureOnly: MicroLatency;
  jwtVerify: MicroLatency;
  /** As deployed: one decision line per call on stdout (the bench sends it to /dev/null). */
  authorizer: MicroLatency;
  /** The same with the decision log switched off. */
  authorizerNoLog: MicroLatency;
  /** JWKS requests the local server answered in the whole run: one per authorizer (then cached). */
  jwksFetches: number;
}

export async function warmAuthorizer(plan: MicroPlan = AUTHORIZER_PLAN): Promise<AuthorizerResults> {
  const key = createTestSigningKey('bench-key');
  const jwks = await startJwksServer([key]);
  try {
    const token = signJwt(
      key,
      cognitoIdTokenClaims({
        region: REGION,
        ...POOLED,
        sub: USER_ID,
        tenantId: TENANT_ID,
        role: 'TenantUser',
      }),
    );
    const tenant: TenantState = {
      status: 'ACTIVE',
      tier: 'premium',
      apiKey: 'bench-tenant-api-key-0123456789',
    };
    const user: UserState = { enabled: true, role: 'TenantUser', tenantId: TENANT_ID };
    const build = (log?: () => void) =>
      createAuthorizer({
        apis: new Map([
          [
            APP_API_ID,
            {
              kind: 'app' as const,
              verifier: createIdTokenVerifier({ region: REGION, pools: [POOLED], cognitoEndpoint: jwks.url }),
            },
          ],
        ]),
        operationsUserPoolId: OPERATIONS.userPoolId,
        tenants: { get: async (id) => (id === TENANT_ID ? { ...tenant } : undefined) },
        users: { get: async (_pool, sub) => (sub === USER_ID ? { ...user } : undefined) },
        ...(log ? { log } : {}),
      });
    const request = { methodArn: METHOD_ARN, headers: { Authorization: `Bearer ${token}` } };
    const withLog = build();
    const withoutLog = build(() => undefined);
    for (const authorize of [withLog, withoutLog]) {
      const answer = await authorize(request);
      if (
        answer.policyDocument.Statement[0]?.Effect !== 'Allow' ||
        answer.usageIdentifierKey !== tenant.apiKey
      )
        throw new Error(`the bench's authorizer did not allow the bench user: ${JSON.stringify(answer)}`);
    }
    const forged = `${token.slice(0, -4)}AAAA`;
    if (
      await withoutLog({ ...request, headers: { Authorization: `Bearer ${forged}` } }).then(
        () => true,
        () => false,
      )
    )
      throw new Error('the authorizer accepted a token with a forged signature: nothing is verified');

    const [header = '', payload = '', signature = ''] = token.split('.');
    const signed = Buffer.from(`${header}.${payload}`);
    const signatureBytes = Buffer.from(signature, 'base64url');
    const publicKey = createPublicKey({ key: key.publicJwk, format: 'jwk' });
    const bare = JwtVerifier.create({
      issuer: `https://cognito-idp.${REGION}.amazonaws.com/${POOLED.userPoolId}`,
      audience: POOLED.appClientId,
      jwksUri: `${jwks.url}/${POOLED.userPoolId}/.well-known/jwks.json`,
    });
    bare.cacheJwks({ keys: [key.publicJwk as never] });
    const empty = async (_token: string) => undefined;
    const [emptyAsync = [], signatureOnly = [], jwtVerify = [], authorizer = [], authorizerNoLog = []] =
      await rotatingSamples(
        [
          { call: () => empty(token) },
          {
            call: async () => {
              if (!verifySignature('RSA-SHA256', signed, publicKey, signatureBytes))
                throw new Error('signature check failed');
            },
          },
          { call: () => bare.verify(token) },
          { call: () => withLog(request) },
          { call: () => withoutLog(request) },
        ],
        plan,
      );
    return {
      emptyAsync: micro(emptyAsync),
      signatureOnly: micro(signatureOnly),
      jwtVerify: micro(jwtVerify),
      authorizer: micro(authorizer),
      authorizerNoLog: micro(authorizerNoLog),
      jwksFetches: jwks.requests(),
    };
  } finally {
    await jwks.close();
  }
}
