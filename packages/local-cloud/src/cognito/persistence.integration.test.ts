import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterEach, describe, expect, it } from 'vitest';
import { createClock } from '../clock.js';
import { type Harness, startEmulator } from './testing.js';

const PASSWORD = 'Secret#Pass7';
const dirs: string[] = [];
const running: Harness[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((h) => h.close()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function seed(h: Harness) {
  const pool = await h.sdk.send(
    new CreateUserPoolCommand({ PoolName: 'kept', UsernameAttributes: ['email'] }),
  );
  const poolId = pool.UserPool?.Id as string;
  const client = await h.sdk.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: 'web',
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }),
  );
  const clientId = client.UserPoolClient?.ClientId as string;
  await h.sdk.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: 'kept@example.com',
      MessageAction: 'SUPPRESS',
    }),
  );
  await h.sdk.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: poolId,
      Username: 'kept@example.com',
      Password: PASSWORD,
      Permanent: true,
    }),
  );
  const login = await h.sdk.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: 'kept@example.com', PASSWORD },
    }),
  );
  return { poolId, clientId, refreshToken: login.AuthenticationResult?.RefreshToken as string };
}

describe('persistence', () => {
  it('keeps pools, keys, users and refresh tokens across a restart, without plaintext passwords', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cognito-'));
    dirs.push(dir);
    const dataFile = join(dir, 'state', 'cognito.json');
    const clock = createClock();
    const first = await startEmulator({ dataFile, clock });
    const { poolId, clientId, refreshToken } = await seed(first);
    const jwks = await (await fetch(`${first.endpoint}/${poolId}/.well-known/jwks.json`)).text();
    await first.close();

    const text = readFileSync(dataFile, 'utf8');
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(refreshToken.slice(-20));
    expect(text).toContain('scrypt$');

    const second = await startEmulator({ dataFile, clock });
    running.push(second);
    expect(await (await fetch(`${second.endpoint}/${poolId}/.well-known/jwks.json`)).text()).toBe(jwks);
    const login = await second.sdk.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'kept@example.com', PASSWORD },
      }),
    );
    expect(login.AuthenticationResult?.IdToken).toBeTruthy();
    const refreshed = await second.sdk.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: refreshToken },
      }),
    );
    expect(refreshed.AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it('saves shortly after a change without an explicit flush', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cognito-'));
    dirs.push(dir);
    const dataFile = join(dir, 'cognito.json');
    const h = await startEmulator({ dataFile });
    running.push(h);
    const pool = await h.sdk.send(new CreateUserPoolCommand({ PoolName: 'debounced' }));
    await expect
      .poll(
        () => existsSync(dataFile) && readFileSync(dataFile, 'utf8').includes(pool.UserPool?.Id as string),
      )
      .toBe(true);
  });

  it('keeps everything in memory when no data file is given', async () => {
    const first = await startEmulator();
    const { poolId } = await seed(first);
    await first.close();
    const second = await startEmulator();
    running.push(second);
    expect((await fetch(`${second.endpoint}/${poolId}/.well-known/jwks.json`)).status).toBe(404);
  });
});
