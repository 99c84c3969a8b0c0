import * as z from 'zod';
import { messageStates } from '../../queue/states';

/**
 * Every reply body of the REST API, written once. The representation functions are typed by these
 * schemas (z.infer), the OpenAPI document is generated from them, and the clients (the console, dq
 * and the package's QueueClient) import the inferred types through client-types.ts. The objects are
 * strict: test/rest/response-schemas.test.ts parses real replies with them, so a representation
 * that adds a field the schema lacks fails there instead of drifting from the document.
 */

const timestamp = z.iso.datetime().describe('ISO 8601 time (UTC)');

export const attributeValueResponse = z.strictObject({
  dataType: z.string().describe('String, Number or Binary, optionally with a .suffix'),
  stringValue: z.string().optional(),
  binaryValue: z.string().optional().describe('base64 of the bytes'),
});

const attributes = z.record(z.string(), attributeValueResponse);

export const messageCountsResponse = z.strictObject({
  visible: z.int(),
  inFlight: z.int(),
  delayed: z.int(),
  oldestMessageAgeSeconds: z
    .int()
    .describe('how long the longest-visible message has been visible (FIFO: group); 0 when none is'),
  approximate: z
    .literal(true)
    .optional()
    .describe(
      "present only when the counts were estimated from a sample of a FIFO queue's groups (over 1,000)",
    ),
  fairness: z
    .strictObject({
      noisyGroups: z.int().describe('groups holding over 10% of the in-flight messages (and 30 or more)'),
      quietVisible: z.int().describe('visible messages outside the noisy groups'),
      quietInFlight: z.int().describe('in-flight messages outside the noisy groups'),
      quietOldestMessageAgeSeconds: z
        .int()
        .describe('how long the longest-visible message outside the noisy groups has been visible'),
    })
    .optional()
    .describe('fair queues: present on standard queues that have had messages with a groupId'),
});

export const queueResponse = z.strictObject({
  name: z.string(),
  arn: z.string(),
  createdAt: timestamp,
  updatedAt: timestamp,
  visibilityTimeoutSeconds: z.int(),
  retentionSeconds: z.int(),
  delaySeconds: z.int(),
  maxMessageBytes: z.int(),
  receiveWaitSeconds: z.int(),
  archiveRetentionSeconds: z.int().describe('0: no archive'),
  maxReceiveCount: z.int().optional(),
  deadLetterQueue: z.string().optional(),
  shardCount: z.int(),
  fifo: z.literal(true).optional().describe('present (true) on FIFO queues only'),
  contentBasedDeduplication: z.boolean().optional().describe('FIFO only'),
  deduplicationScope: z.enum(['queue', 'messageGroup']).optional().describe('FIFO only'),
  fifoThroughputLimit: z.enum(['perQueue', 'perMessageGroupId']).optional().describe('FIFO only'),
  tags: z.record(z.string(), z.string()),
  messages: messageCountsResponse
    .optional()
    .describe('approximate counts; present on GET /queues/{name} and GET /queues?counts=true'),
});

export const listQueuesResponse = z.strictObject({
  queues: z.array(queueResponse),
  nextToken: z.string().optional(),
});

export const sendMessageResponse = z.strictObject({
  messageId: z.string(),
  sequenceNumber: z.string().optional().describe('FIFO only: increases within the message group'),
  deliverAt: timestamp.optional().describe('present when not deliverable at once'),
});

export const batchFailureResponse = z.strictObject({
  id: z.string(),
  code: z.string(),
  message: z.string(),
  senderFault: z.boolean(),
});

/** Send, delete and change-visibility batches: each entry by the id the caller gave it. */
export const batchResponse = z.strictObject({
  successful: z.array(
    z.strictObject({
      id: z.string(),
      messageId: z.string().optional().describe('send batches only'),
      sequenceNumber: z.string().optional().describe('send batches to FIFO queues only'),
      deliverAt: timestamp.optional(),
    }),
  ),
  failed: z.array(batchFailureResponse),
});

export const receivedMessageResponse = z.strictObject({
  messageId: z.string(),
  body: z.string(),
  receiptHandle: z.string(),
  receiveCount: z.int(),
  sentAt: timestamp,
  firstReceivedAt: timestamp.optional(),
  groupId: z.string().optional(),
  sequenceNumber: z.string().optional(),
  deduplicationId: z.string().optional(),
  priority: z.int().optional().describe('0 to 9; absent when 0 (the default)'),
  replayOf: z.string().optional().describe('a replayed message: the id of the archived original'),
  originalSentAt: timestamp.optional().describe('a replayed message: when the original was sent'),
  attributes,
});

