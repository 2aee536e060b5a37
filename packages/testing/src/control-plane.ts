import { randomBytes } from 'node:crypto';
import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { ROOT_CREDENTIALS } from '@tenantry/local-cloud';
import type { LocalUser } from './local-users.js';

/** What the control-plane helpers need of the running stack (from vitest's `inject`). */
export interface ControlPlaneStack {
  endpoints: {
    controlPlaneUrl: string;
    cognitoEndpoint: string;
    outboxUrl: string;
    region: string;
    systemAdmin: { userPoolId: string; appClientId: string; username: string; password: string };
  };
  localCloud: { aws: string };
}

/** An HTTP answer with its JSON body (`{}` when empty). */
export interface JsonAnswer {
  status: number;
  body: Record<string, unknown>;
}

/**
 * Calls an API with a user's ID token (none for public routes) and reads the JSON answer.
 *
 * @example
 * const answer = await callApi(endpoints.controlPlaneUrl, admin, 'GET', '/tenants');
 */
export async function callApi(
  baseUrl: string,
  user: Pick<LocalUser, 'idToken'> | undefined,
  method: string,
  path: string,
  body?: unknown,
): Promise<JsonAnswer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (user) headers.authorization = `Bearer ${user.idToken}`;
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** One message of the local outbox (contract §3). */
export interface OutboxMessage {
  to: string;
  subject: string;
  body: string;
  temporaryPassword?: string;
  sentAt: string;
}

/** The messages sent to `email`, oldest first. */
export async function readOutbox(stack: ControlPlaneStack, email: string): Promise<OutboxMessage[]> {
  const response = await fetch(`${stack.endpoints.outboxUrl}?to=${encodeURIComponent(email)}`);
  if (response.status !== 200) throw new Error(`outbox answered ${response.status}`);
  return ((await response.json()) as { messages: OutboxMessage[] }).messages;
}

const cognitoOf = (stack: ControlPlaneStack) =>
  new CognitoIdentityProviderClient({
    region: stack.endpoints.region,
    endpoint: stack.endpoints.cognitoEndpoint,
    credentials: ROOT_CREDENTIALS,
  });

/** Logs a user in with a permanent password (`USER_PASSWORD_AUTH`). */
export async function logIn(
  stack: ControlPlaneStack,
  pool: { appClientId: string },
  email: string,
  password: string,
): Promise<LocalUser> {
  const auth = await cognitoOf(stack).send(
    new InitiateAuthCommand({
      ClientId: pool.appClientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }),
  );
  const idToken = auth.AuthenticationResult?.IdToken;
  const accessToken = auth.AuthenticationResult?.AccessToken;
  if (!idToken || !accessToken) throw new Error(`login of ${email} returned no tokens`);
  const claims = JSON.parse(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString()) as {
    sub: string;
  };
  return { email, password, userId: claims.sub, idToken, accessToken };
}

/** The seeded SystemAdmin, logged in. */
export const logInSystemAdmin = (stack: ControlPlaneStack): Promise<LocalUser> =>
  logIn(
    stack,
    stack.endpoints.systemAdmin,
    stack.endpoints.systemAdmin.username,
    stack.endpoints.systemAdmin.password,
  );

/**
 * Accepts an invitation as a new user does: reads the temporary password from the outbox, logs in,
 * answers `NEW_PASSWORD_REQUIRED` with a new password and returns the user with its tokens.
 */
export async function acceptInvitation(
  stack: ControlPlaneStack,
  pool: { appClientId: string },
  email: string,
): Promise<LocalUser> {
  const temporaryPassword = (await readOutbox(stack, email)).at(-1)?.temporaryPassword;
  if (!temporaryPassword) throw new Error(`no invitation for ${email} in the outbox`);
  const cognito = cognitoOf(stack);
  const challenge = await cognito.send(
    new InitiateAuthCommand({
      ClientId: pool.appClientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: email, PASSWORD: temporaryPassword },
    }),
  );
  if (challenge.ChallengeName !== 'NEW_PASSWORD_REQUIRED')
    throw new Error(`expected NEW_PASSWORD_REQUIRED, got ${challenge.ChallengeName ?? 'tokens'}`);
  const password = `Pw-${randomBytes(9).toString('base64url')}9a`;
  await cognito.send(
    new RespondToAuthChallengeCommand({
      ClientId: pool.appClientId,
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: challenge.Session,
      ChallengeResponses: {
        USERNAME: challenge.ChallengeParameters?.USER_ID_FOR_SRP ?? email,
        NEW_PASSWORD: password,
      },
    }),
  );
  return logIn(stack, pool, email, password);
}

/** What an internal function answered: its result, or the error it threw. */
export type InvokeResult<T> =
  | { ok: true; result: T }
  | { ok: false; errorType: string; errorMessage: string };

/**
 * Invokes a function through the Lambda Invoke API (as the provisioning workflow does).
 *
 * @example
 * const answer = await invokeFunction(stack, outputs.CreateTenantRecordFunctionArn, { tenantId, ... });
 */
export async function invokeFunction<T = unknown>(
  stack: ControlPlaneStack,
  functionArn: string,
  payload: unknown,
): Promise<InvokeResult<T>> {
  const lambda = new LambdaClient({
    region: stack.endpoints.region,
    endpoint: stack.localCloud.aws,
    credentials: ROOT_CREDENTIALS,
  });
  const output = await lambda.send(
    new InvokeCommand({ FunctionName: functionArn, Payload: Buffer.from(JSON.stringify(payload)) }),
  );
  const body: unknown = output.Payload ? JSON.parse(Buffer.from(output.Payload).toString('utf8')) : null;
  if (output.FunctionError) {
    const { errorType, errorMessage } = body as { errorType: string; errorMessage: string };
    return { ok: false, errorType, errorMessage };
  }
  return { ok: true, result: body as T };
}

/** Retries `probe` until `done` holds or `timeoutMs` passes; returns the last value and the time taken. */
export async function pollUntil<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  { timeoutMs = 5_000, intervalMs = 100 } = {},
): Promise<{ value: T; elapsedMs: number }> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    const elapsedMs = Date.now() - started;
    if (done(value) || elapsedMs >= timeoutMs) return { value, elapsedMs };
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
