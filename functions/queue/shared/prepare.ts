import { randomUUID } from 'node:crypto';
import type { QueueContext } from '../context';
import { describeGiven, QueueError } from '../errors';
import type { OutgoingMessage, QueueRecord, StoredMessage } from '../model';
import { messageSize, validateBody, validateMessageAttributes } from '../validation';
import { validateFifoId } from './identifiers';
import type { SendContext } from './queue-kind';
import { scheduleOf } from './schedule';

/**
 * Outgoing message preparation, for both kinds: validates a message and builds it as stored, in
 * a random shard of the ready index. Each kind adds its own rules (FIFO: group, deduplication id,
 * sequence number; standard: no deduplication id).
 */
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
  if (message.traceHeader !== undefined && typeof message.traceHeader !== 'string') {
    throw new QueueError(
      'InvalidParameterValue',
      `${prefix}traceHeader must be a string, but ${describeGiven(message.traceHeader)} was given`,
    );
  }
  const now = ctx.clock.now();
  const visibleAt = scheduleOf(queue, message, now, prefix);
  const stored: StoredMessage = {
    id: message.messageId ?? randomUUID(),
    queueId: queue.id,
    shard: Math.floor(Math.random() * queue.shardCount),
    body,
    attributes,
    senderId: sender.senderId,
    sentAt: now,
    visibleAt,
    expiresAt: now + queue.retentionSeconds * 1000,
    receiveCount: 0,
  };
  if (message.traceHeader !== undefined) stored.traceHeader = message.traceHeader;
  // A standard queue keeps a group id (SQS fair queues) without ordering by it.
  if (message.groupId !== undefined) stored.groupId = validateFifoId(`${prefix}groupId`, message.groupId);
  return stored;
}
