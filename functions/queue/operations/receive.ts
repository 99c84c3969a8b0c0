import { performance } from 'node:perf_hooks';
import { CandidateCache } from '../candidates';
import type { QueueContext } from '../context';
import { receiveFifoMessages } from '../fifo/receive';
import { limits } from '../limits';
import type { QueueRecord, QueueRef, ReceivedMessage } from '../model';
import { newLeaseToken } from '../receipt-handle';
import { optionalInteger } from '../validation';
import { moveExhausted, reasons } from './dead-letters';

/**
 * Receiving: find candidates in the ready index (eventually consistent, may be stale), then
 * take each with a conditional write on the base table. Only that write decides who holds a
 * message: two receivers can see the same candidate, but one of them wins it.
 */

export interface ReceiveInput {
  maxMessages?: number;
  visibilityTimeoutSeconds?: number;
  waitTimeSeconds?: number;
  /** FIFO only (SQS ReceiveRequestAttemptId): a retry with the same id gets the same messages. */
  receiveRequestAttemptId?: string;
}

/** Successive receives start at different shards so that every shard is drained. */
let shardCursor = Math.floor(Math.random() * 1_000);

/** Per process, like the Lambda container or local service that runs it. */
const candidateCache = new CandidateCache();

export async function receiveMessages(
  ctx: QueueContext,
  ref: QueueRef,
  input: ReceiveInput = {},
): Promise<ReceivedMessage[]> {
  const queue = await ctx.queues.require(ref);
  const maxMessages = optionalInteger('maxMessages', input.maxMessages, limits.maxMessages) ?? 1;
  const visibilityTimeoutSeconds =
    optionalInteger(
      'visibilityTimeoutSeconds',
      input.visibilityTimeoutSeconds,
      limits.visibilityTimeoutSeconds,
    ) ?? queue.visibilityTimeoutSeconds;
  const waitTimeSeconds =
    optionalInteger('waitTimeSeconds', input.waitTimeSeconds, limits.receiveWaitSeconds) ??
    queue.receiveWaitSeconds;
  const received = queue.fifo
    ? await receiveFifoMessages(ctx, queue, {
        maxMessages,
        visibilityTimeoutSeconds,
        waitTimeSeconds,
        attemptId: input.receiveRequestAttemptId,
      })
    : await longPoll(ctx, queue.id, waitTimeSeconds, () =>
        leaseAvailable(ctx, queue, maxMessages, visibilityTimeoutSeconds),
      );
  await ctx.stats.record(queue.id, 'received', received.length);
  return received.sort(queue.fifo ? bySequenceNumber : bySendTime);
}

/**
 * The order within one receive: oldest first. Standard queues promise no order, but a small
 * queue read by one consumer comes back in send order, as clients and their tests expect of
 * SQS. Across shards only what this receive read is ordered: finding the oldest of all shards
 * would cost a query per shard. FIFO: by sequence number, which orders groups among themselves
 * too (a group's own messages are in order either way).
 */
const bySendTime = (a: ReceivedMessage, b: ReceivedMessage) => a.sentAt - b.sentAt;
const bySequenceNumber = (a: ReceivedMessage, b: ReceivedMessage) =>
  (a.sequenceNumber ?? '').localeCompare(b.sequenceNumber ?? '');

/** Tries until something is received or the wait is over, woken early by sends in this process. */
export async function longPoll<T>(
  ctx: QueueContext,
  queueId: string,
  waitTimeSeconds: number,
  attempt: () => Promise<T[]>,
): Promise<T[]> {
  // Long polling waits in real time (it is bounded by 20 s), while message times use the clock.
  const deadline = performance.now() + waitTimeSeconds * 1000;
  for (;;) {
    const received = await attempt();
    const remaining = deadline - performance.now();
    if (received.length > 0 || remaining <= 0) return received;
    await ctx.arrivals.wait(queueId, Math.min(remaining, ctx.pollIntervalMs));
  }
}

async function leaseAvailable(
  ctx: QueueContext,
  queue: QueueRecord,
  maxMessages: number,
  visibilityTimeoutSeconds: number,
): Promise<ReceivedMessage[]> {
  const received: ReceivedMessage[] = [];
  // Leftovers of this process's earlier receives first: when they suffice, no query at all.
  const cached = candidateCache.take(queue.id, maxMessages);
  const tried = new Set(cached);
  if (cached.length > 0) {
    const now = ctx.clock.now();
    const leased = await Promise.all(
      cached.map((messageId) => leaseOne(ctx, queue, messageId, now, visibilityTimeoutSeconds)),
    );
    for (const message of leased) if (message) received.push(message);
    // A stale leftover means other receivers are at work on this queue: trust the index again.
    if (received.length < cached.length) candidateCache.forget(queue.id);
  }
  const start = shardCursor++;
  for (let i = 0; i < queue.shardCount && received.length < maxMessages; i++) {
    const shard = (start + i) % queue.shardCount;
    const now = ctx.clock.now();
    const wanted = maxMessages - received.length;
    // Read a wider window than needed and try it in random order: concurrent receivers then
    // rarely race for the same message, and a lost race costs a retry, not an empty answer.
    const found = await ctx.store.findVisible(queue.id, shard, now, Math.min(100, wanted * 3 + 2));
    const candidates = shuffle(found.filter((messageId) => !tried.has(messageId)));
    while (candidates.length > 0 && received.length < maxMessages) {
      const attempt = candidates.splice(0, maxMessages - received.length);
      const leased = await Promise.all(
        attempt.map((messageId) => leaseOne(ctx, queue, messageId, now, visibilityTimeoutSeconds)),
      );
      for (const message of leased) if (message) received.push(message);
    }
    candidateCache.keep(queue.id, candidates);
  }
  return received;
}

async function leaseOne(
  ctx: QueueContext,
  queue: QueueRecord,
  messageId: string,
  now: number,
  visibilityTimeoutSeconds: number,
): Promise<ReceivedMessage | undefined> {
  const leaseToken = newLeaseToken();
  const request = {
    queueId: queue.id,
    messageId,
    now,
    visibleUntil: now + visibilityTimeoutSeconds * 1000,
    leaseToken,
    ...(queue.purgedAt === undefined ? {} : { purgedAt: queue.purgedAt }),
    ...(queue.deadLetterQueue === undefined || queue.maxReceiveCount === undefined
      ? {}
      : { maxReceiveCount: queue.maxReceiveCount }),
  };
  const outcome = await ctx.store.lease(request);
  if (outcome.status === 'exhausted') {
    await moveExhausted(ctx, queue, messageId, reasons.receive);
    return undefined;
  }
  if (outcome.status === 'undeliverable') {
    // Expired or purged messages are never delivered; removing them here keeps the index clean
    // between sweeps.
    await ctx.store.removeUndeliverable(queue.id, messageId, now, queue.purgedAt);
    return undefined;
  }
  if (outcome.status !== 'leased') return undefined;
  const receiptHandle = ctx.receiptHandles.encode({ queueId: queue.id, messageId, leaseToken });
  return { ...outcome.message, receiptHandle };
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
