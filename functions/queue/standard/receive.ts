import type { QueueContext } from '../context';
import type { QueueRecord, ReceivedMessage } from '../model';
import { newLeaseToken } from '../receipt-handle';
import { reasons } from '../shared/dead-letter-reasons';
import { noisyGroupsNow } from '../shared/fairness';
import { longPoll } from '../shared/long-poll';
import { mayWait, receiveOrder } from '../shared/priority';
import type { ReceiveOptions } from '../shared/queue-kind';
import { shuffle } from '../shared/shuffle';
import { moveExhausted } from './dead-letters';
import { leaseQuietFirst } from './fair-receive';

/**
 * Receiving from a standard queue: find candidates in the ready index (eventually consistent, may
 * be stale), then take each with a conditional write on the base table. Only that write decides
 * who holds a message: two receivers can see the same candidate, but one of them wins it.
 */

export function receive(
  ctx: QueueContext,
  queue: QueueRecord,
  options: ReceiveOptions,
): Promise<ReceivedMessage[]> {
  return longPoll(ctx, queue.id, options.waitTimeSeconds, () =>
    leaseAvailable(ctx, queue, options.maxMessages, options.visibilityTimeoutSeconds),
  );
}

async function leaseAvailable(
  ctx: QueueContext,
  queue: QueueRecord,
  maxMessages: number,
  visibilityTimeoutSeconds: number,
): Promise<ReceivedMessage[]> {
  // Fair queues: with noisy groups, quiet groups' messages go first (no call unless groups sent lately).
  const noisy = await noisyGroupsNow(ctx, queue);
  if (noisy) {
    return leaseQuietFirst(ctx, queue, noisy, maxMessages, (messageId, now, tally) =>
      leaseOne(ctx, queue, messageId, now, visibilityTimeoutSeconds, tally),
    );
  }
  const received: ReceivedMessage[] = [];
  const tally = { purged: 0 };
  // Leftovers of this process's earlier receives first: when they suffice, no query at all.
  const cached = ctx.candidates.take(queue.id, maxMessages);
  const tried = new Set(cached);
  if (cached.length > 0) {
    const now = ctx.clock.now();
    const leased = await Promise.all(
      cached.map((messageId) => leaseOne(ctx, queue, messageId, now, visibilityTimeoutSeconds, tally)),
    );
    for (const message of leased) if (message) received.push(message);
    // A stale leftover means other receivers are at work on this queue: trust the index again.
    if (received.length < cached.length) ctx.candidates.forget(queue.id);
  }
  // Highest priority first; successive receives start at different shards so that every shard
  // is drained (shared/priority.ts).
  for (const shard of receiveOrder(queue, ctx.shardCursor)) {
    if (received.length >= maxMessages) break;
    const now = ctx.clock.now();
    const wanted = maxMessages - received.length;
    // Read a wider window than needed and try it in random order: concurrent receivers then
    // rarely race for the same message, and a lost race costs a retry, not an empty answer.
    const found = await ctx.store.findVisible(queue.id, shard, now, Math.min(100, wanted * 3 + 2));
    const candidates = shuffle(found.filter((messageId) => !tried.has(messageId)));
    while (candidates.length > 0 && received.length < maxMessages) {
      const attempt = candidates.splice(0, maxMessages - received.length);
      const leased = await Promise.all(
        attempt.map((messageId) => leaseOne(ctx, queue, messageId, now, visibilityTimeoutSeconds, tally)),
      );
      for (const message of leased) if (message) received.push(message);
    }
    if (mayWait(queue, shard)) ctx.candidates.keep(queue.id, candidates);
  }
  // Purged messages removed here no longer wait for the background removal: one write per
  // receive keeps the queue's pending count (and so its counts) right.
  if (tally.purged > 0 && queue.purgePending !== undefined) {
    await ctx.store.notePurgedRemoved(queue, tally.purged);
  }
  return received;
}

async function leaseOne(
  ctx: QueueContext,
  queue: QueueRecord,
  messageId: string,
  now: number,
  visibilityTimeoutSeconds: number,
  tally: { purged: number },
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
    if ((await ctx.store.removeUndeliverable(queue.id, messageId, now, queue.purgedAt)) === 'purged') {
      tally.purged++;
    }
    return undefined;
  }
  if (outcome.status !== 'leased') return undefined;
  const receiptHandle = ctx.receiptHandles.encode({ queueId: queue.id, messageId, leaseToken });
  return { ...outcome.message, receiptHandle };
}
