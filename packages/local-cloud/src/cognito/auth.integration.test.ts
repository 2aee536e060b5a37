import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  AdminSetUserPasswordCommand,
  AdminUserGlobalSignOutCommand,
  type AuthFlowType,
  ChangePasswordCommand,
  CreateUserPoolClientCommand,
  type CreateUserPoolClientCommandInput,
  CreateUserPoolCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretHash } from './index.js';
import { type Harness, startEmulator } from './testing.js';

let h: Harness;
let poolId: string;
let clientId: string;

const TEMP = 'Temp#Pass1';
const FINAL = 'Final#Pass2';
let counter = 0;
const uniqueEmail = () => `user${++counter}-${Date.now()}@example.com`;

async function newClient(
  input: Partial<CreateUserPoolClientCommandInput> = {},
  pool = poolId,
): Promise<string> {
  const out = await h.sdk.send(
    new CreateUserPoolClientCommand({
      UserPoolId: pool,
      ClientName: 'web',
      ExplicitAuthFlows: [
        'ALLOW_USER_PASSWORD_AUTH',
        'ALLOW_ADMIN_USER_PASSWORD_AUTH',
        'ALLOW_REFRESH_TOKEN_AUTH',
      ],
      ...input,
    }),
  );
  return out.UserPoolClient?.ClientId as string;
}

async function newUser(email = uniqueEmail(), pool = poolId): Promise<string> {
  await h.sdk.send(
    new AdminCreateUserCommand({
      UserPoolId: pool,
      Username: email,
      TemporaryPassword: TEMP,
      MessageAction: 'SUPPRESS',
    }),
  );
  return email;
}

const login = (
  username: string,
  password: string,
  client = clientId,
  flow: AuthFlowType = 'USER_PASSWORD_AUTH',
) =>
  h.sdk.send(
    new InitiateAuthCommand({
      ClientId: client,
      AuthFlow: flow,
      AuthParameters: { USERNAME: username, PASSWORD: password },
    }),
  );

async function confirmedUser(): Promise<string> {
  const email = await newUser();
  await h.sdk.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: poolId,
      Username: email,
      Password: FINAL,
      Permanent: true,
    }),
  );
  return email;
}

beforeAll(async () => {
  h = await startEmulator();
  const pool = await h.sdk.send(
    new CreateUserPoolCommand({ PoolName: 'auth-tests', UsernameAttributes: ['email'] }),
  );
  poolId = pool.UserPool?.Id as string;
  clientId = await newClient();
});

afterAll(async () => {
  await h.close();
});

describe('password sign-in', () => {
  it('rejects a wrong password with "Incorrect username or password."', async () => {
    const email = await confirmedUser();
    await expect(login(email, 'Wrong#Pass9')).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
  });

  it('rejects a wrong temporary password without issuing a NEW_PASSWORD_REQUIRED challenge', async () => {
    const email = await newUser();
    await expect(login(email, 'Wrong#Temp1')).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
  });

  it('answers UserNotFoundException for an unknown user when the client does not prevent existence errors', async () => {
    await expect(login('nobody@example.com', FINAL)).rejects.toMatchObject({
      name: 'UserNotFoundException',
      message: 'User does not exist.',
    });
  });

  it('hides an unknown user behind NotAuthorizedException when PreventUserExistenceErrors is ENABLED', async () => {
    const hiding = await newClient({ PreventUserExistenceErrors: 'ENABLED' });
    await expect(login('nobody@example.com', FINAL, hiding)).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
  });

  it('refuses a disabled user with "User is disabled." and lets the user in again once enabled', async () => {
    const email = await confirmedUser();
    await h.sdk.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: email }));
    await expect(login(email, FINAL)).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'User is disabled.',
    });
    await h.sdk.send(new AdminEnableUserCommand({ UserPoolId: poolId, Username: email }));
    expect((await login(email, FINAL)).AuthenticationResult?.IdToken).toBeTruthy();
  });

  it('refuses USER_PASSWORD_AUTH when the client does not allow it', async () => {
    const email = await confirmedUser();
    const srpOnly = await newClient({
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    });
    await expect(login(email, FINAL, srpOnly)).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: 'USER_PASSWORD_AUTH flow not enabled for this client',
    });
  });

  it('refuses ADMIN_USER_PASSWORD_AUTH when the client does not allow it', async () => {
    const email = await confirmedUser();
    const userOnly = await newClient({
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    });
    await expect(
      h.sdk.send(
        new AdminInitiateAuthCommand({
          UserPoolId: poolId,
          ClientId: userOnly,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: email, PASSWORD: FINAL },
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: 'Auth flow not enabled for this client',
    });
  });

  it('requires a valid SECRET_HASH for a client with a secret', async () => {
    const email = await confirmedUser();
    const out = await h.sdk.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'server',
        GenerateSecret: true,
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    const id = out.UserPoolClient?.ClientId as string;
    const secret = out.UserPoolClient?.ClientSecret as string;
    await expect(login(email, FINAL, id)).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: `Client ${id} is configured for secret but secret was not received`,
    });
    const send = (hash: string) =>
      h.sdk.send(
        new InitiateAuthCommand({
          ClientId: id,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: email, PASSWORD: FINAL, SECRET_HASH: hash },
        }),
      );
    await expect(send(secretHash('not-the-secret', email, id))).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: `Unable to verify secret hash for client ${id}`,
    });
    expect((await send(secretHash(secret, email, id))).AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it('locks the account briefly after five failed attempts, even for the right password', async () => {
    const email = await confirmedUser();
    for (let i = 0; i < 5; i++)
      await expect(login(email, 'Wrong#Pass9')).rejects.toThrow('Incorrect username or password.');
    await expect(login(email, FINAL)).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Password attempts exceeded',
    });
    h.clock.advance(1_001);
    expect((await login(email, FINAL)).AuthenticationResult).toBeDefined();
  });
});

