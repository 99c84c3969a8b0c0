import type { QueueRef } from '../queue/model';

/**
 * The vocabulary of push delivery: a consumer attached to a queue hands its messages to a target
 * (an HTTP endpoint, a Lambda function, or locally a handler module) in batches shaped as the
 * Lambda SQS event, with Lambda's outcome rules.
 */
export type ConsumerTarget = { url: string } | { functionArn: string } | { module: string };

export interface ConsumerSettings {
  target: ConsumerTarget;
  batchSize: number;
  maximumBatchingWindowSeconds: number;
  maximumConcurrency: number;
  reportBatchItemFailures: boolean;
  enabled: boolean;
}

export interface ConsumerRecord extends ConsumerSettings {
  id: string;
  queue: QueueRef;
  /** The queue's id when the consumer was made: a queue deleted and made again has none. */
  queueId: string;
  /** HTTP targets: the key of the signature header (base64url); shown once, at creation. */
  secret?: string;
  createdAt: number;
  updatedAt: number;
}

/** What a target did with a batch: all succeeded, all failed, or only these message ids failed. */
export type BatchOutcome = { ok: true } | { ok: false; reason: string } | { failedIds: string[] };
