import type { QueueContext } from '../context';
import { invalidParameter, QueueError } from '../errors';
import type { QueueRef } from '../model';

/**
 * Cancelling a scheduled message (shared/schedule.ts): it is removed only while it is not yet
 * deliverable and was never received, decided by one conditional write in the store, so a
 * cancel racing its delivery either wins (never delivered) or is refused (delivered).
 */
export async function cancelScheduledMessage(ctx: QueueContext, ref: QueueRef, messageId: unknown) {
  if (typeof messageId !== 'string' || messageId.length > 100) {
    throw invalidParameter('messageId', messageId, 'a message id');
  }
  const queue = await ctx.queues.require(ref);
  const outcome = await ctx.store.cancelScheduled(queue.id, messageId, ctx.clock.now());
  if (outcome === 'notFound') {
    throw new QueueError('MessageNotFound', `No message ${messageId} in ${ref.name}`);
  }
  if (outcome === 'notScheduled') {
    throw new QueueError('MessageNotScheduled', `${messageId} is deliverable or received`);
  }
}
