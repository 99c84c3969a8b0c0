import type { QueueContext } from '../context';
import { isQueueError, QueueError } from '../errors';
import { changeFifoVisibility, deleteFifoMessage, deleteFifoMessages } from '../fifo/acknowledge';
import { limits } from '../limits';
import type { BatchResult, QueueRecord, QueueRef } from '../model';
import type { DeleteOutcome, VisibilityOutcome } from '../ports/queue-store';
import type { ReceiptHandleParts } from '../receipt-handle';
import { integerInRange, validateBatch } from '../validation';

/**
 * Deleting a message and changing its visibility: both act only for the holder of the current
 * lease, named by the receipt handle. Deleting a message that is already gone succeeds (a retry
 * after a lost response must not fail), but a handle from an earlier lease is refused.
 */

export async function deleteMessage(ctx: QueueContext, ref: QueueRef, receiptHandle: unknown): Promise<void> {
  const queue = await ctx.queues.require(ref);
  let outcome: DeleteOutcome;
  if (queue.fifo) outcome = await deleteFifoMessage(ctx, queue, receiptHandle);
  else {
    const parts = ctx.receiptHandles.decode(receiptHandle, queue.id);
    outcome = await ctx.store.deleteMessage(queue.id, parts.messageId, parts.leaseToken);
  }
  // A retried delete of a message already gone is answered as deleted, but counted once.
  await ctx.stats.record(queue.id, 'deleted', outcome === 'deleted' ? 1 : 0);
  throwForDelete(outcome);
}

export interface HandleEntry {
  id: string;
  receiptHandle: unknown;
}

export async function deleteMessageBatch(
  ctx: QueueContext,
  ref: QueueRef,
  entries: HandleEntry[],
): Promise<BatchResult<{ id: string }>> {
  const queue = await ctx.queues.require(ref);
  validateBatch<HandleEntry>('entries', entries);
  const result: BatchResult<{ id: string }> = { successful: [], failed: [] };
  if (queue.fifo) {
    const outcomes = await deleteFifoMessages(ctx, queue, entries);
    entries.forEach(({ id }, index) => {
      try {
        const outcome = outcomes[index]!;
        if (isQueueError(outcome)) throw outcome;
        throwForDelete(outcome);
        result.successful.push({ id });
      } catch (error) {
        recordFailure(result, id, error);
      }
    });
    await ctx.stats.record(queue.id, 'deleted', outcomes.filter((o) => o === 'deleted').length);
    return result;
  }
  const decoded = decodeEach(ctx, queue, entries, result);
  const outcomes = await ctx.store.deleteMessages(
    decoded.map(({ parts }) => ({
      queueId: queue.id,
      messageId: parts.messageId,
      leaseToken: parts.leaseToken,
    })),
  );
  decoded.forEach(({ id }, index) => {
    try {
      throwForDelete(outcomes[index]!);
      result.successful.push({ id });
    } catch (error) {
      recordFailure(result, id, error);
    }
  });
  await ctx.stats.record(queue.id, 'deleted', outcomes.filter((o) => o === 'deleted').length);
  return result;
}

export async function changeVisibility(
  ctx: QueueContext,
  ref: QueueRef,
  receiptHandle: unknown,
  visibilityTimeoutSeconds: unknown,
): Promise<void> {
  const queue = await ctx.queues.require(ref);
  const seconds = integerInRange(
    'visibilityTimeoutSeconds',
    visibilityTimeoutSeconds,
    limits.visibilityTimeoutSeconds,
  );
  if (queue.fifo)
    return throwForVisibility(await changeFifoVisibility(ctx, queue, receiptHandle, seconds), seconds);
  const parts = ctx.receiptHandles.decode(receiptHandle, queue.id);
  await changeOne(ctx, queue, parts, seconds);
}

export interface VisibilityEntry extends HandleEntry {
  visibilityTimeoutSeconds: unknown;
}

