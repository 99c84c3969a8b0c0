import type { OutboxEntry, PublishedMessage, SubscriptionRecord, TopicRecord, TopicRef } from './model';
import type { SigningIdentityStore } from './signing';

/**
 * What topics need from storage. One adapter implements it (functions/store/topic-store.ts);
 * deliveries go through the queue's own operations, never through this port.
 */
export interface Page<T> {
  items: T[];
  nextToken?: string;
}

export interface TopicStore extends SigningIdentityStore {
  /** Creates the topic unless one of that name exists; returns the existing one then. */
  createTopic(topic: TopicRecord): Promise<{ created: true } | { created: false; existing: TopicRecord }>;
  getTopic(ref: TopicRef): Promise<TopicRecord | undefined>;
  /** Replaces a topic's attributes and tags; false when the topic is gone or was created again. */
  updateTopic(topic: TopicRecord): Promise<boolean>;
  deleteTopic(ref: TopicRef): Promise<void>;
  listTopics(account: string, region: string, limit: number, nextToken?: string): Promise<Page<TopicRecord>>;

  putSubscription(subscription: SubscriptionRecord): Promise<void>;
  getSubscription(topic: TopicRef, id: string): Promise<SubscriptionRecord | undefined>;
  deleteSubscription(topic: TopicRef, id: string): Promise<void>;
  /** A topic's subscriptions, or an account's in a region when `topic` is undefined. */
  listSubscriptions(
    scope: { account: string; region: string; topic?: string },
    limit: number,
    nextToken?: string,
  ): Promise<Page<SubscriptionRecord>>;

  /**
   * FIFO topics: records the deduplication id for `windowMs` unless recorded and still within its
   * window; returns the message it was first accepted as when it is a duplicate.
   */
  claimDeduplicationId(
    topicId: string,
    deduplicationId: string,
    accepted: { messageId: string; sequenceNumber: string },
    now: number,
    windowMs: number,
  ): Promise<{ duplicateOf?: { messageId: string; sequenceNumber: string } }>;

  /**
   * Writes a published message with its targets before the publish is answered. `dueAt` (default
   * the publish time) is what listStaleOutbox compares; `claimedUntil` holds it for the publisher.
   */
  putOutbox(
    message: PublishedMessage,
    targets: OutboxEntry['targets'],
    options?: { dueAt?: number; claimedUntil?: number },
  ): Promise<string>;
  /** Keeps only `remaining` targets (after partial delivery) and releases any claim. */
  updateOutbox(key: string, remaining: OutboxEntry['targets']): Promise<void>;
  removeOutbox(key: string): Promise<void>;
  /** Entries written before `olderThan` and not claimed by another sweeper after `now`. */
  listStaleOutbox(olderThan: number, limit: number): Promise<OutboxEntry[]>;
  /** Claims an entry until `until`; false when someone else holds it or it is gone. */
  claimOutbox(key: string, now: number, until: number): Promise<boolean>;
}

/**
 * POSTs to subscribers' http(s) endpoints (the adapter is functions/dialects/sns/http-endpoints.ts).
 * Resolves with the HTTP status; rejects when no answer came within `timeoutMs` or the connection
 * failed. Never follows redirects to another host's data: SNS treats 3xx as a failure too.
 */
/** How long an endpoint has to answer (SNS allows 15 s; Publish waits on its inline deliveries). */
export const endpointTimeoutMs = 5_000;

export interface HttpEndpoints {
  post(request: {
    url: string;
    body: string;
    headers: Record<string, string>;
    timeoutMs: number;
  }): Promise<number>;
}

/**
 * Invokes subscribers' Lambda functions asynchronously (InvocationType Event), as SNS does; the
 * adapter is functions/dialects/sns/function-invoker.ts, present only where the service runs on
 * Lambda. Rejects with the service's error name when the invoke was refused.
 */
export interface FunctionInvoker {
  invokeAsync(functionArn: string, payload: string): Promise<void>;
}

/** Invoke refusals no retry can fix: the function is gone, or this service may not invoke it. */
export const permanentInvokeErrors = new Set([
  'ResourceNotFoundException',
  'AccessDeniedException',
  'InvalidParameterValueException',
  'RequestTooLargeException',
]);
