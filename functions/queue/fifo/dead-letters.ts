import { performance } from 'node:perf_hooks';
import type { QueueContext } from '../context';
import { deadLetterInfo } from '../dead-letter-info';
import type { QueueRecord } from '../model';
import type { SweepReport } from '../operations/dead-letters';
import type { FifoMessage } from '../ports/fifo-store';
import { exhausted, undeliverable } from '../states';
import { serveGroup } from './group-head';
import { fifoStore } from './groups';
import { transferToGroup } from './transfer';

/**
 * Dead letters of FIFO queues. A FIFO queue's dead-letter queue is a FIFO queue; an exhausted
 * message (at the head of its group, its last lease expired) moves to the end of the same group
 * there, in one transaction, so the group's next message becomes deliverable.
 */

/** Moves one exhausted message; false if it changed meanwhile or there is no FIFO dead-letter queue. */
export async function moveExhaustedFifo(
  ctx: QueueContext,
  source: QueueRecord,
  message: FifoMessage,
  reason: string,
): Promise<boolean> {
  if (source.deadLetterQueue === undefined) return false;
  const target = await ctx.queues.find({ ...source.ref, name: source.deadLetterQueue });
  // A deleted (or since re-created standard) dead-letter queue: the message waits, undelivered.
  if (!target?.fifo) return false;
  const { leaseToken: _, firstReceivedAt: _first, lastReceivedAt: _last, ...kept } = message;
  const outcome = await transferToGroup(ctx, target, message, (sequenceNumber, now) => ({
    ...kept,
    queueId: target.id,
    sequenceNumber,
    visibleAt: now,
    // Counted from the move, as for standard queues (SQS counts from the first send).
    expiresAt: now + target.retentionSeconds * 1000,
    receiveCount: 0,
    deadLetter: deadLetterInfo(source, message, reason, now),
  }));
  if (outcome !== 'moved') return false;
  ctx.stats.count(source.id, 'deadLettered');
  return true;
}

/**
 * The sweeper's pass over a FIFO queue: retention. Each group carries a hint, projected into the
 * ready index, of when its oldest message expires; the sweep reads only the groups whose hint has
 * passed, looks at their head, and takes the lease to tidy only when the head really expired (or
 * was purged, or is exhausted); otherwise it refreshes the hint. So an idle queue costs index
 * reads, not a read per group. Exhausted heads move to the dead-letter queue when a receive
 * reaches them, as in SQS, and here when met.
 */
export async function sweepFifoQueue(
  ctx: QueueContext,
  queue: QueueRecord,
  pageSize: number,
  deadline: number,
  report: SweepReport,
  reason: string,
): Promise<boolean> {
  const store = fifoStore(ctx);
  for (let shard = 0; shard < queue.shardCount; shard++) {
    let cursor: string | undefined;
    do {
      if (performance.now() > deadline) return false;
      const page = await store.findExpiringGroups(queue.id, shard, ctx.clock.now(), pageSize, cursor);
      cursor = page.cursor;
      for (let i = 0; i < page.groupIds.length; i += 16) {
        await Promise.all(
          page.groupIds.slice(i, i + 16).map((groupId) => tidyGroup(ctx, queue, groupId, report, reason)),
        );
      }
    } while (cursor);
  }
  return true;
}

async function tidyGroup(
  ctx: QueueContext,
  queue: QueueRecord,
  groupId: string,
  report: SweepReport,
  reason: string,
): Promise<void> {
  const store = fifoStore(ctx);
  const head = await store.peekGroup(queue.id, groupId);
  if (head && !undeliverable(queue, head, ctx.clock.now()) && !exhausted(queue, head)) {
    await store.setGroupExpiry(queue.id, groupId, head.expiresAt);
    return;
  }
  const served = await serveGroup(ctx, queue, groupId, { wanted: 0, visibilityTimeoutSeconds: 30, reason });
  report.expired += served?.expired ?? 0;
  report.deadLettered += served?.deadLettered ?? 0;
}
