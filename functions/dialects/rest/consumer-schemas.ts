import * as z from 'zod';

/**
 * Request shapes of the consumer routes (push delivery), for validation and the OpenAPI document;
 * the ranges and rules themselves are the domain's (functions/push/consumers.ts).
 */
const target = z
  .union([
    z.strictObject({ url: z.string().describe('https URL (http too on the local service)') }),
    z.strictObject({
      functionArn: z.string().describe('a Lambda function ARN, optionally with a qualifier'),
    }),
    z.strictObject({ module: z.string().describe('local service only: "<file>#<exported handler>"') }),
  ])
  .describe('where batches go');

const settings = {
  batchSize: z
    .int()
    .min(1)
    .max(100)
    .optional()
    .describe('messages per batch, 1..100 (FIFO 1..10); default 10'),
  maximumBatchingWindowSeconds: z
    .int()
    .min(0)
    .max(300)
    .optional()
    .describe('how long to gather a fuller batch once a message is there; default 0'),
  maximumConcurrency: z.int().min(1).max(1_000).optional().describe('batches in flight at most; default 5'),
  reportBatchItemFailures: z
    .boolean()
    .optional()
    .describe('read {"batchItemFailures": [...]} from the answer; default false'),
  enabled: z.boolean().optional().describe('default true'),
};

export const createConsumerRequest = z.strictObject({ target, ...settings });
export const updateConsumerRequest = z.strictObject({ target: target.optional(), ...settings });
