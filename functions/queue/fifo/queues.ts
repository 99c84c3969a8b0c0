import type { QueueContext } from '../context';
import type { QueueRecord } from '../model';
import type { FifoMessage, FifoMessageCounts } from '../ports/fifo-store';
import type { InspectionStore } from '../ports/inspection-store';
import { afterPurge } from '../shared/purge-counts';
import { fifoStore } from './groups';

/** What queue administration and inspection read from a FIFO queue: its groups. */

/**
 * From the queue's counters (two reads, whatever the queue holds). A queue created before counters
 * existed is counted from its groups; `approximate` is then set when estimated from a sample.
 */
export async function countFifoMessages(
  ctx: QueueContext,
  queue: QueueRecord,
  now = ctx.clock.now(),
): Promise<FifoMessageCounts> {
  const counted = await ctx.store.readCounters(queue.id, queue.purgedAt ?? 0, now);
  if (counted) return counted;
  return fifoStore(ctx).countMessages(queue.id, queue.shardCount, now, queue.purgedAt);
}

/** How long the longest-available group of a shard has waited for a receiver. */
export async function oldestAvailableGroupSince(
  ctx: QueueContext,
  queue: QueueRecord,
  shard: number,
  now: number,
): Promise<number | undefined> {
  return afterPurge(queue, await ctx.inspection?.oldestAvailableGroupSince(queue.id, shard, now));
}

/** Removes the messages sent up to `sentUpTo` (a purge), or all with their groups (a deleted queue). */
export function purgeFifoMessages(
  ctx: QueueContext,
  queue: QueueRecord,
  sentUpTo?: number,
): Promise<{ removed: number; done: boolean }> {
  return fifoStore(ctx).purgeMessages({
    queueId: queue.id,
    shardCount: queue.shardCount,
    // A purge removes what it can at once and leaves the rest to receives and the sweeper.
    budgetMs: sentUpTo === undefined ? 10_000 : 2_000,
    ...(sentUpTo === undefined ? {} : { sentUpTo }),
  });
}

/**
 * The earliest-available groups, round by round: every group's head, then every group's second
 * message, and so on, each group in sequence order.
 */
export async function peekFifo(
  inspection: InspectionStore,
  queue: QueueRecord,
  limit: number,
): Promise<FifoMessage[]> {
  // Scheduled messages not yet in their groups (fifo/schedule.ts) are listed by `state: delayed`.
  return roundRobin(await inspection.peekFifoGroups(queue.id, queue.shardCount, limit, limit));
}

function roundRobin(groups: FifoMessage[][]): FifoMessage[] {
  const out: FifoMessage[] = [];
  const longest = Math.max(0, ...groups.map((g) => g.length));
  for (let i = 0; i < longest; i++) for (const group of groups) if (group[i]) out.push(group[i]!);
  return out;
}

/** A FIFO count skips purged messages as it reads them: the mark alone does. */
export async function markFifoPurged(
  ctx: QueueContext,
  queue: QueueRecord,
  now: number,
): Promise<{ record: QueueRecord; cutOff: number }> {
  const counts = await countFifoMessages(ctx, queue, now);
  return { record: { ...queue, purgedAt: now }, cutOff: counts.visible + counts.inFlight + counts.delayed };
}
