import type { QueueContext } from '../context';
import { invalidParameter, isQueueError, QueueError } from '../errors';
import type { BatchResult, OutgoingMessage, QueueRecord, StoredMessage } from '../model';
import { noteGroupSends } from '../shared/fairness';
import { prepare } from '../shared/prepare';
import { notePriorities, priorityShard, validatePriority } from '../shared/priority';
import type { BatchEntry, SendContext, Sent, SentEntry } from '../shared/queue-kind';

/** Sending to a standard queue: each message is written once, into a random shard of the ready index. */
export async function send(
  ctx: QueueContext,
  queue: QueueRecord,
  message: OutgoingMessage,
  sender: SendContext,
): Promise<Sent> {
  const stored = prepareStandard(ctx, queue, message, sender, '');
  await notePriorities(ctx, queue, [stored]);
  const [{ failedIndexes }] = await Promise.all([
    ctx.store.putMessages([stored]),
    noteGroupSends(ctx, queue, [stored]),
  ]);
  if (failedIndexes.length > 0) {
    throw new QueueError('ServiceUnavailable', 'The message could not be stored; send it again');
  }
  ctx.arrivals.notify(queue.id);
  return {
    sent: { messageId: stored.id, bodyBytes: Buffer.byteLength(stored.body), message: stored },
    duplicate: false,
  };
}

/** Sends up to 10 messages in one write; each entry succeeds or fails on its own. */
export async function sendBatch(
  ctx: QueueContext,
  queue: QueueRecord,
  entries: BatchEntry[],
  sender: SendContext,
): Promise<{ result: BatchResult<SentEntry>; duplicates: string[] }> {
  const result: BatchResult<SentEntry> = { successful: [], failed: [] };
  const prepared: { id: string; message: StoredMessage }[] = [];
  entries.forEach((entry, index) => {
    try {
      prepared.push({
        id: entry.id,
        message: prepareStandard(ctx, queue, entry, sender, `messages[${index}].`),
      });
    } catch (error) {
      if (!isQueueError(error)) throw error;
      result.failed.push({ id: entry.id, code: error.code, message: error.message, senderFault: true });
    }
  });
  if (prepared.length > 0) {
    const messages = prepared.map((p) => p.message);
    await notePriorities(ctx, queue, messages);
    const [{ failedIndexes }] = await Promise.all([
      ctx.store.putMessages(messages),
      noteGroupSends(ctx, queue, messages),
    ]);
    const failed = new Set(failedIndexes);
    prepared.forEach((p, index) => {
      if (failed.has(index)) {
        result.failed.push({
          id: p.id,
          code: 'ServiceUnavailable',
          message: 'The message could not be stored; send it again',
          senderFault: false,
        });
      } else {
        result.successful.push({ id: p.id, messageId: p.message.id, message: p.message });
      }
    });
    if (result.successful.length > 0) ctx.arrivals.notify(queue.id);
  }
  return { result, duplicates: [] };
}

function prepareStandard(
  ctx: QueueContext,
  queue: QueueRecord,
  message: OutgoingMessage,
  sender: SendContext,
  prefix: string,
): StoredMessage {
  const stored = prepare(ctx, queue, message, sender, prefix);
  stored.shard = priorityShard(validatePriority(`${prefix}priority`, message.priority), stored.shard);
  // Deduplication ids only mean something on FIFO queues.
  if (message.deduplicationId !== undefined) {
    throw invalidParameter(
      `${prefix}deduplicationId`,
      message.deduplicationId,
      'absent: it is for FIFO queues only',
    );
  }
  return stored;
}
