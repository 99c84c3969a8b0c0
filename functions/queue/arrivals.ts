import { performance } from 'node:perf_hooks';

/**
 * What this process knows about arrivals, per queue (shared/idle-poll.ts does the calls):
 *
 * - it wakes long-polling receivers here as soon as a message is sent here;
 * - it paces this process's bumps of a queue's arrival tick (at most one a `tickIntervalMs`);
 * - it remembers, per queue, that a receive here found no visible message in any shard as of a
 *   tick value, and when the first hidden one (delayed, or leased) becomes visible: until the
 *   tick moves or that time comes, another look at the shards would find nothing.
 *
 * Why a tick moved but the shards looked empty is covered by a "hot" window: a send whose bump
 * was skipped (paced) happened within `tickIntervalMs` after a bump, and the index may lag the
 * table, so after seeing a move receivers keep looking for `hotMs`.
 */
export interface ScanSummary {
  /** Entries a receive found visible (leased or not); 0 means every shard looked empty. */
  found: number;
  /** When the earliest hidden entry becomes visible, of the shards looked at. */
  nextVisibleAt?: number;
  /** False when the receive did not look at every shard the normal way (fair queues). */
  complete: boolean;
}

export interface ArrivalTick {
  /** Undefined while the queue was never bumped (the item then only holds an idle mark). */
  value: string | undefined;
  /** When it was last bumped (the bumper's clock, ms; 0 when never). */
  at: number;
  /** The shard of the last bump's message, when the bumper knew it. */
  shard?: number;
  /** A look at the whole queue that found nothing, shared with other processes (shared/idle-marks.ts). */
  idle?: IdleMark;
}

/** "At tick `tick`, a look at every shard (and at `scope`) found nothing visible." */
export interface IdleMark {
  /** The tick value the look followed ('' for a queue never bumped). */
  tick: string;
  scope: string;
  /** When the look started (the looker's clock, ms). */
  since: number;
  /** When the earliest hidden entry it saw becomes visible; absent when it saw none. */
  nextVisibleAt?: number;
}

interface KnownEmpty {
  tick: string | undefined;
  /** What the look covered (the receive's scope): a wider receive now looks again. */
  scope: string;
  nextVisibleAt: number;
  since: number;
}

export const arrivalTiming = {
  /** How often a sending process bumps a tick, and how often a waiting receiver reads it: under a
   * second, so that a message sent elsewhere is found within one (p95), and at most 24 reads in 20 s,
   * so that with the read of the queue's settings at its start (their cache keeps them 2 s) a 20-s
   * long poll costs at most 25 calls. */
  tickIntervalMs: 840,
  /** How long receivers keep looking after a tick moved: the pacing plus the index's lag. */
  hotMs: 3_000,
  /** A safety net: even with nothing seen moving, the shards are looked at again this often. */
  maxKnownEmptyMs: 5 * 60_000,
} as const;

export class Arrivals {
  private readonly waiters = new Map<string, Set<() => void>>();
  private readonly bumpedAt = new Map<string, number>();
  private readonly seenTicks = new Map<string, string | undefined>();
  private readonly hotUntil = new Map<string, number>();
  private readonly knownEmpty = new Map<string, KnownEmpty>();
  private readonly startShards = new Map<string, number>();

  /** A message became visible here: wake this process's receivers, which look again. */
  notify(queueId: string): void {
    this.knownEmpty.delete(queueId);
    this.hotUntil.set(queueId, performance.now() + arrivalTiming.hotMs);
    const waiting = this.waiters.get(queueId);
    if (!waiting) return;
    this.waiters.delete(queueId);
    for (const wake of waiting) wake();
  }

  /** Whether receivers here look at the queue whatever they know (after a move or a send here). */
  isHot(queueId: string): boolean {
    return (this.hotUntil.get(queueId) ?? 0) > performance.now();
  }

  /** Whether this process should bump the queue's tick now (and then counts it as bumped). */
  takeBumpTurn(queueId: string): boolean {
    const now = performance.now();
    const last = this.bumpedAt.get(queueId);
    if (last !== undefined && now - last < arrivalTiming.tickIntervalMs) return false;
    this.bumpedAt.set(queueId, now);
    return true;
  }

