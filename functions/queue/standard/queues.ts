import type { QueueContext } from '../context';
import type { QueueRecord, StoredMessage } from '../model';
import type { InspectionStore } from '../ports/inspection-store';
import type { MessageCounts } from '../states';

/** What queue administration and inspection read from a standard queue: its ready index. */

/** Two ready-index queries per shard (keys and receive counts only). */
export function countMessages(
  ctx: QueueContext,
  queue: QueueRecord,
  now = ctx.clock.now(),
): Promise<MessageCounts> {
  return ctx.store.countMessages(queue.id, queue.shardCount, now);
}

export function oldestAvailableSince(
  ctx: QueueContext,
  queue: QueueRecord,
  shard: number,
  now: number,
): Promise<number | undefined> {
  return ctx.store.oldestVisibleSince(queue.id, shard, now);
}

/**
 * Removes the messages in the queue's ready index within a time budget (for a purge, the purge
 * mark has already made those sent before it undeliverable).
 */
export function purgeMessages(
  ctx: QueueContext,
  queue: QueueRecord,
): Promise<{ removed: number; done: boolean }> {
  return ctx.store.purgeMessages(queue.id, queue.shardCount, 10_000);
}

/** In ready-index order: visible first, longest-waiting first, then in flight and delayed. */
export function peek(
  inspection: InspectionStore,
  queue: QueueRecord,
  limit: number,
): Promise<StoredMessage[]> {
  return inspection.peekMessages(queue.id, queue.shardCount, limit);
}
