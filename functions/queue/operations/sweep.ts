import { performance } from 'node:perf_hooks';
import { sweepArchive } from '../archive/sweep';
import type { QueueContext } from '../context';
import { kindOf } from '../kinds';
import type { QueueRecord } from '../model';
import type { SweepReport } from '../shared/queue-kind';
import { errorCode } from '../stats/recorder';

export type { SweepReport };

/**
 * One sweep over every queue: moves exhausted messages whose lease expired to their dead-letter
 * queue and removes messages past retention (DynamoDB TTL is late, and DynamoDB Local never
 * applies it); each queue's kind does the pass (standard/sweep.ts, fifo/sweep.ts). Bounded by
 * `budgetMs`; it resumes from a saved cursor. On the way it samples each queue's depth.
 */
export async function sweep(
  ctx: QueueContext,
  options: { budgetMs?: number; pageSize?: number } = {},
): Promise<SweepReport> {
  const deadline = performance.now() + (options.budgetMs ?? 50_000);
  const budget = { pageSize: options.pageSize ?? 100, deadline };
  const report: SweepReport = { queues: 0, deadLettered: 0, expired: 0, purged: 0, complete: false };
  let after = await ctx.deadLetters.getSweepCursor();
  for (;;) {
    const page = await ctx.deadLetters.listAllQueues(after, 50);
    for (const { queue, cursor } of page.queues) {
      // A queue cut short is swept again from its start next time: resume before it.
      if (performance.now() > deadline || !(await kindOf(queue).sweep(ctx, queue, budget, report))) {
        await ctx.deadLetters.setSweepCursor(after);
        await ctx.stats.flush();
        return report;
      }
      report.queues++;
      if (performance.now() < deadline) await sampleDepth(ctx, queue);
      if (performance.now() < deadline) await sweepArchive(ctx, queue);
      after = cursor;
    }
    if (!page.next) break;
    after = page.next;
  }
  await ctx.deadLetters.setSweepCursor(undefined);
  report.complete = true;
  await ctx.stats.flush();
  return report;
}

/**
 * The sweeper's depth sample of one queue, at most once a minute per process: its counts (two
 * ready-index queries per shard for a standard queue) and one write. Never throws: a missed
 * sample is a gap in a chart.
 */
export async function sampleDepth(ctx: QueueContext, queue: QueueRecord): Promise<boolean> {
  const minute = ctx.stats.claimDepthSample(queue.id);
  if (minute === undefined) return false;
  try {
    const { visible, inFlight, delayed } = await kindOf(queue).countMessages(ctx, queue);
    await ctx.stats.writeDepth(queue.id, minute, { visible, inFlight, delayed });
    return true;
  } catch (error) {
    ctx.stats.forgetDepthSample(queue.id);
    ctx.stats.warn({ message: 'queue depth not measured', queueId: queue.id, error: errorCode(error) });
    return false;
  }
}