describe('NEW_PASSWORD_REQUIRED challenge', () => {
  it('issues a challenge for the right temporary password and confirms the user with the new password', async () => {
    const email = await newUser();
    const challenge = await login(email, TEMP);
    expect(challenge.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    expect(challenge.AuthenticationResult).toBeUndefined();
    expect(JSON.parse(challenge.ChallengeParameters?.userAttributes ?? '{}')).toMatchObject({ email });
    const done = await h.sdk.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: challenge.Session,
        ChallengeResponses: { USERNAME: email, NEW_PASSWORD: FINAL },
      }),
    );
    expect(done.AuthenticationResult?.IdToken).toBeTruthy();
    expect((await login(email, FINAL)).AuthenticationResult?.IdToken).toBeTruthy();
    await expect(login(email, TEMP)).rejects.toThrow('Incorrect username or password.');
  });

  const respond = (session: string | undefined, username: string, password = FINAL, client = clientId) =>
    h.sdk.send(
      new RespondToAuthChallengeCommand({
        ClientId: client,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: session,
        ChallengeResponses: { USERNAME: username, NEW_PASSWORD: password },
      }),
    );

  it('rejects a made-up session', async () => {
    const email = await newUser();
    await login(email, TEMP);
    await expect(respond('AYABeMadeUpSessionValue', email)).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Invalid session for the user.',
    });
  });

  it('rejects a session that was already used', async () => {
    const email = await newUser();
    const { Session } = await login(email, TEMP);
    await respond(Session, email);
    await expect(respond(Session, email, 'Other#Pass3')).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Invalid session for the user.',
    });
  });

  it('rejects a session issued to another user', async () => {
    const alice = await newUser();
    const bob = await newUser();
    const { Session } = await login(alice, TEMP);
    await login(bob, TEMP);
    await expect(respond(Session, bob)).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Invalid session for the user.',
    });
  });

  it('rejects a session issued to another app client', async () => {
    const email = await newUser();
    const other = await newClient();
    const { Session } = await login(email, TEMP);
    await expect(respond(Session, email, FINAL, other)).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Invalid session for the user.',
    });
  });

  it('rejects a session after three minutes', async () => {
    const email = await newUser();
    const { Session } = await login(email, TEMP);
    h.clock.advance(3 * 60_000 + 1);
    await expect(respond(Session, email)).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Invalid session for the user, session is expired.',
    });
  });

  it('rejects a new password that breaks the pool password policy, and accepts a good one on the same session', async () => {
    const email = await newUser();
    const { Session } = await login(email, TEMP);
    await expect(respond(Session, email, 'short')).rejects.toMatchObject({
      name: 'InvalidPasswordException',
      message: 'Password did not conform with policy: Password not long enough',
    });
    await expect(respond(Session, email, 'alllowercase1!')).rejects.toMatchObject({
      name: 'InvalidPasswordException',
      message: 'Password did not conform with policy: Password must have uppercase characters',
    });
    expect((await respond(Session, email)).AuthenticationResult).toBeDefined();
  });

  it('refuses a temporary password older than TemporaryPasswordValidityDays', async () => {
    const email = await newUser();
    h.clock.advance(7 * 86_400_000 + 1_000);
    await expect(login(email, TEMP)).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Temporary password has expired and must be reset by an administrator.',
    });
  });

  it('honours a pool-specific TemporaryPasswordValidityDays', async () => {
    const pool = await h.sdk.send(
      new CreateUserPoolCommand({
        PoolName: 'short-temp',
        Policies: { PasswordPolicy: { MinimumLength: 8, TemporaryPasswordValidityDays: 1 } },
      }),
    );
    const id = pool.UserPool?.Id as string;
    const client = await newClient({}, id);
    await newUser('shorty', id);
    expect((await login('shorty', TEMP, client)).ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    h.clock.advance(86_400_000 + 1_000);
    await expect(login('shorty', TEMP, client)).rejects.toThrow(
      'Temporary password has expired and must be reset by an administrator.',
    );
  });

  it('runs the challenge through AdminInitiateAuth and AdminRespondToAuthChallenge', async () => {
    const email = await newUser();
    const challenge = await h.sdk.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: TEMP },
      }),
    );
    expect(challenge.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    const done = await h.sdk.send(
      new AdminRespondToAuthChallengeCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: challenge.Session,
        ChallengeResponses: { USERNAME: email, NEW_PASSWORD: FINAL },
      }),
    );
    expect(done.AuthenticationResult?.AccessToken).toBeTruthy();
    const legacy = await h.sdk.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: 'ADMIN_NO_SRP_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: FINAL },
      }),
    );
    expect(legacy.AuthenticationResult?.IdToken).toBeTruthy();
  });
});