export const receiveResponse = z.strictObject({ messages: z.array(receivedMessageResponse) });

export const purgeResponse = z.strictObject({
  purged: z
    .int()
    .describe('messages the purge cut off (approximate): no longer received, peeked or counted, from now on'),
  removal: z
    .literal('background')
    .describe('the purged messages are removed from storage afterwards, by the sweeper'),
});

export const minuteStatsResponse = z.strictObject({
  minute: timestamp.describe('start of the minute'),
  sent: z.int(),
  received: z.int(),
  deleted: z.int(),
  deadLettered: z.int().describe('moved from this queue to its dead-letter queue'),
  redriven: z.int().describe('moved out of this (dead-letter) queue by redrive tasks'),
  visible: z.int().optional().describe('depth fields: only for minutes the sweeper sampled'),
  inFlight: z.int().optional(),
  delayed: z.int().optional(),
});

export const statsResponse = z.strictObject({ name: z.string(), minutes: z.array(minuteStatsResponse) });

export const peekedMessageResponse = z.strictObject({
  messageId: z.string(),
  body: z.string(),
  attributes,
  sentAt: timestamp,
  receiveCount: z.int(),
  state: z.enum(messageStates),
  visibleAt: timestamp.describe('when it is (or became) visible: the lease end when in flight'),
  deliverAt: timestamp.optional().describe('state delayed only'),
  groupId: z.string().optional(),
  sequenceNumber: z.string().optional(),
  priority: z.int().optional().describe('0 to 9; absent when 0 (the default)'),
});

export const peekResponse = z.strictObject({ messages: z.array(peekedMessageResponse) });

export const deadLetterResponse = z.strictObject({
  messageId: z.string(),
  body: z.string(),
  attributes,
  sentAt: timestamp,
  deadLetter: z
    .strictObject({
      sourceQueue: z.string(),
      reason: z.string().describe('why it was dead-lettered (maxReceiveCount exceeded, ...)'),
      receiveCount: z.int(),
      firstReceivedAt: timestamp.optional(),
      lastReceivedAt: timestamp.optional(),
      deadLetteredAt: timestamp,
    })
    .optional()
    .describe('absent on a message sent straight to a dead-letter queue'),
});

export const deadLettersResponse = z.strictObject({
  messages: z.array(deadLetterResponse),
  nextToken: z.string().optional(),
});

export const redriveFilterResponse = z.strictObject({
  messageIds: z.array(z.string()).optional(),
  attribute: z.strictObject({ name: z.string(), value: z.string() }).optional(),
  deadLetteredAfter: timestamp.optional(),
  deadLetteredBefore: timestamp.optional(),
});

export const taskResponse = z.strictObject({
  taskId: z.string(),
  status: z.enum(['RUNNING', 'COMPLETED', 'CANCELLING', 'CANCELLED', 'FAILED']),
  source: z.string(),
  destination: z.string().optional().describe('absent: each message goes back to its own source queue'),
  maxMessagesPerSecond: z.int(),
  moved: z.int(),
  toMove: z
    .int()
    .describe('what the filter selects: an upper bound while the task runs, exact once it completed'),
  startedAt: timestamp,
  updatedAt: timestamp,
  filter: redriveFilterResponse.describe('which dead letters the task moves; all of them when empty'),
  failureReason: z.string().optional(),
});

export const taskListResponse = z.strictObject({ tasks: z.array(taskResponse) });

/** An RFC 9457 problem body, as the service sends it with every 4xx and 5xx it answers itself. */
export const problemResponse = z.strictObject({
  type: z.string(),
  title: z.string(),
  status: z.int(),
  detail: z.string(),
  code: z.string().describe('the SQS error code (QueueDoesNotExist, InvalidParameterValue, ...)'),
  field: z.string().optional().describe('the request field that was refused'),
  allowed: z.string().optional().describe('what the field accepts'),
});

export const consumerResponse = z.strictObject({
  id: z.string(),
  queue: z.string(),
  target: z.union([
    z.strictObject({ url: z.string() }),
    z.strictObject({ functionArn: z.string() }),
    z.strictObject({ module: z.string() }),
  ]),
  batchSize: z.int(),
  maximumBatchingWindowSeconds: z.int(),
  maximumConcurrency: z.int(),
  reportBatchItemFailures: z.boolean(),
  enabled: z.boolean(),
  secret: z
    .string()
    .optional()
    .describe('HTTP targets: the key of the x-queue-signature header, in the reply to the creation only'),
  createdAt: timestamp,
  updatedAt: timestamp,
});

export const consumerListResponse = z.strictObject({ consumers: z.array(consumerResponse) });