export async function changeVisibilityBatch(
  ctx: QueueContext,
  ref: QueueRef,
  entries: VisibilityEntry[],
): Promise<BatchResult<{ id: string }>> {
  const queue = await ctx.queues.require(ref);
  validateBatch<VisibilityEntry>('entries', entries);
  const result: BatchResult<{ id: string }> = { successful: [], failed: [] };
  const changeEntry = async (entry: VisibilityEntry, index: number) => {
    try {
      const seconds = integerInRange(
        `entries[${index}].visibilityTimeoutSeconds`,
        entry.visibilityTimeoutSeconds,
        limits.visibilityTimeoutSeconds,
      );
      if (queue.fifo) {
        throwForVisibility(await changeFifoVisibility(ctx, queue, entry.receiptHandle, seconds), seconds);
      } else {
        await changeOne(ctx, queue, ctx.receiptHandles.decode(entry.receiptHandle, queue.id), seconds);
      }
      result.successful.push({ id: entry.id });
    } catch (error) {
      recordFailure(result, entry.id, error);
    }
  };
  // A FIFO group has one lease: its entries apply in order, so the last one given wins.
  if (queue.fifo) for (const [index, entry] of entries.entries()) await changeEntry(entry, index);
  else await Promise.all(entries.map(changeEntry));
  return result;
}

async function changeOne(ctx: QueueContext, queue: QueueRecord, parts: ReceiptHandleParts, seconds: number) {
  const now = ctx.clock.now();
  const outcome = await ctx.store.changeVisibility({
    queueId: queue.id,
    messageId: parts.messageId,
    leaseToken: parts.leaseToken,
    now,
    visibleAt: now + seconds * 1000,
  });
  throwForVisibility(outcome, seconds);
}

function decodeEach(
  ctx: QueueContext,
  queue: QueueRecord,
  entries: HandleEntry[],
  result: BatchResult<{ id: string }>,
): { id: string; parts: ReceiptHandleParts }[] {
  const decoded: { id: string; parts: ReceiptHandleParts }[] = [];
  for (const entry of entries) {
    try {
      decoded.push({ id: entry.id, parts: ctx.receiptHandles.decode(entry.receiptHandle, queue.id) });
    } catch (error) {
      recordFailure(result, entry.id, error);
    }
  }
  return decoded;
}

function recordFailure(result: BatchResult<{ id: string }>, id: string, error: unknown): void {
  if (!isQueueError(error)) throw error;
  result.failed.push({
    id,
    code: error.code,
    message: error.message,
    senderFault: error.kind.fault === 'Sender',
  });
}

function throwForDelete(outcome: DeleteOutcome): void {
  if (outcome === 'stale') {
    throw new QueueError(
      'ReceiptHandleIsInvalid',
      'The receipt handle is no longer current: the message was received again since; use the newest handle',
      { field: 'receiptHandle' },
    );
  }
}

function throwForVisibility(outcome: VisibilityOutcome, seconds: number): void {
  switch (outcome) {
    case 'changed':
      return;
    case 'gone':
      throw new QueueError('ReceiptHandleIsInvalid', 'The message of this receipt handle no longer exists', {
        field: 'receiptHandle',
      });
    case 'stale':
      throw new QueueError(
        'ReceiptHandleIsInvalid',
        'The receipt handle is no longer current: the message was received again since; use the newest handle',
        { field: 'receiptHandle' },
      );
    case 'notInFlight':
      throw new QueueError(
        'MessageNotInflight',
        'The message is not in flight: its lease has already expired',
        {
          field: 'receiptHandle',
        },
      );
    case 'limit':
      throw new QueueError(
        'InvalidParameterValue',
        `visibilityTimeoutSeconds ${seconds} would keep the message invisible for more than 12 hours after it was received`,
        {
          field: 'visibilityTimeoutSeconds',
          given: seconds,
          allowed: 'a lease ending within 12 hours of the receive',
        },
      );
  }
}
