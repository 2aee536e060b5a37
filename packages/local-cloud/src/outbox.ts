import type { Clock, Outbox, OutboxMessage } from './types.js';

/** Keeps every message AWS would e-mail, newest last, per lower-cased address. */
export function createOutbox(
  clock: Clock,
  initial: OutboxMessage[] = [],
): Outbox & { all(): OutboxMessage[] } {
  const messages: OutboxMessage[] = [...initial];
  return {
    send(message) {
      messages.push({ ...message, sentAt: new Date(clock.now()).toISOString() });
    },
    list(to) {
      const wanted = to.toLowerCase();
      return messages.filter((m) => m.to.toLowerCase() === wanted);
    },
    all: () => [...messages],
  };
}
