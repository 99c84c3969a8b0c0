import type { QueueContext } from '../context';
import { invalidParameter, QueueError } from '../errors';
import type { QueueRef } from '../model';

/**
 * Cancelling a scheduled message (shared/schedule.ts): it is removed only while it is not yet
 * deliverable and was never received, decided by one conditional write in the store, so a
 * cancel racing its delivery either wins (never delivered) or is refused (delivered).
 */
export async function cancelScheduledMessage(ctx: QueueContext, ref: QueueRef, messageId: unknown) {
  if (typeof messageId !== 'string' || !/^[A-Za-z0-9-]{1,100}$/.test(messageId)) {
    throw invalidParameter('messageId', messageId, 'a message id as a send returned it');
  }
  const queue = await ctx.queues.require(ref);
  const outcome = await ctx.store.cancelScheduled(queue.id, messageId, ctx.clock.now());
  if (outcome === 'notFound') {
    throw new QueueError('MessageNotFound', `The queue ${ref.name} has no message ${messageId}`);
  }
  if (outcome === 'notScheduled') {
    throw new QueueError(
      'MessageNotScheduled',
      `The message ${messageId} is deliverable or was received already: it can no longer be cancelled`,
    );
  }
}