describe('refresh tokens and sign-out', () => {
  const refresh = (token: string | undefined, client = clientId) =>
    h.sdk.send(
      new InitiateAuthCommand({
        ClientId: client,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: token as string },
      }),
    );

  it('issues new ID and access tokens for a refresh token, without a new refresh token', async () => {
    const email = await confirmedUser();
    const first = await login(email, FINAL);
    const again = await refresh(first.AuthenticationResult?.RefreshToken);
    expect(again.AuthenticationResult?.IdToken).toBeTruthy();
    expect(again.AuthenticationResult?.RefreshToken).toBeUndefined();
  });

  it('rejects a forged refresh token and a refresh token of another client', async () => {
    const email = await confirmedUser();
    const { AuthenticationResult } = await login(email, FINAL);
    await expect(refresh('eyJmb3JnZWQiOnRydWV9')).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Invalid Refresh Token',
    });
    const other = await newClient();
    await expect(refresh(AuthenticationResult?.RefreshToken, other)).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Invalid Refresh Token',
    });
  });

  it('revokes refresh and access tokens on GlobalSignOut', async () => {
    const email = await confirmedUser();
    const { AuthenticationResult: tokens } = await login(email, FINAL);
    await h.sdk.send(new GlobalSignOutCommand({ AccessToken: tokens?.AccessToken }));
    await expect(refresh(tokens?.RefreshToken)).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Refresh Token has been revoked',
    });
    await expect(h.sdk.send(new GetUserCommand({ AccessToken: tokens?.AccessToken }))).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Access Token has been revoked',
    });
    expect((await login(email, FINAL)).AuthenticationResult).toBeDefined();
  });

  it('revokes every session of the user on AdminUserGlobalSignOut', async () => {
    const email = await confirmedUser();
    const a = await login(email, FINAL);
    const b = await login(email, FINAL);
    await h.sdk.send(new AdminUserGlobalSignOutCommand({ UserPoolId: poolId, Username: email }));
    for (const session of [a, b]) {
      await expect(refresh(session.AuthenticationResult?.RefreshToken)).rejects.toThrow(
        'Refresh Token has been revoked',
      );
    }
  });

  it('refuses to refresh tokens of a disabled user and revokes its access tokens', async () => {
    const email = await confirmedUser();
    const { AuthenticationResult: tokens } = await login(email, FINAL);
    await h.sdk.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: email }));
    await expect(refresh(tokens?.RefreshToken)).rejects.toThrow(/revoked|disabled/);
    await expect(h.sdk.send(new GetUserCommand({ AccessToken: tokens?.AccessToken }))).rejects.toMatchObject({
      name: 'NotAuthorizedException',
    });
  });

  it('expires a refresh token after the client RefreshTokenValidity', async () => {
    const email = await confirmedUser();
    const shortLived = await newClient({
      RefreshTokenValidity: 60,
      TokenValidityUnits: { RefreshToken: 'minutes' },
    });
    const { AuthenticationResult } = await login(email, FINAL, shortLived);
    h.clock.advance(60 * 60_000 + 1_000);
    await expect(refresh(AuthenticationResult?.RefreshToken, shortLived)).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Refresh Token has expired',
    });
  });
});

describe('ChangePassword', () => {
  it('changes the password only with the right previous password and a password that meets the policy', async () => {
    const email = await confirmedUser();
    const token = (await login(email, FINAL)).AuthenticationResult?.AccessToken;
    const change = (previous: string, proposed: string) =>
      h.sdk.send(
        new ChangePasswordCommand({
          AccessToken: token,
          PreviousPassword: previous,
          ProposedPassword: proposed,
        }),
      );
    await expect(change('Wrong#Pass9', 'Next#Pass4')).rejects.toMatchObject({
      name: 'NotAuthorizedException',
    });
    await expect(change(FINAL, 'nopolicy')).rejects.toMatchObject({ name: 'InvalidPasswordException' });
    await change(FINAL, 'Next#Pass4');
    await expect(login(email, FINAL)).rejects.toThrow('Incorrect username or password.');
    expect((await login(email, 'Next#Pass4')).AuthenticationResult).toBeDefined();
  });
});
