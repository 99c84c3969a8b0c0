import { randomUUID } from 'node:crypto';
import type { QueueContext } from '../context';
import { describeGiven, invalidParameter, isQueueError, QueueError } from '../errors';
import { validateFifoId } from '../fifo/identifiers';
import { sendFifoBatch, sendFifoMessage } from '../fifo/send';
import { limits } from '../limits';
import type { BatchResult, OutgoingMessage, QueueRecord, QueueRef, StoredMessage } from '../model';
import {
  messageSize,
  optionalInteger,
  validateBatch,
  validateBody,
  validateMessageAttributes,
} from '../validation';

/** Sending: validate, then write each message once into a random shard of the ready index. */

export interface SentMessage {
  messageId: string;
  /** Bytes of the body, as stored. */
  bodyBytes: number;
}

export interface SendContext {
  /** Who sent it (SQS SenderId): the caller's access key or account. */
  senderId: string;
}

export async function sendMessage(
  ctx: QueueContext,
  ref: QueueRef,
  message: OutgoingMessage,
  sender: SendContext,
): Promise<SentMessage & { message: StoredMessage }> {
  const queue = await ctx.queues.require(ref);
  if (queue.fifo) {
    const { sent, duplicate } = await sendFifoMessage(ctx, queue, message, sender);
    // A repeated deduplication id is answered like the first send but stores nothing: not counted.
    await ctx.stats.record(queue.id, 'sent', duplicate ? 0 : 1);
    return sent;
  }
  const stored = prepare(ctx, queue, message, sender, '');
  const { failedIndexes } = await ctx.store.putMessages([stored]);
  if (failedIndexes.length > 0) {
    throw new QueueError('ServiceUnavailable', 'The message could not be stored; send it again');
  }
  ctx.arrivals.notify(queue.id);
  await ctx.stats.record(queue.id, 'sent');
  return { messageId: stored.id, bodyBytes: Buffer.byteLength(stored.body), message: stored };
}

export interface BatchEntry extends OutgoingMessage {
  id: string;
}

/** Sends up to 10 messages in one write; each entry succeeds or fails on its own. */
export async function sendMessageBatch(
  ctx: QueueContext,
  ref: QueueRef,
  entries: BatchEntry[],
  sender: SendContext,
): Promise<BatchResult<{ id: string; messageId: string; message: StoredMessage }>> {
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
  if (queue.fifo) {
    const { result, duplicates } = await sendFifoBatch(ctx, queue, entries, sender);
    await ctx.stats.record(queue.id, 'sent', result.successful.length - duplicates.length);
    return result;
  }
  const result: BatchResult<{ id: string; messageId: string; message: StoredMessage }> = {
    successful: [],
    failed: [],
  };
  const prepared: { id: string; message: StoredMessage }[] = [];
  entries.forEach((entry, index) => {
    try {
      prepared.push({ id: entry.id, message: prepare(ctx, queue, entry, sender, `messages[${index}].`) });
    } catch (error) {
      if (!isQueueError(error)) throw error;
      result.failed.push({ id: entry.id, code: error.code, message: error.message, senderFault: true });
    }
  });
  if (prepared.length > 0) {
    const { failedIndexes } = await ctx.store.putMessages(prepared.map((p) => p.message));
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
  await ctx.stats.record(queue.id, 'sent', result.successful.length);
  return result;
}

/** Validates a message and builds it as stored (FIFO sends add their group and sequence). */
export function prepare(
  ctx: QueueContext,
  queue: QueueRecord,
  message: OutgoingMessage,
  sender: SendContext,
  prefix: string,
): StoredMessage {
  const body = validateBody(`${prefix}body`, message.body);
  const attributes = validateMessageAttributes(`${prefix}attributes`, message.attributes);
  const size = messageSize(body, attributes);
  if (size > queue.maxMessageBytes) {
    throw new QueueError(
      'InvalidParameterValue',
      `${prefix}body and attributes must total at most ${queue.maxMessageBytes} bytes (the queue's maxMessageBytes), ` +
        `but they total ${size}`,
      { field: `${prefix}body`, given: size, allowed: `at most ${queue.maxMessageBytes} bytes` },
    );
  }
  const delaySeconds =
    optionalInteger(`${prefix}delaySeconds`, message.delaySeconds, limits.delaySeconds) ?? queue.delaySeconds;
  if (message.traceHeader !== undefined && typeof message.traceHeader !== 'string') {
    throw new QueueError(
      'InvalidParameterValue',
      `${prefix}traceHeader must be a string, but ${describeGiven(message.traceHeader)} was given`,
    );
  }
  const now = ctx.clock.now();
  const stored: StoredMessage = {
    id: randomUUID(),
    queueId: queue.id,
    shard: Math.floor(Math.random() * queue.shardCount),
    body,
    attributes,
    senderId: sender.senderId,
    sentAt: now,
    visibleAt: now + delaySeconds * 1000,
    expiresAt: now + queue.retentionSeconds * 1000,
    receiveCount: 0,
  };
  if (message.traceHeader !== undefined) stored.traceHeader = message.traceHeader;
  // A standard queue keeps a group id (SQS fair queues) without ordering by it; deduplication
  // ids only mean something on FIFO queues.
  if (message.groupId !== undefined) stored.groupId = validateFifoId(`${prefix}groupId`, message.groupId);
  if (message.deduplicationId !== undefined && !queue.fifo) {
    throw invalidParameter(
      `${prefix}deduplicationId`,
      message.deduplicationId,
      'absent: it is for FIFO queues only',
    );
  }
  return stored;
}
