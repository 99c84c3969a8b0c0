/**
 * The vocabulary of the queue: queues and messages. The states a message moves through (delayed,
 * visible, in flight, expired) are derived from its times: see states.ts.
 */

/** Where a queue lives: queues are namespaced by account and region, as in SQS. */
export interface QueueRef {
  account: string;
  region: string;
  name: string;
}

/** The settings a caller chooses. */
export interface QueueSettings {
  visibilityTimeoutSeconds: number;
  retentionSeconds: number;
  delaySeconds: number;
  maxMessageBytes: number;
  receiveWaitSeconds: number;
  /** Receives after which a message is dead-lettered; requires deadLetterQueue. */
  maxReceiveCount?: number;
  /** Name of the dead-letter queue in the same account and region. */
  deadLetterQueue?: string;
  /** FIFO only: a message without a deduplication id is deduplicated by the SHA-256 of its body. */
  contentBasedDeduplication?: boolean;
  /** FIFO only: whether a deduplication id is unique in the whole queue or in its message group. */
  deduplicationScope?: 'queue' | 'messageGroup';
  /** FIFO only: stored and reported as SQS does; this service does not throttle either way. */
  fifoThroughputLimit?: 'perQueue' | 'perMessageGroupId';
}

export interface QueueRecord extends QueueSettings {
  ref: QueueRef;
  /** Random id, fixed at creation: a queue deleted and created again is a new queue. */
  id: string;
  /** Number of shards of the ready index, fixed at creation. */
  shardCount: number;
  /** A FIFO queue (name ends in `.fifo`): ordered message groups, deduplicated sends. Fixed at creation. */
  fifo?: boolean;
  createdAt: number;
  updatedAt: number;
  /** Messages sent at or before this time are purged. */
  purgedAt?: number;
  /**
   * Purged messages not yet removed from storage (approximate; set by a purge of a standard queue,
   * lowered by the background removal, gone when it is done): counts leave them out.
   */
  purgePending?: number;
  /** Where the background removal of purged messages resumes. */
  purgeCursor?: string;
  /**
   * Priorities above 0 that messages of this queue were ever sent with (shared/priority.ts): the
   * ready-index partitions a receive visits besides priority 0's. Only ever grows.
   */
  priorities?: number[];
  /**
   * Standard queues: about when a message with a group id was last sent (kept to the minute, see
   * shared/fairness.ts); absent on queues that never had one, which then pay nothing for fairness.
   */
  groupsSentAt?: number;
  tags: Record<string, string>;
  /**
   * FIFO: set by the first scheduled send (fifo/schedule.ts); receives look for due scheduled
   * messages only on queues that have it, so others pay nothing for scheduling.
   */
  scheduling?: boolean;
  /** SQS attributes the core stores but does not act on (Policy, KmsMasterKeyId, ...). */
  extraAttributes: Record<string, string>;
}

export interface MessageAttributeValue {
  /** String, Number or Binary, optionally with a custom suffix such as `Number.float`. */
  dataType: string;
  stringValue?: string;
  /** Base64 of the bytes. */
  binaryValue?: string;
}

export type MessageAttributes = Record<string, MessageAttributeValue>;

/** A message as a sender hands it over. */
export interface OutgoingMessage {
  body: string;
  delaySeconds?: number;
  /** ISO 8601 instant from which it is deliverable (scheduled delivery, shared/schedule.ts). */
  deliverAt?: string;
  attributes?: MessageAttributes;
  /** AWS X-Ray trace header (SQS system attribute AWSTraceHeader). */
  traceHeader?: string;
  /** Message group (SQS MessageGroupId): required on FIFO queues, where it orders delivery. */
  groupId?: string;
  /** FIFO only (SQS MessageDeduplicationId): a second send with the same id within 5 minutes is not stored. */
  deduplicationId?: string;
  /** Standard queues only: 0 (default) to 9 (highest); higher priorities are received first. */
  priority?: number;
  /**
   * Set by internal senders only (a topic's fan-out; no dialect passes it): the message's id, so a
   * repeated send of the same message finds the first one's item (or its tombstone) and stores
   * nothing. Standard queues only.
   */
  messageId?: string;
}

/** A message as the store keeps it. */
export interface StoredMessage {
  id: string;
  queueId: string;
  /** Ready-index partition number: the shard, and the priority (shared/priority.ts). */
  shard: number;
  body: string;
  attributes: MessageAttributes;
  traceHeader?: string;
  senderId: string;
  sentAt: number;
  visibleAt: number;
  expiresAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
  lastReceivedAt?: number;
  /** Present on messages in a dead-letter queue: where they came from and why. */
  deadLetter?: DeadLetterInfo;
  /** The message group it was sent with, if any. */
  groupId?: string;
  /** FIFO only: the deduplication id it was accepted under (given, or the body's SHA-256). */
  deduplicationId?: string;
  /** FIFO only: SQS SequenceNumber, 20 digits, increasing within the message group. */
  sequenceNumber?: string;
}

/** The history a dead letter keeps so a person can tell what happened. */
export interface DeadLetterInfo {
  sourceQueue: string;
  sourceQueueId: string;
  deadLetteredAt: number;
  reason: string;
  /** Receives in the source queue before it was set aside. */
  receiveCount: number;
  firstReceivedAt?: number;
  lastReceivedAt?: number;
}

/** A message handed to a receiver under a lease. */
export interface ReceivedMessage extends StoredMessage {
  receiptHandle: string;
}

export type { MessageCounts } from './states';

export interface BatchFailure {
  id: string;
  code: string;
  message: string;
  senderFault: boolean;
}

export interface BatchResult<T> {
  successful: T[];
  failed: BatchFailure[];
}

export type MoveTaskStatus = 'RUNNING' | 'COMPLETED' | 'CANCELLING' | 'CANCELLED' | 'FAILED';

/** Which dead letters a redrive moves; all of them when empty. */
export interface RedriveFilter {
  messageIds?: string[];
  attribute?: { name: string; value: string };
  deadLetteredAfter?: number;
  deadLetteredBefore?: number;
}

/** A redrive: dead letters moved back, at a rate, tracked across invocations. */
export interface MoveTask {
  taskId: string;
  /** The dead-letter queue the messages come from. */
  source: QueueRef;
  sourceQueueId: string;
  /** Where they go; each message's own source queue when absent. */
  destination?: string;
  maxPerSecond: number;
  filter: RedriveFilter;
  status: MoveTaskStatus;
  startedAt: number;
  updatedAt: number;
  moved: number;
  /**
   * What the filter selects: matched so far plus those not yet examined (see shared/move-progress.ts);
   * exact once the task completed.
   */
  toMove: number;
  /** Dead letters the queue held when the task started (approximate, as in SQS). */
  queued?: number;
  /** Dead letters read and checked against the filter so far. */
  examined?: number;
  /** Of those, the ones the filter selected. */
  matched?: number;
  /** Selected ones that had no destination queue and stayed. */
  unroutable?: number;
  failureReason?: string;
  /** Where the task resumes in the dead-letter queue's index. */
  cursor?: string;
}
