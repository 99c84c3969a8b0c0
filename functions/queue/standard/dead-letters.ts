import type { QueueContext } from '../context';
import type { QueueRecord } from '../model';
import { announceArrival } from '../shared/idle-poll';

/**
 * Dead letters of standard queues: an exhausted message moves to its queue's dead-letter queue
 * (a standard queue) as a message of that queue, in one transaction in the store.
 */

/** Moves one exhausted message; false if it changed meanwhile or there is no dead-letter queue. */
export async function moveExhausted(
  ctx: QueueContext,
  queue: QueueRecord,
  messageId: string,
  reason: string,
): Promise<boolean> {
  if (queue.deadLetterQueue === undefined) return false;
  const target = await ctx.queues.find({ ...queue.ref, name: queue.deadLetterQueue });
  // A deleted dead-letter queue: the message stays (undelivered) until the policy is fixed.
  if (!target) return false;
  const outcome = await ctx.deadLetters.moveToDeadLetterQueue({
    source: queue,
    messageId,
    now: ctx.clock.now(),
    target,
    reason,
  });
  if (outcome !== 'moved') return false;
  await announceArrival(ctx, target.id);
  // Written by the flush of the receive or sweep that moved it.
  ctx.stats.count(queue.id, 'deadLettered');
  return true;
}
