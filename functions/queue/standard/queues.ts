import type { QueueContext } from '../context';
import type { QueueRecord, StoredMessage } from '../model';
import type { InspectionStore } from '../ports/inspection-store';
import { readyShards, shardsByPriority } from '../shared/priority';
import { afterPurge, withoutPurged } from '../shared/purge-counts';
import type { MessageCounts } from '../states';

/** What queue administration and inspection read from a standard queue: its ready index. */

/**
 * From the queue's counters (two reads, whatever the queue holds); a queue created before
 * counters existed: two ready-index queries per shard (keys and receive counts only).
 */
export async function countMessages(
  ctx: QueueContext,
  queue: QueueRecord,
  now = ctx.clock.now(),
): Promise<MessageCounts> {
  const counted = await ctx.store.readCounters(queue.id, queue.purgedAt ?? 0, now);
  if (counted) return counted;
  const raw = await ctx.store.countMessages(queue.id, readyShards(queue), now);
  return withoutPurged(raw, queue.purgePending ?? 0);
}

export async function oldestAvailableSince(
  ctx: QueueContext,
  queue: QueueRecord,
  shard: number,
  now: number,
): Promise<number | undefined> {
  return afterPurge(queue, await ctx.store.oldestVisibleSince(queue.id, shard, now));
}

/**
 * For a deleted queue, removes the messages in its ready index within a time budget. For a purge
 * (`sentUpTo`, the mark already written with `purgePending`), removes at once only the purged
 * messages in flight or delayed (usually few): the rest stay visible and are subtracted from the
 * counts exactly until the sweeper removes them (purge-store.ts).
 */
export async function purgeMessages(
  ctx: QueueContext,
  queue: QueueRecord,
  sentUpTo?: number,
): Promise<{ removed: number; done: boolean }> {
  if (sentUpTo === undefined) return ctx.store.purgeMessages(queue.id, readyShards(queue), 10_000);
  return { removed: await ctx.store.removePurgedHidden(queue, sentUpTo, 5_000), done: false };
}

/**
 * What a purge cuts off, and the queue record it writes: the raw index counts include messages an
 * earlier purge left for removal, so all of them are pending now.
 */
export async function markPurged(
  ctx: QueueContext,
  queue: QueueRecord,
  now: number,
): Promise<{ record: QueueRecord; cutOff: number }> {
  const counted = await ctx.store.readCounters(queue.id, queue.purgedAt ?? 0, now);
  const raw = counted ?? (await ctx.store.countMessages(queue.id, readyShards(queue), now));
  const before = counted ?? withoutPurged(raw, queue.purgePending ?? 0);
  // With counters, `raw` leaves out what an earlier purge cut off: its removal may still be going.
  const earlier = counted ? (queue.purgePending ?? 0) : 0;
  const record: QueueRecord = {
    ...queue,
    purgedAt: now,
    purgePending: raw.visible + raw.inFlight + raw.delayed + earlier,
  };
  delete record.purgeCursor;
  return { record, cutOff: before.visible + before.inFlight + before.delayed };
}

/**
 * In ready-index order: by priority, highest first (one read per priority used), and within a
 * priority visible first, longest-waiting first, then in flight and delayed.
 */
export async function peek(
  inspection: InspectionStore,
  queue: QueueRecord,
  limit: number,
): Promise<StoredMessage[]> {
  const found: StoredMessage[] = [];
  for (const shards of shardsByPriority(queue)) {
    if (found.length >= limit) break;
    found.push(...(await inspection.peekMessages(queue.id, shards, limit - found.length)));
  }
  return found;
}
