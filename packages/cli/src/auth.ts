import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { unreachable } from './api.js';
import { CliError, EXIT } from './errors.js';

/** Where Cognito is: the default AWS endpoint of `region`, or the local stack's `cognitoEndpoint`. */
export interface CognitoLocation {
  region: string;
  endpoint?: string;
}

/** One answer of the login flow: the tokens, or a challenge to answer. */
export type AuthOutcome =
  | { kind: 'tokens'; idToken: string }
  | { kind: 'challenge'; challengeName: string; session: string; username: string };

/** The two Cognito calls of a login (contract §3), so the flow can be tested without Cognito. */
export interface AuthClient {
  logIn(input: { clientId: string; username: string; password: string }): Promise<AuthOutcome>;
  setNewPassword(input: {
    clientId: string;
    session: string;
    username: string;
    newPassword: string;
  }): Promise<AuthOutcome>;
}

/**
 * The `AuthClient` over `@aws-sdk/client-cognito-identity-provider`. `InitiateAuth` and
 * `RespondToAuthChallenge` are unsigned calls: no AWS credentials are needed, locally or on AWS.
 */
export function buildCognitoAuth(location: CognitoLocation): AuthClient {
  const cognito = new CognitoIdentityProviderClient({
    region: location.region,
    ...(location.endpoint ? { endpoint: location.endpoint } : {}),
  });
  const target = location.endpoint ?? `https://cognito-idp.${location.region}.amazonaws.com`;
  return {
    async logIn({ clientId, username, password }) {
      try {
        const output = await cognito.send(
          new InitiateAuthCommand({
            ClientId: clientId,
            AuthFlow: 'USER_PASSWORD_AUTH',
            AuthParameters: { USERNAME: username, PASSWORD: password },
          }),
        );
        return outcomeOf(output, username);
      } catch (error) {
        throw cognitoError(error, target, 'login refused');
      }
    },
    async setNewPassword({ clientId, session, username, newPassword }) {
      try {
        const output = await cognito.send(
          new RespondToAuthChallengeCommand({
            ClientId: clientId,
            ChallengeName: 'NEW_PASSWORD_REQUIRED',
            Session: session,
            ChallengeResponses: { USERNAME: username, NEW_PASSWORD: newPassword },
          }),
        );
        return outcomeOf(output, username);
      } catch (error) {
        throw cognitoError(error, target, 'the new password was refused');
      }
    },
  };
}

function outcomeOf(
  output: {
    AuthenticationResult?: { IdToken?: string };
    ChallengeName?: string;
    Session?: string;
    ChallengeParameters?: Record<string, string>;
  },
  username: string,
): AuthOutcome {
  const idToken = output.AuthenticationResult?.IdToken;
  if (idToken) return { kind: 'tokens', idToken };
  if (output.ChallengeName)
    return {
      kind: 'challenge',
      challengeName: output.ChallengeName,
      session: output.Session ?? '',
      username: output.ChallengeParameters?.USER_ID_FOR_SRP ?? username,
    };
  throw new CliError('Cognito answered with neither tokens nor a challenge');
}

/** Cognito's own messages ("Incorrect username or password.") are about the caller's input: show them. */
function cognitoError(error: unknown, target: string, what: string): CliError {
  const name = (error as { name?: string }).name ?? '';
  const message = (error as { message?: string }).message ?? String(error);
  if (!(error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode)
    return unreachable(target, error);
  switch (name) {
    case 'NotAuthorizedException':
    case 'UserNotFoundException':
      return new CliError(`${what}: ${message} Check the e-mail address and password.`, EXIT.failed, {
        cause: error,
      });
    case 'InvalidPasswordException':
      return new CliError(`${what}: ${message}`, EXIT.failed, { cause: error });
    case 'PasswordResetRequiredException':
      return new CliError(`${what}: ${message} Ask an admin to reset the password.`, EXIT.failed, {
        cause: error,
      });
    default:
      return new CliError(`${what}: Cognito answered ${name}: ${message}`, EXIT.failed, { cause: error });
  }
}
