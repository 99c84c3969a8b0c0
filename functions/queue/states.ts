/**
 * The states a message moves through, defined once. A state is derived from the message's times,
 * never stored as a field, so it cannot disagree with them:
 *
 *   delayed     visibleAt > now and never received (a delay, per message or per queue)
 *   visible     visibleAt <= now: a receive may take it
 *   inFlight    visibleAt > now and received at least once: a lease holds it until visibleAt
 *   expired     expiresAt <= now: past retention, never delivered again, removed when met
 *
 * A purged message (sent at or before the queue's purge mark) is, like an expired one,
 * undeliverable: the same rule decides both, here, in the store's conditions and in peeks.
 */
export const messageStates = ['visible', 'inFlight', 'delayed'] as const;

/** The states a live (deliverable) message can be in; expired ones are no longer counted or shown. */
export type MessageState = (typeof messageStates)[number];

/** How people read the states (console, CLI). */
export const messageStateLabels: Record<MessageState, string> = {
  visible: 'Visible',
  inFlight: 'In flight',
  delayed: 'Delayed',
};

/** How many messages a queue holds in each state (approximate, as every count). */
export type MessageCounts = Record<MessageState, number>;

export const noMessages = (): MessageCounts => ({ visible: 0, inFlight: 0, delayed: 0 });

/** The state of a deliverable message at `now`. */
export function stateOf(message: { visibleAt: number; receiveCount: number }, now: number): MessageState {
  if (message.visibleAt <= now) return 'visible';
  return message.receiveCount > 0 ? 'inFlight' : 'delayed';
}

export const isExpired = (message: { expiresAt: number }, now: number): boolean => message.expiresAt <= now;

/** Sent at or before the queue's purge mark. */
export const isPurged = (queue: { purgedAt?: number | undefined }, message: { sentAt: number }): boolean =>
  queue.purgedAt !== undefined && message.sentAt <= queue.purgedAt;

/**
 * The undeliverable rule: past retention or purged. Such a message is never delivered (nor shown)
 * again, and whoever meets it may remove it.
 */
export function undeliverable(
  queue: { purgedAt?: number | undefined },
  message: { expiresAt: number; sentAt: number },
  now: number,
): boolean {
  return isExpired(message, now) || isPurged(queue, message);
}

/** Received maxReceiveCount times under a redrive policy: it belongs in the dead-letter queue. */
export function exhausted(
  queue: { deadLetterQueue?: string | undefined; maxReceiveCount?: number | undefined },
  message: { receiveCount: number },
): boolean {
  return (
    queue.deadLetterQueue !== undefined &&
    queue.maxReceiveCount !== undefined &&
    message.receiveCount >= queue.maxReceiveCount
  );
}
