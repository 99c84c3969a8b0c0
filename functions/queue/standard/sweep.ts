import { performance } from 'node:perf_hooks';
import type { QueueContext } from '../context';
import type { QueueRecord } from '../model';
import { reasons } from '../shared/dead-letter-reasons';
import { readyShards } from '../shared/priority';
import type { SweepBudget, SweepReport } from '../shared/queue-kind';
import { moveExhausted } from './dead-letters';

/**
 * The sweeper's pass over a standard queue, shard by shard, page by page: removes messages past
 * retention and moves exhausted ones whose lease expired to the dead-letter queue. First it
 * removes, a budget at a time, the messages a purge cut off.
 */
export async function sweep(
  ctx: QueueContext,
  queue: QueueRecord,
  { pageSize, deadline }: SweepBudget,
  report: SweepReport,
): Promise<boolean> {
  // A purge's messages go first (see operations/queues.ts purgeQueue): they must not be
  // dead-lettered meanwhile.
  if (queue.purgePending !== undefined) {
    const budget = deadline - performance.now();
    if (budget <= 0) return false;
    const { removed, done } = await ctx.store.removePurgedMessages(queue, budget);
    report.purged += removed;
    if (!done) return false;
  }
  const limit = queue.deadLetterQueue === undefined ? undefined : queue.maxReceiveCount;
  for (const shard of readyShards(queue)) {
    for (;;) {
      if (performance.now() > deadline) return false;
      const now = ctx.clock.now();
      const found = await ctx.deadLetters.findSweepable(queue.id, shard, now, limit, pageSize);
      const before = report.expired + report.deadLettered;
      // Moves are independent transactions: run a few at once.
      for (let i = 0; i < found.length; i += 16) {
        await Promise.all(
          found.slice(i, i + 16).map(async ({ messageId, expired }) => {
            if (expired) {
              await ctx.store.removeUndeliverable(queue.id, messageId, now);
              report.expired++;
            } else if (await moveExhausted(ctx, queue, messageId, reasons.sweep)) {
              report.deadLettered++;
            }
          }),
        );
      }
      // Done with the shard, or some messages could not move now (taken by a receiver, or no
      // dead-letter queue): they are tried again next sweep rather than read over and over.
      if (found.length < pageSize || report.expired + report.deadLettered - before < found.length) break;
    }
  }
  return true;
}
