import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  type CreateUserPoolClientCommandInput,
  CreateUserPoolCommand,
  DeleteUserCommand,
  GetUserCommand,
  InitiateAuthCommand,
  UpdateUserAttributesCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoJwtVerifier, JwtRsaVerifier } from 'aws-jwt-verify';
import { KidNotFoundInJwksError } from 'aws-jwt-verify/error';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claims, type Harness, header, REGION, startEmulator } from './testing.js';

let h: Harness;
let poolId: string;
let otherPoolId: string;
let clientId: string;
const PASSWORD = 'Final#Pass2';
let counter = 0;

const TENANT_SCHEMA = [
  { Name: 'tenantId', AttributeDataType: 'String' as const, Mutable: false },
  { Name: 'userRole', AttributeDataType: 'String' as const, Mutable: true },
];

async function newClient(input: Partial<CreateUserPoolClientCommandInput> = {}): Promise<string> {
  const out = await h.sdk.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: 'web',
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      ...input,
    }),
  );
  return out.UserPoolClient?.ClientId as string;
}

async function newUser(): Promise<string> {
  const email = `tok${++counter}@example.com`;
  await h.sdk.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: email,
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email_verified', Value: 'true' },
        { Name: 'custom:tenantId', Value: 'tenant-1' },
        { Name: 'custom:userRole', Value: 'TenantUser' },
      ],
    }),
  );
  await h.sdk.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: poolId,
      Username: email,
      Password: PASSWORD,
      Permanent: true,
    }),
  );
  return email;
}

const login = async (email: string, client = clientId) => {
  const out = await h.sdk.send(
    new InitiateAuthCommand({
      ClientId: client,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: email, PASSWORD },
    }),
  );
  const result = out.AuthenticationResult;
  if (!result?.IdToken || !result.AccessToken) throw new Error('no tokens');
  return {
    idToken: result.IdToken,
    accessToken: result.AccessToken,
    refreshToken: result.RefreshToken,
    expiresIn: result.ExpiresIn,
  };
};

beforeAll(async () => {
  h = await startEmulator();
  const pool = await h.sdk.send(
    new CreateUserPoolCommand({ PoolName: 'tokens', UsernameAttributes: ['email'], Schema: TENANT_SCHEMA }),
  );
  poolId = pool.UserPool?.Id as string;
  const other = await h.sdk.send(new CreateUserPoolCommand({ PoolName: 'other' }));
  otherPoolId = other.UserPool?.Id as string;
  clientId = await newClient();
});

afterAll(async () => {
  await h.close();
});

