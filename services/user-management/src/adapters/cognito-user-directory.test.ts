import { UserNotFoundException } from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect, it } from 'vitest';
import { buildCognitoUserDirectory } from './cognito-user-directory.js';

describe('buildCognitoUserDirectory', () => {
  it('asks the configured pool and shapes the answer as a user', async () => {
    const inputs: unknown[] = [];
    const client = {
      send: async (command: { input: unknown }) => {
        inputs.push(command.input);
        return {
          Username: 'a1b2',
          Enabled: true,
          UserStatus: 'CONFIRMED',
          UserCreateDate: new Date('2026-01-02T03:04:05.000Z'),
          UserAttributes: [
            { Name: 'sub', Value: 'a1b2' },
            { Name: 'email', Value: 'ops@example.com' },
            { Name: 'custom:userRole', Value: 'SystemAdmin' },
          ],
        };
      },
    };
    const user = await buildCognitoUserDirectory(client as never, 'us-east-1_ops').get('a1b2');
    expect(inputs).toEqual([{ UserPoolId: 'us-east-1_ops', Username: 'a1b2' }]);
    expect(user).toEqual({
      userId: 'a1b2',
      email: 'ops@example.com',
      role: 'SystemAdmin',
      tenantId: 'operations',
      status: 'CONFIRMED',
      enabled: true,
      createdAt: '2026-01-02T03:04:05.000Z',
    });
  });

  it('returns nothing for an unknown user', async () => {
    const client = {
      send: async () => {
        throw new UserNotFoundException({ message: 'User does not exist.', $metadata: {} });
      },
    };
    await expect(buildCognitoUserDirectory(client as never, 'p').get('x')).resolves.toBeUndefined();
  });

  it('lets other Cognito failures through', async () => {
    const client = {
      send: async () => {
        throw new Error('TooManyRequestsException');
      },
    };
    await expect(buildCognitoUserDirectory(client as never, 'p').get('x')).rejects.toThrow('TooManyRequests');
  });
});
