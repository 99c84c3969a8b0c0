import { createHash, randomUUID } from 'node:crypto';
import type { TopicsContext } from './context';
import { targetOf } from './delivery-policy';
import { signatureVersionOf } from './envelope';
import { invalidParameter, TopicError, topicNotFound } from './errors';
import { fanOut } from './fan-out';
import { matchesMessage } from './filter-policy/match';
import type { DeliveryTarget, PublishedMessage, PublishInput, TopicRecord, TopicRef } from './model';
import { validatePublish } from './publish-validation';

export type { PublishInput } from './model';

/**
 * Publish: validate, decide which subscriptions want the message (filter policies are read at
 * publish time), write the outbox entry, and only then answer. The fan-out to the first
 * `inlineDeliveries` subscriptions runs before the answer; whatever it could not finish, and the
 * deliveries past those, stay in the outbox for the sweeper (sweep.ts), so an acknowledged publish
 * reaches every matching subscription at least once.
 */

export interface PublishResult {
  messageId: string;
  sequenceNumber?: string;
  /** Subscriptions the message was for (after filtering). */
  matched: string[];
  /** Deliveries left to the sweeper. */
  pending: number;
}

/** A FIFO topic's deduplication window, as SNS and SQS FIFO: 5 minutes. */
export const deduplicationWindowMs = 5 * 60_000;

export async function publish(
  ctx: TopicsContext,
  ref: TopicRef,
  input: PublishInput,
  baseUrl: string,
): Promise<PublishResult> {
  const topic = await ctx.cache.topic(ref);
  if (!topic) throw topicNotFound();
  const valid = validatePublish(topic, input, '');
  const message: PublishedMessage = {
    messageId: randomUUID(),
    topic: topic.ref,
    topicId: topic.id,
    fifo: topic.fifo,
    body: valid.body,
    attributes: valid.attributes,
    publishedAt: ctx.clock.now(),
    baseUrl,
    ...(signatureVersionOf(topic.attributes) === '2' ? { signatureVersion: '2' as const } : {}),
    ...(valid.subject !== undefined ? { subject: valid.subject } : {}),
    ...(valid.groupId !== undefined ? { groupId: valid.groupId } : {}),
  };
  if (topic.fifo) {
    const deduplicationId = valid.deduplicationId ?? createHash('sha256').update(valid.body).digest('hex');
    message.deduplicationId = deduplicationId;
    message.sequenceNumber = ctx.sequence.next(message.publishedAt);
    const { duplicateOf } = await ctx.store.claimDeduplicationId(
      topic.id,
      deduplicationId,
      { messageId: message.messageId, sequenceNumber: message.sequenceNumber },
      message.publishedAt,
      deduplicationWindowMs,
    );
    if (duplicateOf) return { ...duplicateOf, matched: [], pending: 0 };
  }
  const targets = await matchingTargets(ctx, topic, message);
  ctx.stats.countTopic(topic.id, 'published');
  if (targets.length === 0) {
    ctx.stats.countTopic(topic.id, 'unmatched');
    await ctx.stats.flushIfDue();
    return resultOf(message, targets, 0);
  }
  // Many subscriptions: deliver the first few, answer, and leave the rest to the sweeper at once
  // (the entry is due now, not after the grace period), so the publisher does not wait for them.
  const inline = targets.slice(0, ctx.inlineDeliveries);
  const deferred = targets.slice(ctx.inlineDeliveries);
  const now = ctx.clock.now();
  const key = await ctx.store.putOutbox(
    message,
    targets,
    deferred.length > 0
      ? { dueAt: now - ctx.outboxGraceMs - 1, claimedUntil: now + ctx.outboxGraceMs }
      : undefined,
  );
  const { remaining } = await fanOut(ctx, message, inline);
  const owed = [...remaining, ...deferred];
  // Settling the outbox is bookkeeping: if it fails, the sweeper delivers the rest again later
  // (to the same message ids in standard queues, the same deduplication ids in FIFO queues).
  try {
    if (owed.length === 0) await ctx.store.removeOutbox(key);
    else if (owed.length < targets.length || deferred.length > 0 || changed(remaining, inline)) {
      await ctx.store.updateOutbox(key, owed);
    }
  } catch {
    // the entry stays whole; the sweeper finishes it
  }
  await ctx.stats.flushIfDue();
  return resultOf(message, targets, owed.length);
}

