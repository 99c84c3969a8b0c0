import type * as z from 'zod';
import type {
  BatchFailure,
  MessageAttributes,
  MessageAttributeValue,
  MoveTask,
  QueueRecord,
  ReceivedMessage,
  StoredMessage,
} from '../../queue/model';
import type { PeekedMessage } from '../../queue/operations/peek';
import { priorityOf } from '../../queue/shared/priority';
import type * as replies from './response-schemas';

/**
 * How queues, messages and tasks look in REST replies. Each function returns the type inferred from
 * its response schema, so the compiler holds the shapes to the document; the schemas are strict and
 * test/rest/response-schemas.test.ts parses real replies with them, which catches extra fields too.
 */
type Reply<Schema extends z.ZodType> = z.output<Schema>;

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNothing = (ms: number | undefined) => (ms === undefined ? undefined : iso(ms));

export function queueArn(queue: QueueRecord): string {
  return `arn:aws:sqs:${queue.ref.region}:${queue.ref.account}:${queue.ref.name}`;
}

export function queueRepresentation(
  queue: QueueRecord,
  counts?: Reply<typeof replies.messageCountsResponse>,
): Reply<typeof replies.queueResponse> {
  return {
    name: queue.ref.name,
    arn: queueArn(queue),
    createdAt: iso(queue.createdAt),
    updatedAt: iso(queue.updatedAt),
    visibilityTimeoutSeconds: queue.visibilityTimeoutSeconds,
    retentionSeconds: queue.retentionSeconds,
    delaySeconds: queue.delaySeconds,
    maxMessageBytes: queue.maxMessageBytes,
    receiveWaitSeconds: queue.receiveWaitSeconds,
    ...(queue.maxReceiveCount === undefined ? {} : { maxReceiveCount: queue.maxReceiveCount }),
    ...(queue.deadLetterQueue === undefined ? {} : { deadLetterQueue: queue.deadLetterQueue }),
    shardCount: queue.shardCount,
    ...(queue.fifo
      ? {
          fifo: true as const,
          contentBasedDeduplication: queue.contentBasedDeduplication,
          deduplicationScope: queue.deduplicationScope,
          fifoThroughputLimit: queue.fifoThroughputLimit,
        }
      : {}),
    tags: queue.tags,
    ...(counts ? { messages: counts } : {}),
  };
}

export function messageRepresentation(
  message: ReceivedMessage,
): Reply<typeof replies.receivedMessageResponse> {
  return {
    messageId: message.id,
    body: message.body,
    receiptHandle: message.receiptHandle,
    receiveCount: message.receiveCount,
    sentAt: iso(message.sentAt),
    ...(message.firstReceivedAt === undefined ? {} : { firstReceivedAt: iso(message.firstReceivedAt) }),
    ...(message.groupId === undefined ? {} : { groupId: message.groupId }),
    ...(message.sequenceNumber === undefined ? {} : { sequenceNumber: message.sequenceNumber }),
    ...(message.deduplicationId === undefined ? {} : { deduplicationId: message.deduplicationId }),
    ...priorityField(message),
    attributes: message.attributes,
  };
}

export function peekedRepresentation({
  message,
  state,
}: PeekedMessage): Reply<typeof replies.peekedMessageResponse> {
  return {
    messageId: message.id,
    body: message.body,
    attributes: message.attributes,
    sentAt: iso(message.sentAt),
    receiveCount: message.receiveCount,
    state,
    visibleAt: iso(message.visibleAt),
    ...(state === 'delayed' ? { deliverAt: iso(message.visibleAt) } : {}),
    ...(message.groupId === undefined ? {} : { groupId: message.groupId }),
    ...(message.sequenceNumber ? { sequenceNumber: message.sequenceNumber } : {}),
    ...priorityField(message),
  };
}

/** A message's priority, shown when above the default. */
function priorityField(message: StoredMessage): { priority?: number } {
  const priority = priorityOf(message);
  return priority === 0 ? {} : { priority };
}

export function deadLetterRepresentation(message: StoredMessage): Reply<typeof replies.deadLetterResponse> {
  const dl = message.deadLetter;
  return {
    messageId: message.id,
    body: message.body,
    attributes: message.attributes,
    sentAt: iso(message.sentAt),
    ...(dl
      ? {
          deadLetter: {
            sourceQueue: dl.sourceQueue,
            reason: dl.reason,
            receiveCount: dl.receiveCount,
            ...(dl.firstReceivedAt === undefined ? {} : { firstReceivedAt: iso(dl.firstReceivedAt) }),
            ...(dl.lastReceivedAt === undefined ? {} : { lastReceivedAt: iso(dl.lastReceivedAt) }),
            deadLetteredAt: iso(dl.deadLetteredAt),
          },
        }
      : {}),
  };
}

export function taskRepresentation(task: MoveTask): Reply<typeof replies.taskResponse> {
  const { messageIds, attribute, deadLetteredAfter, deadLetteredBefore } = task.filter;
  return {
    taskId: task.taskId,
    status: task.status,
    source: task.source.name,
    ...(task.destination ? { destination: task.destination } : {}),
    maxMessagesPerSecond: task.maxPerSecond,
    moved: task.moved,
    toMove: task.toMove,
    startedAt: iso(task.startedAt),
    updatedAt: iso(task.updatedAt),
    filter: {
      ...(messageIds === undefined ? {} : { messageIds }),
      ...(attribute === undefined ? {} : { attribute: { name: attribute.name, value: attribute.value } }),
      ...(deadLetteredAfter === undefined ? {} : { deadLetteredAfter: isoOrNothing(deadLetteredAfter) }),
      ...(deadLetteredBefore === undefined ? {} : { deadLetteredBefore: isoOrNothing(deadLetteredBefore) }),
    },
    ...(task.failureReason ? { failureReason: task.failureReason } : {}),
  };
}

/** A batch reply: entries by the caller's ids, with the message id and sequence number of a send. */
export function batchRepresentation(result: {
  successful: { id: string; messageId?: string; sequenceNumber?: string; deliverAt?: string }[];
  failed: BatchFailure[];
}): Reply<typeof replies.batchResponse> {
  return {
    successful: result.successful.map(({ id, messageId, sequenceNumber, deliverAt }) => ({
      id,
      ...(messageId === undefined ? {} : { messageId }),
      ...(sequenceNumber === undefined ? {} : { sequenceNumber }),
      ...(deliverAt === undefined ? {} : { deliverAt }),
    })),
    failed: result.failed.map(({ id, code, message, senderFault }) => ({ id, code, message, senderFault })),
  };
}

/**
 * A send's `deliverAt`, when the message is not deliverable at once (scheduled or delayed). A
 * message deliverable now has none, so a repeated FIFO send answers exactly as the first did.
 */
export function deliverAtOf(message: { visibleAt: number; sentAt: number }): { deliverAt?: string } {
  return message.visibleAt > message.sentAt ? { deliverAt: iso(message.visibleAt) } : {};
}

/** REST accepts `"name": "text"` as shorthand for a String attribute. */
export function attributesFromRest(
  attributes: Record<string, string | MessageAttributeValue> | undefined,
): MessageAttributes | undefined {
  if (!attributes) return undefined;
  return Object.fromEntries(
    Object.entries(attributes).map(([name, value]) => [
      name,
      typeof value === 'string' ? { dataType: 'String', stringValue: value } : value,
    ]),
  );
}
