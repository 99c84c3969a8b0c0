import type { QueueContext } from '../queue/context';
import type { TopicsContext } from '../topics/context';
import type { AccessKeyCache } from './sqs/access-key-cache';
import type { SqsAuthMode } from './sqs/signature';

/**
 * What the dialects need at run time: the queue, where queues live, and how SQS requests are
 * authenticated. Built once per container by functions/handlers/runtime.ts (the arrow points down:
 * handlers wire dialects to stores, dialects never import handlers).
 */
export interface Runtime {
  queue: QueueContext;
  /** Topics (SNS): they deliver through `queue`. */
  topics: TopicsContext;
  account: string;
  region: string;
  /** The access keys SQS requests are signed with, cached per container. */
  accessKeys: AccessKeyCache;
  sqsAuth: SqsAuthMode;
}
