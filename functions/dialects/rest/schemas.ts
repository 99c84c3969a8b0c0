import * as z from 'zod';
import { limits } from '../../queue/limits';
import { priorityRange } from '../../queue/shared/priority';
import { queryInteger } from './query-params';

/**
 * Request shapes of the REST API, written once: they validate requests and they are the schemas of
 * the OpenAPI document, so the document cannot disagree with the service (replies: response-schemas.ts).
 * Ranges come from the queue's limits; the queue validates them again for the SQS dialect.
 */
const int = (range: { min: number; max: number }) => z.int().min(range.min).max(range.max);

const queueName = z
  .string()
  .regex(
    /^(?:[A-Za-z0-9_-]{1,80}|[A-Za-z0-9_-]{1,75}\.fifo)$/,
    '1 to 80 characters from A-Z, a-z, 0-9, hyphen and underscore (a FIFO queue name ends in .fifo)',
  )
  .describe('1 to 80 characters [A-Za-z0-9_-]; a FIFO queue name ends in .fifo');

/** FIFO ids (group, deduplication, receive attempt): SQS's 1 to 128 printable ASCII characters. */
const fifoId = z
  .string()
  .describe('1 to 128 characters: letters, digits and the punctuation !"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');

const settingsShape = {
  visibilityTimeoutSeconds: int(limits.visibilityTimeoutSeconds).optional(),
  retentionSeconds: int(limits.queueRetentionSeconds).optional(),
  delaySeconds: int(limits.delaySeconds).optional(),
  maxMessageBytes: int(limits.maxMessageBytes).optional(),
  receiveWaitSeconds: int(limits.receiveWaitSeconds).optional(),
  contentBasedDeduplication: z
    .boolean()
    .optional()
    .describe('FIFO only: deduplicate by the SHA-256 of the body when a message has no deduplicationId'),
  deduplicationScope: z
    .enum(['queue', 'messageGroup'])
    .optional()
    .describe('FIFO only: where a deduplication id must be unique (default queue)'),
  fifoThroughputLimit: z
    .enum(['perQueue', 'perMessageGroupId'])
    .optional()
    .describe(
      'FIFO only: kept and reported as SQS does (perMessageGroupId needs deduplicationScope messageGroup)',
    ),
};

const tags = z.record(z.string().min(1).max(128), z.string().max(256));

export const createQueueRequest = z.strictObject({
  name: queueName,
  ...settingsShape,
  maxReceiveCount: int(limits.maxReceiveCount).optional(),
  deadLetterQueue: queueName.optional(),
  shardCount: int(limits.shardCount).optional().describe('Shards of the ready index; fixed at creation'),
  tags: tags.optional(),
  fifo: z.boolean().optional().describe('A FIFO queue (its name must end in .fifo); fixed at creation'),
});

export const updateQueueRequest = z.strictObject({
  ...settingsShape,
  maxReceiveCount: int(limits.maxReceiveCount)
    .nullable()
    .optional()
    .describe('null removes the redrive policy'),
  deadLetterQueue: queueName.nullable().optional().describe('null removes the redrive policy'),
  tags: tags.optional(),
});

const attributeValue = z.union([
  z.string().min(1).describe('shorthand for a String attribute'),
  z.strictObject({
    dataType: z.string().describe('String, Number or Binary, optionally with a .suffix'),
    stringValue: z.string().optional(),
    binaryValue: z.base64().optional().describe('base64 of the bytes'),
  }),
]);

export const messageAttributes = z.record(z.string(), attributeValue);

const messageShape = {
  body: z.string().min(1).describe('UTF-8 text; with attributes at most the queue maxMessageBytes'),
  delaySeconds: int({ min: 0, max: limits.queueRetentionSeconds.max })
    .optional()
    .describe(
      "Standard queues: up to the queue's retention (0 is accepted on FIFO queues); not with deliverAt",
    ),
  deliverAt: z.string().optional().describe('ISO 8601 instant with a zone, up to the retention ahead'),
  attributes: messageAttributes.optional(),
  groupId: fifoId
    .optional()
    .describe(
      'Message group: required on FIFO queues (ordered per group); kept, without ordering, on standard ones',
    ),
  deduplicationId: fifoId
    .optional()
    .describe('FIFO only: a repeat within 5 minutes is accepted and not stored again'),
  priority: int(priorityRange)
    .optional()
    .describe('Standard queues only: 0 (default) to 9 (highest); higher priorities are received first'),
};

export const anyObject = z.record(z.string(), z.unknown());

export const sendMessageRequest = z.strictObject(messageShape);

export const sendBatchRequest = z.strictObject({
  messages: z.array(z.strictObject({ id: z.string(), ...messageShape })),
});

export const receiveRequest = z.strictObject({
  maxMessages: int(limits.maxMessages).optional(),
  visibilityTimeoutSeconds: int(limits.visibilityTimeoutSeconds).optional(),
  waitTimeSeconds: int(limits.receiveWaitSeconds).optional(),
  receiveRequestAttemptId: fifoId
    .optional()
    .describe('FIFO only: a retry with the same id within 5 minutes gets the same messages and handles'),
});

export const deleteBatchRequest = z.strictObject({
  entries: z.array(z.strictObject({ id: z.string(), receiptHandle: z.string() })),
});

const visibilityEntry = {
  receiptHandle: z.string(),
  visibilityTimeoutSeconds: int(limits.visibilityTimeoutSeconds),
};

export const changeVisibilityRequest = z.union([
  z.strictObject(visibilityEntry),
  z.strictObject({ entries: z.array(z.strictObject({ id: z.string(), ...visibilityEntry })) }),
]);

export const listQueuesQuery = z.strictObject({
  prefix: z.string().optional(),
  limit: queryInteger({ min: 1, max: limits.listQueuesMaxResults }).optional(),
  nextToken: z.string().optional(),
  counts: z
    .enum(['true', 'false'])
    .optional()
    .describe('true: each queue carries its message counts (3 ready-index queries per shard per queue)'),
});
