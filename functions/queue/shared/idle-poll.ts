import { performance } from 'node:perf_hooks';
import type { ArrivalTick } from '../arrivals';
import { arrivalTiming, type ScanSummary } from '../arrivals';
import type { QueueContext } from '../context';
import { shareIdleLook } from './idle-marks';

/**
 * Cheap idle receivers, for both kinds of queue. Looking at a queue's shards costs one query per
 * partition; an idle receiver that did so every poll interval made hundreds of queries per 20-s
 * wait. Instead, a receiver reads the queue's arrival tick (one GetItem, store/arrival-ticks.ts)
 * every 0.84 s and looks at the shards only when something may be there (arrivals.ts): the tick
 * moved, the queue is hot after a move, a message was sent in this process, the earliest delayed
 * or leased message it saw may be due by now, or it knows nothing yet.
 *
 * What makes a message visible without a send is covered too: delays and lease expiries by the
 * earliest `v` of the last look (the index is sorted by it), and writes that make messages
 * visible early (visibility changes, dead-lettering, redrive) bump the tick as sends do.
 *
 * Cost while idle: a tick read every 0.84 s (at most 24 in a 20-s wait, 25 calls with the settings
 * read at its start), plus one look at the shards the first time a process waits on a queue, unless
 * another process's look is on the tick (idle-marks.ts). Senders pay one small write a second per process and
 * queue at most, nothing per message under load.
 */
export async function watchedLongPoll<T>(
  ctx: QueueContext,
  queueId: string,
  waitTimeSeconds: number,
  attempt: (scan: ScanSummary) => Promise<T[]>,
  /**
   * What a look covers beyond the shards, when that depends on the queue record (a FIFO queue
   * that schedules also looks at its schedule partition): a look known empty in a narrower scope
   * (an older record) says nothing about this one.
   */
  scope = '',
): Promise<T[]> {
  // Long polling waits in real time (it is bounded by 20 s), while message times use the clock.
  const deadline = performance.now() + waitTimeSeconds * 1000;
  let nextTickRead = Number.NEGATIVE_INFINITY;
  let read: ArrivalTick | undefined;
  for (let first = true; ; first = false) {
    const started = performance.now();
    // The first pass always reads; the last (at the deadline) relies on the read a moment ago.
    if (started >= nextTickRead && (first || started < deadline)) {
      read = await ctx.store.readArrivalTick(queueId);
      const clockNow = ctx.clock.now();
      ctx.arrivals.observeTick(queueId, read, clockNow);
      // Another process's look at the idle queue, if the tick carries one (idle-marks.ts).
      ctx.arrivals.adoptIdleMark(queueId, read, clockNow, scope);
      nextTickRead = started + arrivalTiming.tickIntervalMs;
    }
    const clockNow = ctx.clock.now();
    if (ctx.arrivals.mayHaveVisible(queueId, clockNow, scope)) {
      const scan: ScanSummary = { found: 0, complete: true };
      const received = await attempt(scan);
      if (received.length > 0) return received;
      ctx.arrivals.rememberScan(queueId, read?.value, scan, scope);
      await shareIdleLook(ctx, queueId, read, { startedAt: clockNow, scope, scan });
    }
    const remaining = deadline - performance.now();
    if (remaining <= 0) return [];
    const untilTick = Math.max(1, nextTickRead - performance.now());
    await ctx.arrivals.wait(queueId, Math.min(remaining, ctx.pollIntervalMs, untilTick));
  }
}

/**
 * Messages became visible in a queue (sent, moved in, made visible early; for FIFO queues also a
 * group handed on or a scheduled message joining its group): wake this process's receivers and, at
 * most once every 0.84 s per process and queue, bump the queue's tick for receivers elsewhere;
 * `shard`, when known, is where they look first. Called after the write, so a receiver that sees
 * the bump finds the message in the table (the index may lag: receivers stay hot a while). A
 * failed bump is not the send's failure (the message is stored): the next send of this process
 * bumps again.
 */
export async function announceArrival(ctx: QueueContext, queueId: string, shard?: number): Promise<void> {
  if (ctx.arrivals.takeBumpTurn(queueId)) {
    try {
      await ctx.store.bumpArrivalTick(queueId, ctx.clock.now(), shard);
    } catch {
      ctx.arrivals.bumpFailed(queueId);
    }
  }
  ctx.arrivals.notify(queueId);
}

/** Adds one shard's look to a receive's summary. */
export function noteShardLook(
  scan: ScanSummary,
  look: { messageIds: string[]; nextVisibleAt?: number },
): void {
  scan.found += look.messageIds.length;
  if (
    look.nextVisibleAt !== undefined &&
    !(look.nextVisibleAt >= (scan.nextVisibleAt ?? Number.POSITIVE_INFINITY))
  ) {
    scan.nextVisibleAt = look.nextVisibleAt;
  }
}
