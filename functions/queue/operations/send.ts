import { archiveMessages } from '../archive/archive';
import type { QueueContext } from '../context';
import { QueueError } from '../errors';
import { kindOf } from '../kinds';
import { limits } from '../limits';
import type { BatchResult, OutgoingMessage, QueueRef, StoredMessage } from '../model';
import type { BatchEntry, SendContext, SentEntry, SentMessage } from '../shared/queue-kind';
import { messageSize, validateBatch } from '../validation';

/**
 * Sending: the queue's kind stores the message (standard/send.ts, fifo/send.ts); here the batch
 * limits are checked and what was stored is counted.
 */
export type { BatchEntry, SendContext, SentMessage };

export async function sendMessage(
  ctx: QueueContext,
  ref: QueueRef,
  message: OutgoingMessage,
  sender: SendContext,
): Promise<SentMessage & { message: StoredMessage }> {
  const queue = await ctx.queues.require(ref);
  const { sent, duplicate } = await kindOf(queue).send(ctx, queue, message, sender);
  if (!duplicate) await archiveMessages(ctx, queue, [sent.message]);
  // A repeated deduplication id is answered like the first send but stores nothing: not counted.
  await ctx.stats.record(queue.id, 'sent', duplicate ? 0 : 1);
  return sent;
}

/** Sends up to 10 messages; each entry succeeds or fails on its own. */
export async function sendMessageBatch(
  ctx: QueueContext,
  ref: QueueRef,
  entries: BatchEntry[],
  sender: SendContext,
): Promise<BatchResult<SentEntry>> {
  const queue = await ctx.queues.require(ref);
  validateBatch<BatchEntry>('messages', entries);
  const total = entries.reduce(
    (sum, entry) =>
      sum + (typeof entry.body === 'string' ? messageSize(entry.body, entry.attributes ?? {}) : 0),
    0,
  );
  if (total > limits.batchTotalBytes) {
    throw new QueueError(
      'BatchRequestTooLong',
      `The messages of a batch may total at most ${limits.batchTotalBytes} bytes, but they total ${total}`,
      { field: 'messages', given: total, allowed: `at most ${limits.batchTotalBytes} bytes` },
    );
  }
  const { result, duplicates } = await kindOf(queue).sendBatch(ctx, queue, entries, sender);
  const stored = result.successful.filter((entry) => !duplicates.includes(entry.id));
  await archiveMessages(
    ctx,
    queue,
    stored.map((entry) => entry.message),
  );
  await ctx.stats.record(queue.id, 'sent', result.successful.length - duplicates.length);
  return result;
}
