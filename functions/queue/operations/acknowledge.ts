import type { QueueContext } from '../context';
import { isQueueError, QueueError } from '../errors';
import { kindOf } from '../kinds';
import { limits } from '../limits';
import type { BatchResult, QueueRef } from '../model';
import type { DeleteOutcome, VisibilityOutcome } from '../ports/queue-store';
import { integerInRange, validateBatch } from '../validation';

/**
 * Deleting a message and changing its visibility (standard/acknowledge.ts, fifo/acknowledge.ts do
 * the work): by default both act only for the holder of the current lease, named by the receipt
 * handle. Deleting a message that is already gone succeeds (a retry after a lost response must not
 * fail), but a handle from an earlier lease is refused.
 */
export interface AcknowledgeOptions {
  /**
   * SQS's rule instead (the SQS dialect): a handle from an earlier receive of a message still in
   * the queue acts on the message, and a visibility change on a message whose lease ran out
   * succeeds (it hides the message again). Handles never issued, or of another queue, are still
   * ReceiptHandleIsInvalid. The REST dialect keeps the strict rule.
   */
  earlierHandles?: boolean;
}

export async function deleteMessage(
  ctx: QueueContext,
  ref: QueueRef,
  receiptHandle: unknown,
  options: AcknowledgeOptions = {},
): Promise<void> {
  const queue = await ctx.queues.require(ref);
  const anyLease = options.earlierHandles === true;
  const outcome = await kindOf(queue).deleteMessage(ctx, queue, receiptHandle, anyLease);
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
  options: AcknowledgeOptions = {},
): Promise<BatchResult<{ id: string }>> {
  const queue = await ctx.queues.require(ref);
  validateBatch<HandleEntry>('entries', entries);
  const result: BatchResult<{ id: string }> = { successful: [], failed: [] };
  const anyLease = options.earlierHandles === true;
  const outcomes = await kindOf(queue).deleteMessages(ctx, queue, entries, anyLease);
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
  options: AcknowledgeOptions = {},
): Promise<void> {
  const queue = await ctx.queues.require(ref);
  const seconds = integerInRange(
    'visibilityTimeoutSeconds',
    visibilityTimeoutSeconds,
    limits.visibilityTimeoutSeconds,
  );
  const anyLease = options.earlierHandles === true;
  const outcome = await kindOf(queue).changeVisibility(ctx, queue, receiptHandle, seconds, anyLease);
  throwForVisibility(outcome, seconds, receiptHandle);
}

export interface VisibilityEntry extends HandleEntry {
  visibilityTimeoutSeconds: unknown;
}

export async function changeVisibilityBatch(
  ctx: QueueContext,
  ref: QueueRef,
  entries: VisibilityEntry[],
  options: AcknowledgeOptions = {},
): Promise<BatchResult<{ id: string }>> {
  const queue = await ctx.queues.require(ref);
  validateBatch<VisibilityEntry>('entries', entries);
  const kind = kindOf(queue);
  const anyLease = options.earlierHandles === true;
  const result: BatchResult<{ id: string }> = { successful: [], failed: [] };
  await kind.forEachVisibilityChange(entries, async (entry, index) => {
    try {
      const seconds = integerInRange(
        `entries[${index}].visibilityTimeoutSeconds`,
        entry.visibilityTimeoutSeconds,
        limits.visibilityTimeoutSeconds,
      );
      const outcome = await kind.changeVisibility(ctx, queue, entry.receiptHandle, seconds, anyLease);
      throwForVisibility(outcome, seconds, entry.receiptHandle);
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

function throwForVisibility(outcome: VisibilityOutcome, seconds: number, receiptHandle: unknown): void {
  switch (outcome) {
    case 'changed':
      return;
    case 'gone':
      // `reason` lets a dialect word it its own way (SQS: an invalid ReceiptHandle value).
      throw new QueueError('ReceiptHandleIsInvalid', 'The message of this receipt handle no longer exists', {
        field: 'receiptHandle',
        given: receiptHandle,
        reason: 'gone',
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
