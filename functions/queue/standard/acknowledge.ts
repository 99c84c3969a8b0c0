import type { QueueContext } from '../context';
import { isQueueError, type QueueError } from '../errors';
import type { QueueRecord } from '../model';
import type { DeleteOutcome, VisibilityOutcome } from '../ports/queue-store';
import type { ReceiptHandleParts } from '../receipt-handle';
import { announceArrival } from '../shared/idle-poll';

/**
 * Deleting standard messages and changing their visibility: each acts on one message, and only
 * for the holder of its current lease (the token in the receipt handle), unless `anyLease`.
 */
export function deleteMessage(
  ctx: QueueContext,
  queue: QueueRecord,
  receiptHandle: unknown,
  anyLease = false,
): Promise<DeleteOutcome> {
  const parts = ctx.receiptHandles.decode(receiptHandle, queue.id);
  return ctx.store.deleteMessage(queue.id, parts.messageId, parts.leaseToken, anyLease);
}

/** Deletes a batch at once; a handle that does not decode fails its entry only. */
export async function deleteMessages(
  ctx: QueueContext,
  queue: QueueRecord,
  entries: { receiptHandle: unknown }[],
  anyLease = false,
): Promise<(DeleteOutcome | QueueError)[]> {
  const decoded: (ReceiptHandleParts | QueueError)[] = entries.map(({ receiptHandle }) => {
    try {
      return ctx.receiptHandles.decode(receiptHandle, queue.id);
    } catch (error) {
      if (!isQueueError(error)) throw error;
      return error;
    }
  });
  const valid = decoded.filter((parts): parts is ReceiptHandleParts => !isQueueError(parts));
  const outcomes = await ctx.store.deleteMessages(
    valid.map((parts) => ({
      queueId: queue.id,
      messageId: parts.messageId,
      leaseToken: parts.leaseToken,
      anyLease,
    })),
  );
  let next = 0;
  return decoded.map((parts) => (isQueueError(parts) ? parts : outcomes[next++]!));
}

export async function changeVisibility(
  ctx: QueueContext,
  queue: QueueRecord,
  receiptHandle: unknown,
  seconds: number,
  anyLease = false,
): Promise<VisibilityOutcome> {
  const parts = ctx.receiptHandles.decode(receiptHandle, queue.id);
  const now = ctx.clock.now();
  const outcome = await ctx.store.changeVisibility({
    queueId: queue.id,
    messageId: parts.messageId,
    leaseToken: parts.leaseToken,
    now,
    visibleAt: now + seconds * 1000,
    ...(anyLease ? { anyLease } : {}),
  });
  // A lease cut short makes the message visible before idle receivers expect it (idle-poll.ts).
  if (outcome === 'changed') await announceArrival(ctx, queue.id);
  return outcome;
}

/** Messages of a standard queue are leased one by one: a batch's changes run in parallel. */
export async function forEachVisibilityChange<T>(
  entries: T[],
  change: (entry: T, index: number) => Promise<void>,
): Promise<void> {
  await Promise.all(entries.map(change));
}
