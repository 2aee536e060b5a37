import { randomBytes } from 'node:crypto';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { ROOT_CREDENTIALS } from '@tenantry/local-cloud';

export interface LocalUserInput {
  cognitoEndpoint: string;
  region: string;
  userPoolId: string;
  clientId: string;
  email?: string;
  tenantId?: string;
  role: 'SystemAdmin' | 'TenantAdmin' | 'TenantUser';
}

export interface LocalUser {
  email: string;
  password: string;
  userId: string;
  idToken: string;
  accessToken: string;
}

/**
 * Creates a confirmed user in a local user pool (as onboarding will) and logs it in through the
 * client flow, returning real tokens signed by that pool.
 *
 * @example
 * const user = await createLocalUser({ ...pool, tenantId: 'acme', role: 'TenantAdmin' });
 * await fetch(`${appUrl}/products/p1`, { headers: { authorization: `Bearer ${user.idToken}` } });
 */
export async function createLocalUser(input: LocalUserInput): Promise<LocalUser> {
  const cognito = new CognitoIdentityProviderClient({
    region: input.region,
    endpoint: input.cognitoEndpoint,
    credentials: ROOT_CREDENTIALS,
  });
  const email = input.email ?? `user-${randomBytes(6).toString('hex')}@example.com`;
  const password = `Pw-${randomBytes(9).toString('base64url')}9a`;
  const attributes = [
    { Name: 'email', Value: email },
    { Name: 'email_verified', Value: 'true' },
    { Name: 'custom:userRole', Value: input.role },
    ...(input.tenantId ? [{ Name: 'custom:tenantId', Value: input.tenantId }] : []),
  ];
  const created = await cognito.send(
    new AdminCreateUserCommand({
      UserPoolId: input.userPoolId,
      Username: email,
      MessageAction: 'SUPPRESS',
      UserAttributes: attributes,
    }),
  );
  await cognito.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: input.userPoolId,
      Username: email,
      Password: password,
      Permanent: true,
    }),
  );
  const auth = await cognito.send(
    new InitiateAuthCommand({
      ClientId: input.clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }),
  );
  const idToken = auth.AuthenticationResult?.IdToken;
  const accessToken = auth.AuthenticationResult?.AccessToken;
  if (!idToken || !accessToken) throw new Error(`login of ${email} returned no tokens`);
  const userId = created.User?.Attributes?.find((attribute) => attribute.Name === 'sub')?.Value ?? '';
  return { email, password, userId, idToken, accessToken };
}