  /** A bump failed: the next send bumps again instead of waiting out the interval. */
  bumpFailed(queueId: string): void {
    this.bumpedAt.delete(queueId);
  }

  /** A receiver read the tick; a move (or a recent bump, on first sight) makes the queue hot. */
  observeTick(queueId: string, tick: ArrivalTick | undefined, clockNow: number): void {
    const now = performance.now();
    const value = tick?.value;
    if (this.seenTicks.has(queueId)) {
      if (this.seenTicks.get(queueId) !== value) {
        this.heat(queueId, now + arrivalTiming.hotMs);
        if (tick?.shard !== undefined) this.startShards.set(queueId, tick.shard);
      }
    } else if (tick) {
      // First sight in this process: only the bump's age says whether paced sends may follow.
      const left = Math.min(arrivalTiming.hotMs, tick.at + arrivalTiming.hotMs - clockNow);
      if (left > 0) this.heat(queueId, now + left);
    }
    this.seenTicks.set(queueId, value);
  }

  /**
   * Where the next look at the queue should start, once: the shard of the message that moved the
   * tick, so that a receiver woken by it finds it with its first query. (Sends in this process
   * wake its receivers at once: they need no hint to be quick.)
   */
  takeStartShard(queueId: string): number | undefined {
    const shard = this.startShards.get(queueId);
    this.startShards.delete(queueId);
    return shard;
  }

  /**
   * Takes another process's look at the queue (an idle mark on the tick) as this process's own,
   * when it is for the tick value just read and the same scope and this process knows nothing
   * better: what spares a process's first look at an idle queue (shared/idle-marks.ts).
   */
  adoptIdleMark(queueId: string, tick: ArrivalTick | undefined, clockNow: number, scope: string): void {
    const mark = tick?.idle;
    if (!mark || mark.tick !== (tick.value ?? '') || mark.scope !== scope) return;
    const nextVisibleAt = mark.nextVisibleAt ?? Number.POSITIVE_INFINITY;
    const age = Math.max(0, clockNow - mark.since);
    if (age >= arrivalTiming.maxKnownEmptyMs || clockNow >= nextVisibleAt) return;
    const known = this.knownEmpty.get(queueId);
    if (known && known.tick === tick.value && known.scope === scope) return;
    this.knownEmpty.set(queueId, { tick: tick.value, scope, nextVisibleAt, since: performance.now() - age });
  }

  /** False only when a look at the shards (as wide as `scope` says) is known to find nothing. */
  mayHaveVisible(queueId: string, clockNow: number, scope = ''): boolean {
    if ((this.hotUntil.get(queueId) ?? 0) > performance.now()) return true;
    const known = this.knownEmpty.get(queueId);
    return (
      known === undefined ||
      known.scope !== scope ||
      known.tick !== this.seenTicks.get(queueId) ||
      clockNow >= known.nextVisibleAt ||
      performance.now() - known.since > arrivalTiming.maxKnownEmptyMs
    );
  }

  /** Remembers a look at the shards that found nothing (or forgets, when it found something). */
  rememberScan(queueId: string, tick: string | undefined, scan: ScanSummary, scope = ''): void {
    if (scan.found > 0 || !scan.complete) {
      this.knownEmpty.delete(queueId);
      return;
    }
    this.knownEmpty.set(queueId, {
      tick,
      scope,
      nextVisibleAt: scan.nextVisibleAt ?? Number.POSITIVE_INFINITY,
      since: performance.now(),
    });
  }

  /** Resolves when a message arrives for the queue or after `ms`, whichever is first. */
  wait(queueId: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      let waiting = this.waiters.get(queueId);
      if (!waiting) {
        waiting = new Set();
        this.waiters.set(queueId, waiting);
      }
      const wake = () => {
        clearTimeout(timer);
        waiting.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      waiting.add(wake);
    });
  }

  private heat(queueId: string, until: number): void {
    if (until > (this.hotUntil.get(queueId) ?? 0)) this.hotUntil.set(queueId, until);
  }
}
