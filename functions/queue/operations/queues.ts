import { randomBytes } from 'node:crypto';
import { type QueueContext, queueDoesNotExist } from '../context';
import { invalidParameter, QueueError } from '../errors';
import { kindOf } from '../kinds';
import { limits } from '../limits';
import type { MessageCounts, QueueRecord, QueueRef, QueueSettings } from '../model';
import { fifoDefaults, queueKind, requireSameKind, validateFifoSettings } from '../shared/kind-settings';
import {
  integerInRange,
  type ListQueuesInput,
  validateListQueues,
  validateQueueName,
  validateSettings,
} from '../validation';

/** Queue administration: create, read, change, list, delete and purge queues. */

export const defaultSettings: QueueSettings = {
  visibilityTimeoutSeconds: limits.visibilityTimeoutSeconds.default,
  retentionSeconds: limits.retentionSeconds.default,
  delaySeconds: limits.delaySeconds.default,
  maxMessageBytes: limits.maxMessageBytes.default,
  receiveWaitSeconds: limits.receiveWaitSeconds.default,
};

export interface CreateQueueInput {
  ref: QueueRef;
  settings?: Partial<QueueSettings>;
  shardCount?: number;
  tags?: Record<string, string>;
  extraAttributes?: Record<string, string>;
  /** A FIFO queue; its name must end in `.fifo`. */
  fifo?: boolean;
}

/**
 * Creates a queue. Creating one that exists with the same settings returns it unchanged (as
 * SQS does); with other settings it fails with QueueNameExists.
 */
export async function createQueue(
  ctx: QueueContext,
  input: CreateQueueInput,
): Promise<{ queue: QueueRecord; created: boolean }> {
  validateQueueName(input.ref.name);
  const fifo = queueKind(input.ref.name, input.fifo);
  const settings = validateSettings({
    ...defaultSettings,
    ...(fifo ? fifoDefaults : {}),
    ...definedOnly(input.settings ?? {}),
  });
  validateFifoSettings(fifo, settings);
  await requireDeadLetterQueue(ctx, input.ref, settings, fifo);
  const shardCount = integerInRange(
    'shardCount',
    input.shardCount ?? ctx.defaultShardCount,
    limits.shardCount,
  );
  const now = ctx.clock.now();
  const record: QueueRecord = {
    ...settings,
    ref: input.ref,
    id: randomBytes(8).toString('base64url'),
    shardCount,
    ...(fifo ? { fifo: true } : {}),
    createdAt: now,
    updatedAt: now,
    tags: input.tags ?? {},
    extraAttributes: input.extraAttributes ?? {},
  };
  const result = await ctx.store.createQueue(record);
  if (result.created) {
    ctx.queues.remember(input.ref, record);
    return { queue: record, created: true };
  }
  if (!sameSettings(result.existing, record)) {
    throw new QueueError(
      'QueueNameExists',
      `A queue named ${input.ref.name} already exists with different attributes; ` +
        'change them with an update, or delete the queue first',
      { field: 'name', given: input.ref.name },
    );
  }
  ctx.queues.remember(input.ref, result.existing);
  return { queue: result.existing, created: false };
}

export async function getQueue(ctx: QueueContext, ref: QueueRef): Promise<QueueRecord> {
  validateQueueName(ref.name);
  return ctx.queues.require(ref);
}

/** A fresh read, bypassing the cache, with approximate message counts. */
export async function describeQueue(
  ctx: QueueContext,
  ref: QueueRef,
): Promise<{ queue: QueueRecord; counts: MessageCounts }> {
  validateQueueName(ref.name);
  const queue = await ctx.store.getQueue(ref);
  if (!queue) throw queueDoesNotExist(ref);
  return { queue, counts: await kindOf(queue).countMessages(ctx, queue) };
}

export interface UpdateQueueInput {
  ref: QueueRef;
  settings?: Partial<QueueSettings>;
  /** Set `deadLetterQueue`/`maxReceiveCount` to null to remove the redrive policy. */
  removeRedrivePolicy?: boolean;
  tags?: Record<string, string>;
  removeTags?: string[];
  extraAttributes?: Record<string, string>;
}

export async function updateQueue(ctx: QueueContext, input: UpdateQueueInput): Promise<QueueRecord> {
  validateQueueName(input.ref.name);
  const current = await ctx.store.getQueue(input.ref);
  if (!current) throw queueDoesNotExist(input.ref);
  const merged: QueueSettings = { ...settingsOf(current), ...definedOnly(input.settings ?? {}) };
  if (input.removeRedrivePolicy) {
    delete merged.deadLetterQueue;
    delete merged.maxReceiveCount;
  }
  const settings = validateSettings(merged);
  validateFifoSettings(Boolean(current.fifo), settings);
  await requireDeadLetterQueue(ctx, input.ref, settings, Boolean(current.fifo));
  const tags = { ...current.tags, ...input.tags };
  for (const key of input.removeTags ?? []) delete tags[key];
  const updated: QueueRecord = {
    ...current,
    ...settings,
    deadLetterQueue: settings.deadLetterQueue,
    maxReceiveCount: settings.maxReceiveCount,
    tags,
    extraAttributes: { ...current.extraAttributes, ...input.extraAttributes },
    updatedAt: ctx.clock.now(),
  };
  if (!(await ctx.store.updateQueue(updated))) throw queueDoesNotExist(input.ref);
  ctx.queues.remember(input.ref, updated);
  return updated;
}

