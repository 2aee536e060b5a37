import { httpHandler, json } from '@tenantry/tenant-middleware';
import { loadSignUpConfig } from '../../config.js';
import { signUpDeps } from '../../deps.js';
import { idempotencyKeyField, register, registrationBody, requestedFailStep } from '../../domain/sign-up.js';

const config = loadSignUpConfig();
const deps = signUpDeps(config);

/** Header names are case-insensitive; API Gateway passes them as the client sent them. */
const header = (headers: Record<string, string | undefined> | null, name: string) =>
  Object.entries(headers ?? {}).find(([key]) => key.toLowerCase() === name)?.[1];

export const handler = httpHandler({ auth: 'none', body: registrationBody }).handler(async (event) => {
  const idempotencyKey = idempotencyKeyField(header(event.headers, 'idempotency-key'), 'Idempotency-Key');
  const failStep = requestedFailStep(header(event.headers, 'x-tenantry-fail-step'), config.faultInjection);
  const answer = await register(deps, {
    body: event.body,
    ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
    ...(failStep === undefined ? {} : { failStep }),
    authorization: header(event.headers, 'authorization'),
  });
  return json(202, answer, { Location: `/registrations/${answer.registrationId}` });
});
