import type { Clock } from '../clock';
import {
  type CounterName,
  type DepthSample,
  type MinuteCounts,
  minuteOf,
  type StatsStore,
  type StoredMinute,
  statsRetentionMs,
} from '../ports/stats-store';

/** A structured warning (codes, ids and counts only: never bodies or handles). */
export type Warn = (event: Record<string, unknown>) => void;

export const consoleWarn: Warn = (event) => console.warn(JSON.stringify({ level: 'WARN', ...event }));

/**
 * Per-process counters of what happened to each queue, per minute, written out cheaply: one
 * UpdateItem ADD per queue and minute every `flushIntervalMs` (and when a minute ends), by the
 * request that finds a flush due, instead of a write per message. A failed write keeps its counts
 * for the next flush; counting never fails the request that counts. Counts still in memory when
 * a process ends unannounced (a Lambda container reclaimed while idle) are lost: the statistics
 * are approximate, as the counts in GET /queues/{name} are.
 */
export class StatsRecorder {
  private pending = new Map<string, { queueId: string; minute: number; counts: Partial<MinuteCounts> }>();
  private lastAttemptAt: number;
  private lastAttemptFailed = false;
  private flushing: Promise<void> | undefined;
  private readonly sampled = new Map<string, number>();

  constructor(
    private readonly store: StatsStore | undefined,
    private readonly clock: Clock,
    private readonly options: { flushIntervalMs?: number; warn?: Warn } = {},
  ) {
    this.lastAttemptAt = clock.now();
  }

  private get interval() {
    return this.options.flushIntervalMs ?? 10_000;
  }

  /** Counts `n` events for a queue in the current minute (in memory only). */
  count(queueId: string, counter: CounterName, n = 1): void {
    if (!this.store || n <= 0) return;
    const minute = minuteOf(this.clock.now());
    const key = `${queueId}\n${minute}`;
    let bucket = this.pending.get(key);
    if (!bucket) {
      bucket = { queueId, minute, counts: {} };
      this.pending.set(key, bucket);
    }
    bucket.counts[counter] = (bucket.counts[counter] ?? 0) + n;
  }

  /** Counts, then flushes if a flush is due. Never throws. */
  async record(queueId: string, counter: CounterName, n = 1): Promise<void> {
    this.count(queueId, counter, n);
    await this.flushIfDue();
  }

  /** Counts not yet written, for tests and diagnostics. */
  pendingCounts(): { queueId: string; minute: number; counts: Partial<MinuteCounts> }[] {
    return [...this.pending.values()].map((b) => ({ ...b, counts: { ...b.counts } }));
  }

  /**
   * A flush is due every interval, and at once when a minute has ended (so a minute's counts
   * are complete soon after it); after a failure, only after the interval (no retry storm).
   */
  isFlushDue(): boolean {
    if (this.pending.size === 0) return false;
    const now = this.clock.now();
    if (now - this.lastAttemptAt >= this.interval || now < this.lastAttemptAt) return true;
    if (this.lastAttemptFailed) return false;
    const current = minuteOf(now);
    for (const bucket of this.pending.values()) if (bucket.minute < current) return true;
    return false;
  }

  async flushIfDue(): Promise<void> {
    if (this.isFlushDue()) await this.flush();
  }

  /** Writes every pending count now (one write per queue and minute). Never throws. */
  flush(): Promise<void> {
    // One flush at a time: a request arriving meanwhile waits for it rather than writing twice.
    this.flushing ??= this.writePending().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  private async writePending(): Promise<void> {
    const store = this.store;
    if (!store || this.pending.size === 0) return;
    const now = this.clock.now();
    this.lastAttemptAt = now;
    const buckets = [...this.pending.values()];
    this.pending = new Map();
    const results = await Promise.allSettled(
      buckets.map((b) => store.addCounts(b.queueId, b.minute, b.counts, b.minute + statsRetentionMs)),
    );
    const failed = buckets.filter((_, i) => results[i]!.status === 'rejected');
    this.lastAttemptFailed = failed.length > 0;
    if (failed.length === 0) return;
    // Kept for the next flush, merged with what was counted meanwhile, unless older than the
    // statistics are kept (they would expire on arrival).
    let dropped = 0;
    for (const bucket of failed) {
      if (bucket.minute + statsRetentionMs <= now) {
        dropped++;
        continue;
      }
      for (const [counter, n] of Object.entries(bucket.counts) as [CounterName, number][]) {
        const key = `${bucket.queueId}\n${bucket.minute}`;
        const into = this.pending.get(key) ?? { queueId: bucket.queueId, minute: bucket.minute, counts: {} };
        into.counts[counter] = (into.counts[counter] ?? 0) + n;
        this.pending.set(key, into);
      }
    }
    const reason = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')?.reason;
    this.warn({
      message: 'queue statistics not written; kept for the next flush',
      failedWrites: failed.length,
      droppedMinutes: dropped,
      error: errorCode(reason),
    });
  }

  /**
   * True once per queue and minute in this process: the sweeper's depth sample. Other processes
   * may sample the same minute too; the sample is set, not added, so the item stays one per minute.
   */
  claimDepthSample(queueId: string): number | undefined {
    if (!this.store) return undefined;
    const minute = minuteOf(this.clock.now());
    if (this.sampled.get(queueId) === minute) return undefined;
    this.sampled.set(queueId, minute);
    return minute;
  }

  /** Writes a depth sample; never throws (a missed sample is a gap in a chart, not an error). */
  async writeDepth(queueId: string, minute: number, depth: DepthSample): Promise<void> {
    try {
      await this.store?.setDepth(queueId, minute, depth, minute + statsRetentionMs);
    } catch (error) {
      this.forgetDepthSample(queueId);
      this.warn({ message: 'queue depth sample not written', queueId, error: errorCode(error) });
    }
  }

  /** Lets the next sweep in this minute try the sample again. */
  forgetDepthSample(queueId: string): void {
    this.sampled.delete(queueId);
  }

  warn(event: Record<string, unknown>): void {
    (this.options.warn ?? consoleWarn)(event);
  }

  /** Reads a queue's recorded minutes back (none when this runtime keeps no statistics). */
  async readMinutes(queueId: string, from: number, to: number): Promise<StoredMinute[]> {
    return this.store ? this.store.readMinutes(queueId, from, to) : [];
  }
}

/** What kind of failure it was, never its text (which could quote a request). */
export function errorCode(error: unknown): string | undefined {
  const e = error as { code?: unknown; name?: unknown } | undefined;
  if (typeof e?.code === 'string') return e.code;
  return typeof e?.name === 'string' ? e.name : undefined;
}
