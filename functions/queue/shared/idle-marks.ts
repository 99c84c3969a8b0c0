import { type ArrivalTick, arrivalTiming, type ScanSummary } from '../arrivals';
import type { QueueContext } from '../context';

/**
 * Idle marks: a process's first look at a queue, shared. A process that knows nothing of a queue
 * must look at every shard once (one query each) to learn that nothing is visible and when the
 * next hidden entry is due. When such a look finds the queue empty, the receiver writes what it
 * learnt onto the queue's tick item ("at tick n, nothing visible; next due at t"), and the next
 * process that reads the tick (it reads it anyway) takes that as its own first look.
 *
 * Why a mark can be trusted: it names the tick value read before the look, and it is written on
 * condition that the tick still has that value, so a bump that lands before the write fails it and
 * one that lands after it makes the mark stale (readers compare values). Writes that bump nothing
 * are a paced sender's (at most 0.84 s after its own bump) or happen while the index lags the
 * table: the look must start `hotMs` after the last bump, or it does not write a mark. A mark
 * counts for 5 minutes from its look, like a process's own (arrivals.ts maxKnownEmptyMs), and for
 * a look of the same scope only (a FIFO queue that schedules also looks at its schedule).
 *
 * Cost: one conditional write (1 write unit) when a look finds the queue empty and the tick holds
 * no mark like it, so an idle queue gets one every 5 minutes at most, whoever receives from it.
 */
export async function shareIdleLook(
  ctx: QueueContext,
  queueId: string,
  read: ArrivalTick | undefined,
  look: { startedAt: number; scope: string; scan: ScanSummary },
): Promise<void> {
  const { scan, scope, startedAt } = look;
  if (scan.found > 0 || !scan.complete) return;
  // Sends that bumped nothing, or that the index did not show yet, may have been missed.
  if (startedAt < (read?.at ?? 0) + arrivalTiming.hotMs || ctx.arrivals.isHot(queueId)) return;
  const tick = read?.value ?? '';
  const known = read?.idle;
  if (
    known?.tick === tick &&
    known.scope === scope &&
    known.nextVisibleAt === scan.nextVisibleAt &&
    startedAt - known.since < arrivalTiming.maxKnownEmptyMs / 2
  ) {
    return; // the tick already says so
  }
  try {
    await ctx.store.markQueueIdle(queueId, {
      tick,
      scope,
      since: startedAt,
      ...(scan.nextVisibleAt === undefined ? {} : { nextVisibleAt: scan.nextVisibleAt }),
    });
  } catch {
    // Only a saving is lost: other processes look for themselves.
  }
}