/** Whether a delivery came back changed (an http(s) retry's attempt count and time). */
const changed = (remaining: DeliveryTarget[], tried: DeliveryTarget[]) =>
  remaining.some((target) => !tried.includes(target));

function resultOf(message: PublishedMessage, targets: DeliveryTarget[], pending: number): PublishResult {
  return {
    messageId: message.messageId,
    ...(message.sequenceNumber !== undefined ? { sequenceNumber: message.sequenceNumber } : {}),
    matched: targets.map((t) => t.subscriptionId),
    pending,
  };
}

/** Protocols this service delivers to (lambda: deployed, see fan-out.ts). */
const deliveredProtocols = new Set(['sqs', 'http', 'https', 'lambda']);

/** The confirmed subscriptions whose filter policy the message passes. */
export async function matchingTargets(
  ctx: TopicsContext,
  topic: TopicRecord,
  message: Pick<PublishedMessage, 'body' | 'attributes'>,
): Promise<DeliveryTarget[]> {
  const subscriptions = await ctx.cache.subscriptionsOf(topic);
  return subscriptions
    .filter((s) => !s.pendingConfirmation && deliveredProtocols.has(s.protocol))
    .filter((s) => {
      const matched = matchesMessage(s.filterPolicy, s.filterPolicyScope, message);
      ctx.stats.countSubscription(topic.id, s.id, matched ? 'matched' : 'filteredOut');
      return matched;
    })
    .map((s) => targetOf(s, topic));
}

export interface PublishBatchEntry extends PublishInput {
  id: string;
}

export interface PublishBatchResult {
  successful: { id: string; messageId: string; sequenceNumber?: string }[];
  failed: { id: string; code: string; message: string; senderFault: boolean }[];
}

/** Up to 10 messages; each succeeds or fails on its own, FIFO entries in their order. */
export async function publishBatch(
  ctx: TopicsContext,
  ref: TopicRef,
  entries: PublishBatchEntry[],
  baseUrl: string,
): Promise<PublishBatchResult> {
  if (entries.length === 0) {
    throw new TopicError('EmptyBatchRequest', "The batch request doesn't contain any entries");
  }
  if (entries.length > 10) {
    throw new TopicError(
      'TooManyEntriesInBatchRequest',
      'The batch request contains more entries than permissible.',
    );
  }
  const ids = new Set<string>();
  for (const entry of entries) {
    if (typeof entry.id !== 'string' || !/^[A-Za-z0-9_-]{1,80}$/.test(entry.id)) {
      throw new TopicError(
        'InvalidBatchEntryId',
        "The Id of a batch entry in a batch request doesn't abide by the specification.",
      );
    }
    if (ids.has(entry.id)) {
      throw new TopicError(
        'BatchEntryIdsNotDistinct',
        'Two or more batch entries in the request have the same Id.',
      );
    }
    ids.add(entry.id);
  }
  const total = entries.reduce((sum, e) => sum + Buffer.byteLength(e.body ?? ''), 0);
  if (total > 262_144) {
    throw new TopicError(
      'BatchRequestTooLong',
      'The length of all the messages put together is more than the limit.',
    );
  }
  const topic = await ctx.cache.topic(ref);
  if (!topic) throw topicNotFound();
  if (topic.fifo && entries.some((e) => e.groupId === undefined)) {
    throw invalidParameter(
      'Invalid parameter: The MessageGroupId parameter is required for FIFO topics',
      'MessageGroupId',
    );
  }
  const result: PublishBatchResult = { successful: [], failed: [] };
  const one = async (entry: PublishBatchEntry) => {
    try {
      const published = await publish(ctx, ref, entry, baseUrl);
      result.successful.push({
        id: entry.id,
        messageId: published.messageId,
        ...(published.sequenceNumber !== undefined ? { sequenceNumber: published.sequenceNumber } : {}),
      });
    } catch (error) {
      if (!(error instanceof TopicError)) throw error;
      result.failed.push({
        id: entry.id,
        code: error.kind.snsCode,
        message: error.message,
        senderFault: error.kind.fault === 'Sender',
      });
    }
  };
  if (topic.fifo) for (const entry of entries) await one(entry);
  else await Promise.all(entries.map(one));
  return result;
}