export type { ListQueuesInput };

export async function listQueues(ctx: QueueContext, input: ListQueuesInput) {
  return ctx.store.listQueues(validateListQueues(input));
}

/**
 * Deletes a queue at once: its record goes first (so nothing new is accepted), then its
 * messages, within a time budget; a queue created again with the same name has a new id and
 * never sees the old messages.
 */
export async function deleteQueue(ctx: QueueContext, ref: QueueRef): Promise<void> {
  validateQueueName(ref.name);
  const queue = await ctx.store.getQueue(ref);
  if (!queue) throw queueDoesNotExist(ref);
  await ctx.store.deleteQueue(ref);
  ctx.queues.forget(ref);
  await kindOf(queue).purgeMessages(ctx, queue);
}

/**
 * Purges a queue. Every message sent until now stops being deliverable and counted at once: the
 * purge mark on the queue (`purgedAt`) is honoured by every read path (receive, peek, counts).
 * Removing the messages from storage takes time (a 100,000-message queue needs 100,000 deletes),
 * so it happens afterwards: for a standard queue the sweeper removes them (`purgePending`
 * remembers how many are left, and counts subtract it); a FIFO queue removes what it can within a
 * short budget now, and the rest when a receive or the sweeper meets it. The reply says how many
 * messages the purge cut off (approximate, like every count).
 */
export async function purgeQueue(
  ctx: QueueContext,
  ref: QueueRef,
): Promise<{ purged: number; removal: 'background' }> {
  validateQueueName(ref.name);
  const queue = await ctx.store.getQueue(ref);
  if (!queue) throw queueDoesNotExist(ref);
  const now = ctx.clock.now();
  const kind = kindOf(queue);
  const { record, cutOff } = await kind.markPurged(ctx, queue, now);
  // Counters from now on count only messages sent after the purge (a queue without counters gets them).
  await ctx.store.startCounters(queue.id, now);
  if (!(await ctx.store.updateQueue(record))) throw queueDoesNotExist(ref);
  ctx.queues.remember(ref, record);
  await kind.purgeMessages(ctx, record, now);
  return { purged: cutOff, removal: 'background' };
}

export function settingsOf(queue: QueueRecord): QueueSettings {
  const settings: QueueSettings = {
    visibilityTimeoutSeconds: queue.visibilityTimeoutSeconds,
    retentionSeconds: queue.retentionSeconds,
    delaySeconds: queue.delaySeconds,
    maxMessageBytes: queue.maxMessageBytes,
    receiveWaitSeconds: queue.receiveWaitSeconds,
  };
  if (queue.maxReceiveCount !== undefined) settings.maxReceiveCount = queue.maxReceiveCount;
  if (queue.deadLetterQueue !== undefined) settings.deadLetterQueue = queue.deadLetterQueue;
  if (queue.contentBasedDeduplication !== undefined) {
    settings.contentBasedDeduplication = queue.contentBasedDeduplication;
  }
  if (queue.deduplicationScope !== undefined) settings.deduplicationScope = queue.deduplicationScope;
  if (queue.fifoThroughputLimit !== undefined) settings.fifoThroughputLimit = queue.fifoThroughputLimit;
  if (queue.archiveRetentionSeconds) settings.archiveRetentionSeconds = queue.archiveRetentionSeconds;
  return settings;
}

function sameSettings(a: QueueRecord, b: QueueRecord): boolean {
  const left = settingsOf(a);
  const right = settingsOf(b);
  const keys = new Set([...Object.keys(left), ...Object.keys(right)]) as Set<keyof QueueSettings>;
  for (const key of keys) if (left[key] !== right[key]) return false;
  const extraKeys = new Set([...Object.keys(a.extraAttributes), ...Object.keys(b.extraAttributes)]);
  for (const key of extraKeys) if (a.extraAttributes[key] !== b.extraAttributes[key]) return false;
  return true;
}

async function requireDeadLetterQueue(
  ctx: QueueContext,
  ref: QueueRef,
  settings: QueueSettings,
  fifo: boolean,
): Promise<void> {
  if (settings.deadLetterQueue === undefined) return;
  if (settings.deadLetterQueue === ref.name) {
    throw invalidParameter(
      'deadLetterQueue',
      settings.deadLetterQueue,
      'another queue than the queue itself',
    );
  }
  const target = await ctx.queues.find({ ...ref, name: settings.deadLetterQueue });
  if (!target) {
    throw invalidParameter('deadLetterQueue', settings.deadLetterQueue, 'the name of an existing queue');
  }
  requireSameKind(fifo, target);
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
