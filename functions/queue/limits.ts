/**
 * Limits and defaults of the queue, as SQS documents them (see shared/FACTS.md), in one place so
 * that validation, the OpenAPI document and the SQS dialect agree.
 */
export const limits = {
  queueNameMaxLength: 80,
  visibilityTimeoutSeconds: { min: 0, max: 43_200, default: 30 },
  /** SQS's MessageRetentionPeriod range: the SQS dialect keeps it. */
  retentionSeconds: { min: 60, max: 1_209_600, default: 345_600 },
  /** What the queue itself (and the REST API) allows: up to 365 days (see shared/schedule.ts). */
  queueRetentionSeconds: { min: 60, max: 31_536_000, default: 345_600 },
  delaySeconds: { min: 0, max: 900, default: 0 },
  maxMessageBytes: { min: 1_024, max: 1_048_576, default: 1_048_576 },
  receiveWaitSeconds: { min: 0, max: 20, default: 0 },
  maxReceiveCount: { min: 1, max: 1_000 },
  maxMessages: { min: 1, max: 10, default: 1 },
  shardCount: { min: 1, max: 64, default: 4 },
  batchEntries: 10,
  batchEntryIdMaxLength: 80,
  batchTotalBytes: 1_048_576,
  messageAttributes: 10,
  attributeNameMaxLength: 256,
  listQueuesMaxResults: 1_000,
  /** SQS caps a message's whole visibility extension at 12 hours from its receive. */
  maxLeaseMs: 43_200_000,
  /** FIFO: a deduplication id, and a receive request attempt id, hold for 5 minutes. */
  deduplicationWindowMs: 300_000,
  /** FIFO: message group ids, deduplication ids and receive attempt ids are 1 to 128 characters. */
  fifoIdMaxLength: 128,
} as const;
