import type { QueueContext } from '../context';
import { QueueError } from '../errors';
import { kindOf } from '../kinds';
import type { QueueRef, StoredMessage } from '../model';
import { type MessageState, stateOf, undeliverable } from '../states';
import { integerInRange } from '../validation';

export type { MessageState };

/**
 * Peeking: the next messages of a queue as they are, without a lease and without counting a
 * receive, for a person looking at the queue, in the order its kind serves them (peek in
 * standard/queues.ts, fifo/queues.ts).
 */

export interface PeekedMessage {
  message: StoredMessage;
  state: MessageState;
}

export const peekLimits = { min: 1, max: 50, default: 10 } as const;

/** Bodies past this many bytes in total end the page early: a reply must fit a Lambda response. */
const maxPeekBodyBytes = 4_000_000;

export async function peekMessages(
  ctx: QueueContext,
  ref: QueueRef,
  input: { limit?: unknown; state?: unknown } = {},
): Promise<PeekedMessage[]> {
  const limit = integerInRange('limit', input.limit ?? peekLimits.default, peekLimits);
  const queue = await ctx.queues.require(ref);
  if (!ctx.inspection) {
    throw new QueueError('UnsupportedOperation', 'Peeking at messages is not available in this runtime');
  }
  const now = ctx.clock.now();
  // `state: delayed` (the REST schema allows no other) lists only scheduled (and delayed) messages, earliest first.
  const found =
    input.state === 'delayed'
      ? await ctx.inspection.peekScheduled(queue, now, limit)
      : await kindOf(queue).peek(ctx.inspection, queue, limit);
  const peeked: PeekedMessage[] = [];
  let bytes = 0;
  for (const message of found) {
    // Expired and purged messages are never delivered again: they are not shown either.
    if (undeliverable(queue, message, now)) continue;
    bytes += Buffer.byteLength(message.body, 'utf8');
    if (peeked.length === limit || (peeked.length > 0 && bytes > maxPeekBodyBytes)) break;
    peeked.push({ message, state: stateOf(message, now) });
  }
  return peeked;
}
