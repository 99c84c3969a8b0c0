import type { TopicsContext } from './context';
import { fanOut } from './fan-out';

/**
 * Finishes fan-outs a publish left unfinished (its function died after writing the outbox entry,
 * or a delivery failed and is worth retrying): entries older than the grace period are claimed
 * one at a time (a conditional write, so two sweepers never deliver the same entry at once),
 * delivered, and removed or narrowed to what is still owed.
 */
export interface OutboxSweepReport {
  entries: number;
  delivered: number;
  dropped: number;
  stillPending: number;
  complete: boolean;
}

export async function sweepOutbox(
  ctx: TopicsContext,
  options: { budgetMs: number },
): Promise<OutboxSweepReport> {
  const started = Date.now();
  const report: OutboxSweepReport = { entries: 0, delivered: 0, dropped: 0, stillPending: 0, complete: true };
  const now = ctx.clock.now();
  const entries = await ctx.store.listStaleOutbox(now - ctx.outboxGraceMs, 100);
  for (const entry of entries) {
    if (Date.now() - started > options.budgetMs) {
      report.complete = false;
      break;
    }
    // Held for one grace period: a sweeper that dies while holding it leaves it to the next one.
    if (!(await ctx.store.claimOutbox(entry.key, now, now + ctx.outboxGraceMs))) continue;
    report.entries++;
    const result = await fanOut(ctx, entry.message, entry.targets);
    report.delivered += result.delivered;
    report.dropped += result.dropped;
    report.stillPending += result.remaining.length;
    if (result.remaining.length === 0) await ctx.store.removeOutbox(entry.key);
    else await ctx.store.updateOutbox(entry.key, result.remaining);
  }
  if (entries.length === 100) report.complete = false;
  await ctx.stats.flushIfDue();
  return report;
}
