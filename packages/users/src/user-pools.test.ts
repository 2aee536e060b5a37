import { describe, expect, it } from 'vitest';
import { UserExistsError } from './errors.js';
import { buildUserPools } from './user-pools.js';

const cognitoUser = {
  Username: 'a1b2',
  Enabled: true,
  UserStatus: 'CONFIRMED',
  UserCreateDate: new Date('2026-01-02T03:04:05.000Z'),
  UserAttributes: [
    { Name: 'sub', Value: 'a1b2' },
    { Name: 'email', Value: 'ann@acme.test' },
    { Name: 'custom:userRole', Value: 'TenantUser' },
    { Name: 'custom:tenantId', Value: 't1' },
  ],
};

const failing = (name: string) => ({
  send: async () => {
    throw Object.assign(new Error(name), { name });
  },
});

describe('buildUserPools', () => {
  it('asks the given pool and shapes the answer as a pool user', async () => {
    const inputs: unknown[] = [];
    const client = {
      send: async (command: { input: unknown }) => {
        inputs.push(command.input);
        return cognitoUser;
      },
    };
    await expect(buildUserPools(client as never).get('us-east-1_p', 'a1b2')).resolves.toEqual({
      userId: 'a1b2',
      email: 'ann@acme.test',
      role: 'TenantUser',
      tenantId: 't1',
      status: 'CONFIRMED',
      enabled: true,
      createdAt: '2026-01-02T03:04:05.000Z',
    });
    expect(inputs).toEqual([{ UserPoolId: 'us-east-1_p', Username: 'a1b2' }]);
  });

  it('invites by e-mail with the tenant and role set by the server', async () => {
    const inputs: Record<string, unknown>[] = [];
    const client = {
      send: async (command: { input: Record<string, unknown> }) => {
        inputs.push(command.input);
        return {
          User: {
            ...cognitoUser,
            Attributes: cognitoUser.UserAttributes,
            UserStatus: 'FORCE_CHANGE_PASSWORD',
          },
        };
      },
    };
    const user = await buildUserPools(client as never).invite('p', {
      email: 'ann@acme.test',
      role: 'TenantUser',
      tenantId: 't1',
    });
    expect(user.status).toBe('FORCE_CHANGE_PASSWORD');
    expect(inputs[0]).toMatchObject({
      UserPoolId: 'p',
      Username: 'ann@acme.test',
      DesiredDeliveryMediums: ['EMAIL'],
      UserAttributes: expect.arrayContaining([
        { Name: 'custom:tenantId', Value: 't1' },
        { Name: 'custom:userRole', Value: 'TenantUser' },
      ]),
    });
  });

  it('turns a taken address into UserExistsError and an unknown user into nothing', async () => {
    await expect(
      buildUserPools(failing('UsernameExistsException') as never).invite('p', {
        email: 'a@b.cd',
        role: 'TenantUser',
      }),
    ).rejects.toThrow(UserExistsError);
    await expect(
      buildUserPools(failing('UserNotFoundException') as never).get('p', 'x'),
    ).resolves.toBeUndefined();
    await expect(buildUserPools(failing('UserNotFoundException') as never).remove('p', 'x')).resolves.toBe(
      false,
    );
  });

  it('lets other Cognito failures through', async () => {
    await expect(buildUserPools(failing('TooManyRequestsException') as never).get('p', 'x')).rejects.toThrow(
      'TooManyRequests',
    );
  });
});