describe('ID and access tokens', () => {
  it('signs an ID token with the claims AWS puts in it', async () => {
    const email = await newUser();
    await h.sdk.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'admins', Precedence: 1 }));
    await h.sdk.send(
      new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: email, GroupName: 'admins' }),
    );
    const before = Math.floor(h.clock.now() / 1000);
    const { idToken } = await login(email);
    const c = claims(idToken);
    expect(header(idToken)).toEqual({ kid: expect.any(String), alg: 'RS256' });
    expect(c).toMatchObject({
      iss: `https://cognito-idp.${REGION}.amazonaws.com/${poolId}`,
      aud: clientId,
      token_use: 'id',
      email,
      email_verified: true,
      'cognito:username': c.sub,
      'cognito:groups': ['admins'],
      'custom:tenantId': 'tenant-1',
      'custom:userRole': 'TenantUser',
    });
    expect(c.sub).toMatch(/^[0-9a-f-]{36}$/);
    for (const claim of ['event_id', 'origin_jti', 'jti']) expect(c[claim]).toEqual(expect.any(String));
    expect(c.iat).toBeGreaterThanOrEqual(before);
    expect(c.auth_time).toBe(c.iat);
    expect(Number(c.exp) - Number(c.iat)).toBe(3600);
  });

  it('signs an access token with client_id, scope and username but no aud', async () => {
    const email = await newUser();
    const { accessToken, idToken, expiresIn } = await login(email);
    const c = claims(accessToken);
    expect(c).toMatchObject({
      client_id: clientId,
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      username: claims(idToken).sub,
      origin_jti: claims(idToken).origin_jti,
    });
    expect(c.aud).toBeUndefined();
    expect(c.email).toBeUndefined();
    expect(expiresIn).toBe(3600);
  });

  it('takes token lifetimes from the client IdTokenValidity/AccessTokenValidity and TokenValidityUnits', async () => {
    const email = await newUser();
    const client = await newClient({
      IdTokenValidity: 10,
      AccessTokenValidity: 15,
      TokenValidityUnits: { IdToken: 'minutes', AccessToken: 'minutes' },
    });
    const { idToken, accessToken, expiresIn } = await login(email, client);
    expect(Number(claims(idToken).exp) - Number(claims(idToken).iat)).toBe(600);
    expect(Number(claims(accessToken).exp) - Number(claims(accessToken).iat)).toBe(900);
    expect(expiresIn).toBe(900);
  });

  it('puts only the client ReadAttributes (and sub) in the ID token', async () => {
    const email = await newUser();
    const client = await newClient({ ReadAttributes: ['email', 'custom:tenantId'] });
    const c = claims((await login(email, client)).idToken);
    expect(c.email).toBe(email);
    expect(c['custom:tenantId']).toBe('tenant-1');
    expect(c['custom:userRole']).toBeUndefined();
    expect(c.email_verified).toBeUndefined();
  });

  it('verifies against its own pool JWKS with aws-jwt-verify and not against another pool JWKS', async () => {
    const email = await newUser();
    const { idToken, accessToken } = await login(email);
    const issuer = `https://cognito-idp.${REGION}.amazonaws.com/${poolId}`;
    const own = JwtRsaVerifier.create(
      { issuer, audience: clientId, jwksUri: `${issuer}/.well-known/jwks.json` },
      { jwksCache: h.jwksCache() },
    );
    await expect(own.verify(idToken)).resolves.toMatchObject({ email });
    const foreign = JwtRsaVerifier.create(
      {
        issuer,
        audience: clientId,
        jwksUri: `https://cognito-idp.${REGION}.amazonaws.com/${otherPoolId}/.well-known/jwks.json`,
      },
      { jwksCache: h.jwksCache() },
    );
    await expect(foreign.verify(idToken)).rejects.toBeInstanceOf(KidNotFoundInJwksError);
    const cognito = CognitoJwtVerifier.create(
      { userPoolId: poolId, clientId, tokenUse: 'access' },
      { jwksCache: h.jwksCache() },
    );
    await expect(cognito.verify(accessToken)).resolves.toMatchObject({ token_use: 'access' });
  });

  it('uses a different signing key in every pool', async () => {
    const [a, b] = await Promise.all(
      [poolId, otherPoolId].map(
        async (id) =>
          (await (await fetch(`${h.endpoint}/${id}/.well-known/jwks.json`)).json()) as {
            keys: Array<{ kid: string; n: string; alg: string }>;
          },
      ),
    );
    expect(a?.keys).toHaveLength(2);
    expect(a?.keys.every((k) => k.alg === 'RS256')).toBe(true);
    const kidsA = a?.keys.map((k) => k.kid) ?? [];
    expect(b?.keys.some((k) => kidsA.includes(k.kid) || a?.keys.some((o) => o.n === k.n))).toBe(false);
  });

  it('serves an openid-configuration with the AWS issuer and the local JWKS URI', async () => {
    const config = (await (
      await fetch(`${h.endpoint}/${poolId}/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>;
    expect(config.issuer).toBe(`https://cognito-idp.${REGION}.amazonaws.com/${poolId}`);
    expect(config.jwks_uri).toBe(`${h.endpoint}/${poolId}/.well-known/jwks.json`);
    expect((await fetch(`${h.endpoint}/${REGION}_NoSuchPool/.well-known/jwks.json`)).status).toBe(404);
  });
});

describe('access-token operations', () => {
  it('rejects an expired access token with "Access Token has expired"', async () => {
    const email = await newUser();
    const { accessToken } = await login(email);
    await expect(h.sdk.send(new GetUserCommand({ AccessToken: accessToken }))).resolves.toBeDefined();
    h.clock.advance(3600_000 + 1_000);
    await expect(h.sdk.send(new GetUserCommand({ AccessToken: accessToken }))).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Access Token has expired',
    });
  });

  it('rejects a tampered access token, an ID token and garbage with "Invalid Access Token"', async () => {
    const email = await newUser();
    const { accessToken, idToken } = await login(email);
    const [h64, , sig] = accessToken.split('.');
    const forgedPayload = Buffer.from(
      JSON.stringify({ ...claims(accessToken), username: 'someone-else' }),
    ).toString('base64url');
    for (const token of [`${h64}.${forgedPayload}.${sig}`, idToken, 'not-a-token']) {
      await expect(h.sdk.send(new GetUserCommand({ AccessToken: token }))).rejects.toMatchObject({
        name: 'NotAuthorizedException',
        message: 'Invalid Access Token',
      });
    }
  });

  it('returns the user with only the attributes the client may read', async () => {
    const email = await newUser();
    const client = await newClient({ ReadAttributes: ['email'] });
    const user = await h.sdk.send(
      new GetUserCommand({ AccessToken: (await login(email, client)).accessToken }),
    );
    expect(user.UserAttributes?.map((a) => a.Name).sort()).toEqual(['email', 'sub']);
  });

  it("enforces the client's WriteAttributes on UpdateUserAttributes", async () => {
    const email = await newUser();
    const client = await newClient({ WriteAttributes: ['name'] });
    const { accessToken } = await login(email, client);
    await expect(
      h.sdk.send(
        new UpdateUserAttributesCommand({
          AccessToken: accessToken,
          UserAttributes: [{ Name: 'custom:userRole', Value: 'TenantAdmin' }],
        }),
      ),
    ).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'A client attempted to write unauthorized attribute',
    });
    await h.sdk.send(
      new UpdateUserAttributesCommand({
        AccessToken: accessToken,
        UserAttributes: [{ Name: 'name', Value: 'Ann' }],
      }),
    );
    const user = await h.sdk.send(new GetUserCommand({ AccessToken: accessToken }));
    expect(user.UserAttributes).toContainEqual({ Name: 'name', Value: 'Ann' });
    expect(user.UserAttributes).toContainEqual({ Name: 'custom:userRole', Value: 'TenantUser' });
  });

  it('never lets a user write an immutable attribute, even through a client without WriteAttributes', async () => {
    const email = await newUser();
    const { accessToken } = await login(email);
    await expect(
      h.sdk.send(
        new UpdateUserAttributesCommand({
          AccessToken: accessToken,
          UserAttributes: [{ Name: 'custom:tenantId', Value: 'tenant-2' }],
        }),
      ),
    ).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'A client attempted to write unauthorized attribute',
    });
    await expect(
      h.sdk.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: poolId,
          Username: email,
          UserAttributes: [{ Name: 'custom:tenantId', Value: 'tenant-2' }],
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: 'Cannot modify the non-mutable attribute custom:tenantId',
    });
  });

  it('marks a changed e-mail unverified', async () => {
    const email = await newUser();
    const { accessToken } = await login(email);
    await h.sdk.send(
      new UpdateUserAttributesCommand({
        AccessToken: accessToken,
        UserAttributes: [{ Name: 'email', Value: `new-${email}` }],
      }),
    );
    const user = await h.sdk.send(new GetUserCommand({ AccessToken: accessToken }));
    expect(user.UserAttributes).toContainEqual({ Name: 'email_verified', Value: 'false' });
  });

  it('answers UserNotFoundException for the token of a deleted user and deletes the user with DeleteUser', async () => {
    const email = await newUser();
    const { accessToken } = await login(email);
    await h.sdk.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: email }));
    await expect(h.sdk.send(new GetUserCommand({ AccessToken: accessToken }))).rejects.toMatchObject({
      name: 'UserNotFoundException',
    });
    const second = await newUser();
    await h.sdk.send(new DeleteUserCommand({ AccessToken: (await login(second)).accessToken }));
    await expect(login(second)).rejects.toMatchObject({ name: 'UserNotFoundException' });
  });
});
