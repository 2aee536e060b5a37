import { apiError, requestJson } from '../api.js';
import type { Command } from '../args.js';
import type { CliContext } from '../context.js';
import type { CliEndpoints } from '../endpoints.js';
import { CliError, EXIT, type ExitCode } from '../errors.js';

/** One message of the local outbox (contract §3). */
export interface OutboxMessage {
  to: string;
  subject: string;
  body: string;
  temporaryPassword?: string;
  sentAt: string;
}

/** Prints what the local stack would have e-mailed to an address, oldest first. */
export async function outbox(
  command: Extract<Command, { name: 'outbox' }>,
  endpoints: CliEndpoints,
  context: CliContext,
): Promise<ExitCode> {
  if (!endpoints.outboxUrl)
    throw new CliError(
      'the outbox exists only in the local stack (pnpm dev) and this endpoints file has no outboxUrl; on AWS, invitations are e-mailed',
      EXIT.environment,
    );
  const answer = await requestJson(
    context.fetch,
    'GET',
    `${endpoints.outboxUrl}?to=${encodeURIComponent(command.email)}`,
  );
  if (answer.status !== 200) throw apiError('reading the outbox failed', answer);
  const messages = (answer.body.messages ?? []) as OutboxMessage[];
  if (command.json) {
    context.stdout(`${JSON.stringify(messages, null, 2)}\n`);
    return EXIT.ok;
  }
  if (messages.length === 0) context.stderr(`no messages for ${command.email}\n`);
  else context.stdout(messages.map(renderMessage).join('\n'));
  return EXIT.ok;
}

/** A message as a reader wants it: headers, the temporary password if any, then the body. */
export function renderMessage(message: OutboxMessage): string {
  const lines = [`To: ${message.to}`, `Date: ${message.sentAt}`, `Subject: ${message.subject}`];
  if (message.temporaryPassword) lines.push(`Temporary password: ${message.temporaryPassword}`);
  return `${lines.join('\n')}\n\n${message.body.trimEnd()}\n`;
}
