import { type QueueContext, queueDoesNotExist } from '../context';
import { kindOf } from '../kinds';
import type { MessageCounts, QueueRecord, QueueRef } from '../model';
import { type FairnessDepth, measureFairness } from '../shared/fairness';
import { readyShards } from '../shared/priority';
import { type ListQueuesInput, validateListQueues, validateQueueName } from '../validation';

/**
 * How deep a queue is and how long its longest-waiting visible message has waited, from the ready
 * index only: counts are 2 queries per shard, the age 1 more (for FIFO queues, the age is how long
 * the longest-available group has waited for a receiver).
 */
export interface QueueDepth extends MessageCounts {
  /** Whole seconds; 0 when nothing is visible. */
  oldestMessageAgeSeconds: number;
  /** Only when the counts were estimated from a sample of a FIFO queue's groups (ports/fifo-store.ts). */
  approximate?: true;
  /** Standard queues that had group ids: noisy groups and the quiet groups' messages (fair queues). */
  fairness?: FairnessDepth;
}

export async function measureDepth(ctx: QueueContext, queue: QueueRecord): Promise<QueueDepth> {
  const now = ctx.clock.now();
  const kind = kindOf(queue);
  const [counts, since] = await Promise.all([
    kind.countMessages(ctx, queue, now),
    Promise.all(readyShards(queue).map((shard) => kind.oldestAvailableSince(ctx, queue, shard, now))),
  ]);
  const oldest = Math.min(now, ...since.filter((v): v is number => v !== undefined));
  const oldestMessageAgeSeconds = Math.max(0, Math.floor((now - oldest) / 1000));
  const fairness = await measureFairness(ctx, queue, counts, oldestMessageAgeSeconds);
  return {
    visible: counts.visible,
    inFlight: counts.inFlight,
    delayed: counts.delayed,
    oldestMessageAgeSeconds,
    ...('approximate' in counts && counts.approximate ? { approximate: true as const } : {}),
    ...(fairness ? { fairness } : {}),
  };
}

/** A fresh read of the queue (bypassing the cache) with its depth. */
export async function describeQueueDepth(
  ctx: QueueContext,
  ref: QueueRef,
): Promise<{ queue: QueueRecord; depth: QueueDepth }> {
  validateQueueName(ref.name);
  const queue = await ctx.store.getQueue(ref);
  if (!queue) throw queueDoesNotExist(ref);
  return { queue, depth: await measureDepth(ctx, queue) };
}

/** A page of queues, each with its depth (measured a few queues at a time). */
export async function listQueuesWithDepth(ctx: QueueContext, input: ListQueuesInput) {
  const page = await ctx.store.listQueues(validateListQueues(input));
  const depths: QueueDepth[] = [];
  for (let i = 0; i < page.queues.length; i += 8) {
    depths.push(...(await Promise.all(page.queues.slice(i, i + 8).map((q) => measureDepth(ctx, q)))));
  }
  return { ...page, queues: page.queues.map((queue, i) => ({ queue, depth: depths[i]! })) };
}
