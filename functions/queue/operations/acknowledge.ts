import type { QueueContext } from '../context';
import { isQueueError, QueueError } from '../errors';
import { kindOf } from '../kinds';
import { limits } from '../limits';
import type { BatchResult, QueueRef } from '../model';
import type { DeleteOutcome, VisibilityOutcome } from '../ports/queue-store';
import { integerInRange, validateBatch } from '../validation';

/**
 * Deleting a message and changing its visibility (standard/acknowledge.ts, fifo/acknowledge.ts do
 * the work): both act only for the holder of the current lease, named by the receipt handle.
 * Deleting a message that is already gone succeeds (a retry after a lost response must not fail),
 * but a handle from an earlier lease is refused.
 */

export async function deleteMessage(ctx: QueueContext, ref: QueueRef, receiptHandle: unknown): Promise<void> {
  const queue = await ctx.queues.require(ref);
  const outcome = await kindOf(queue).deleteMessage(ctx, queue, receiptHandle);
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
  const outcomes = await kindOf(queue).deleteMessages(ctx, queue, entries);
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
  throwForVisibility(await kindOf(queue).changeVisibility(ctx, queue, receiptHandle, seconds), seconds);
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
  const kind = kindOf(queue);
  const result: BatchResult<{ id: string }> = { successful: [], failed: [] };
  await kind.forEachVisibilityChange(entries, async (entry, index) => {
    try {
      const seconds = integerInRange(
        `entries[${index}].visibilityTimeoutSeconds`,
        entry.visibilityTimeoutSeconds,
        limits.visibilityTimeoutSeconds,
      );
      throwForVisibility(await kind.changeVisibility(ctx, queue, entry.receiptHandle, seconds), seconds);
      result.successful.push({ id: entry.id });
    } catch (error) {
      recordFailure(result, entry.id, error);
    }
  });
  return result;
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
