import * as z from 'zod';

/** Shapes of the topic routes (validation and OpenAPI, as in schemas.ts). */
const topicName = z.string().describe('1 to 256 characters [A-Za-z0-9_-]; a FIFO topic name ends in .fifo');

export const createTopicRequest = z.strictObject({
  name: topicName,
  fifo: z
    .boolean()
    .optional()
    .describe('a FIFO topic (its name ends in .fifo): ordered per message group, deduplicated'),
  contentBasedDeduplication: z
    .boolean()
    .optional()
    .describe('FIFO only: deduplicate by the SHA-256 of the body'),
  tags: z.record(z.string(), z.string()).optional(),
});

export const topicResponse = z.object({
  name: z.string(),
  arn: z.string(),
  fifo: z.boolean(),
  contentBasedDeduplication: z.boolean(),
  tags: z.record(z.string(), z.string()),
  createdAt: z.string(),
  statistics: z
    .object({ published: z.number().int(), unmatched: z.number().int() })
    .optional()
    .describe(
      'GET /topics/{name} only: messages published since the topic was created, and those that matched no subscription (approximate: counted per process, written every 10 s)',
    ),
});

export const listTopicsResponse = z.object({
  topics: z.array(topicResponse),
  nextToken: z.string().optional(),
});

const retryPolicy = z.strictObject({
  numRetries: z.number().int().min(0).max(100),
  minDelaySeconds: z.number().int().min(0).max(3600).optional(),
  maxDelaySeconds: z.number().int().min(0).max(3600).optional(),
  backoff: z.enum(['linear', 'exponential']).optional(),
});

export const createSubscriptionRequest = z.strictObject({
  protocol: z.enum(['queue', 'http', 'https', 'lambda']),
  endpoint: z
    .string()
    .describe('a queue name or ARN (protocol queue), a URL (http, https) or a function ARN'),
  filterPolicy: z.record(z.string(), z.unknown()).optional().describe('an SNS filter policy'),
  filterPolicyScope: z
    .enum(['attributes', 'body'])
    .optional()
    .describe('what the policy looks at (default attributes)'),
  rawDelivery: z.boolean().optional().describe('deliver the body itself rather than the SNS JSON envelope'),
  deadLetterQueue: z
    .string()
    .optional()
    .describe('queue name or ARN that gets deliveries that never succeed (SNS RedrivePolicy)'),
  retryPolicy: retryPolicy
    .optional()
    .describe('http(s): how failed deliveries are tried again (SNS DeliveryPolicy healthyRetryPolicy)'),
});

export const updateSubscriptionRequest = z.strictObject({
  filterPolicy: z.record(z.string(), z.unknown()).nullable().optional().describe('null removes the policy'),
  filterPolicyScope: z.enum(['attributes', 'body']).optional(),
  rawDelivery: z.boolean().optional(),
  deadLetterQueue: z.string().nullable().optional().describe('null removes it'),
  retryPolicy: retryPolicy.nullable().optional(),
});

export const subscriptionResponse = z.object({
  id: z.string(),
  arn: z.string(),
  topic: z.string(),
  protocol: z.string(),
  endpoint: z.string(),
  filterPolicy: z.record(z.string(), z.unknown()).optional(),
  filterPolicyScope: z.enum(['attributes', 'body']),
  rawDelivery: z.boolean(),
  pendingConfirmation: z.boolean(),
  deadLetterQueue: z.string().optional().describe('its ARN'),
  retryPolicy: z
    .object({
      numRetries: z.number(),
      minDelaySeconds: z.number(),
      maxDelaySeconds: z.number(),
      backoff: z.string(),
    })
    .optional(),
  statistics: z
    .object({
      matched: z.number().int(),
      delivered: z.number().int(),
      filteredOut: z.number().int(),
      dropped: z.number().int(),
    })
    .optional()
    .describe(
      'GET /topics/{name}/subscriptions only: messages this subscription matched, delivered, filtered out, and deliveries given up (approximate, as the topic statistics)',
    ),
});

export const listSubscriptionsResponse = z.object({
  subscriptions: z.array(subscriptionResponse),
  nextToken: z.string().optional(),
});

const attribute = z.strictObject({
  dataType: z.string().describe('String, String.Array, Number or Binary (optionally with a .suffix)'),
  stringValue: z.string().optional(),
  binaryValue: z.string().optional().describe('base64'),
});

export const publishRequest = z.strictObject({
  body: z.string(),
  attributes: z.record(z.string(), attribute).optional(),
  subject: z.string().optional(),
  groupId: z.string().optional(),
  deduplicationId: z.string().optional(),
});

export const publishBatchRequest = z.strictObject({
  messages: z
    .array(publishRequest.extend({ id: z.string().optional() }))
    .min(1)
    .max(10),
});

export const publishResponse = z.object({
  messageId: z.string(),
  sequenceNumber: z.string().optional(),
  matched: z.array(z.string()).describe('ids of the subscriptions whose filter the message passed'),
});

export const publishBatchResponse = z.object({
  successful: z.array(
    z.object({ id: z.string(), messageId: z.string(), sequenceNumber: z.string().optional() }),
  ),
  failed: z.array(
    z.object({ id: z.string(), code: z.string(), message: z.string(), senderFault: z.boolean() }),
  ),
});

export const listQuery = z.strictObject({ nextToken: z.string().optional() });

/** The OpenAPI entries of the topic routes (openapi.ts merges them). */
export const topicOpenApi = {
  createTopic: {
    summary: 'Create a topic (201), or return the same topic if it exists with the same settings (200)',
    request: createTopicRequest,
    responses: { 201: topicResponse, 200: topicResponse },
  },
  listTopics: { summary: 'List topics', query: listQuery, responses: { 200: listTopicsResponse } },
  getTopic: { summary: 'Get a topic', responses: { 200: topicResponse } },
  deleteTopic: { summary: 'Delete a topic and its subscriptions', responses: { 204: null } },
  createSubscription: {
    summary: 'Subscribe a queue (or an http/https endpoint) to a topic, with an optional filter policy',
    request: createSubscriptionRequest,
    responses: { 201: subscriptionResponse },
  },
  listSubscriptions: {
    summary: "A topic's subscriptions with their filters",
    query: listQuery,
    responses: { 200: listSubscriptionsResponse },
  },
  updateSubscription: {
    summary: "Change a subscription's filter policy, its scope or raw delivery",
    request: updateSubscriptionRequest,
    responses: { 200: subscriptionResponse },
  },
  deleteSubscription: { summary: 'Unsubscribe', responses: { 204: null } },
  publish: {
    summary:
      'Publish one message (201 {messageId, matched}) or a batch of up to 10 ({"messages": [...]}, 200)',
    request: z.union([publishRequest, publishBatchRequest]),
    responses: { 201: publishResponse, 200: publishBatchResponse },
  },
} as const;
