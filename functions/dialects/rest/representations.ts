import type {
  MessageAttributes,
  MessageAttributeValue,
  MessageCounts,
  QueueRecord,
  ReceivedMessage,
} from '../../queue/model';

/** How queues and messages look in REST responses. */

const iso = (ms: number) => new Date(ms).toISOString();

export function queueArn(queue: QueueRecord): string {
  return `arn:aws:sqs:${queue.ref.region}:${queue.ref.account}:${queue.ref.name}`;
}

export function queueRepresentation(queue: QueueRecord, counts?: MessageCounts) {
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
          fifo: true,
          contentBasedDeduplication: queue.contentBasedDeduplication,
          deduplicationScope: queue.deduplicationScope,
          fifoThroughputLimit: queue.fifoThroughputLimit,
        }
      : {}),
    tags: queue.tags,
    ...(counts ? { messages: counts } : {}),
  };
}

export function messageRepresentation(message: ReceivedMessage) {
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
    attributes: message.attributes,
  };
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
