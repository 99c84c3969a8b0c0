import { performance } from 'node:perf_hooks';
import type { QueueContext } from '../context';
import type { QueueRecord } from '../model';
import { reasons } from '../shared/dead-letter-reasons';
import type { SweepBudget, SweepReport } from '../shared/queue-kind';
import { exhausted, undeliverable } from '../states';
import { serveGroup } from './group-head';
import { fifoStore } from './groups';
import { promoteDue } from './schedule';

/**
 * The sweeper's pass over a FIFO queue: retention. Each group carries a hint, projected into the
 * ready index, of when its oldest message expires; the sweep reads only the groups whose hint has
 * passed, looks at their head, and takes the lease to tidy only when the head really expired (or
 * was purged, or is exhausted); otherwise it refreshes the hint. So an idle queue costs index
 * reads, not a read per group. Exhausted heads move to the dead-letter queue when a receive
 * reaches them, as in SQS, and here when met.
 */
export async function sweep(
  ctx: QueueContext,
  queue: QueueRecord,
  { pageSize, deadline }: SweepBudget,
  report: SweepReport,
): Promise<boolean> {
  const store = fifoStore(ctx);
  // Due scheduled messages join their groups (a queue nobody receives from still moves them on).
  // Unguarded by the queue's `scheduling` mark: one index query per pass, and a mark lost to a
  // concurrent settings change cannot strand them.
  for (;;) {
    if (performance.now() > deadline) return false;
    const { found } = await promoteDue(ctx, queue, pageSize);
    if (found < pageSize) break;
  }
  for (let shard = 0; shard < queue.shardCount; shard++) {
    let cursor: string | undefined;
    do {
      if (performance.now() > deadline) return false;
      const page = await store.findExpiringGroups(queue.id, shard, ctx.clock.now(), pageSize, cursor);
      cursor = page.cursor;
      for (let i = 0; i < page.groupIds.length; i += 16) {
        await Promise.all(
          page.groupIds.slice(i, i + 16).map((groupId) => tidyGroup(ctx, queue, groupId, report)),
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
): Promise<void> {
  const store = fifoStore(ctx);
  const head = await store.peekGroup(queue.id, groupId);
  if (head && !undeliverable(queue, head, ctx.clock.now()) && !exhausted(queue, head)) {
    await store.setGroupExpiry(queue.id, groupId, head.expiresAt);
    return;
  }
  const served = await serveGroup(ctx, queue, groupId, {
    wanted: 0,
    visibilityTimeoutSeconds: 30,
    reason: reasons.sweep,
  });
  report.expired += served?.expired ?? 0;
  report.deadLettered += served?.deadLettered ?? 0;
}
