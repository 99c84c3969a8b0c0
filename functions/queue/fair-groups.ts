import type { QueueRecord } from './model';
import type { FairnessStore, InFlightGroups } from './ports/fairness-store';

/**
 * The rules of fair queues (SQS's, July 2025) and this process's state for them. A group (tenant)
 * is noisy when it holds more than 10% of the queue's in-flight messages and at least 30 of them,
 * and it sent within the last 5 minutes; messages without a group are each their own tenant, so
 * never noisy. SQS also counts a tenant noisy for its share of recent processing time: not here
 * (a slow tenant shows up only through its in-flight count, which slowness raises).
 */
export const fairRules = {
  minInFlight: 30,
  inFlightShare: 0.1,
  quietAfterMs: 5 * 60_000,
  /** A sending process records a group's send at most this often (so "5 minutes" means 4 to 5). */
  recordEveryMs: 60_000,
  /** How long this process trusts a noisy set before reading in-flight counts again. */
  refreshMs: 2_000,
  /** In-flight index entries read per shard for the counts (beyond that they are a sample). */
  maxInFlightPerShard: 2_000,
  /** Index entries a receive reads per shard, past noisy groups' ones, looking for quiet messages. */
  maxScannedPerShard: 1_000,
} as const;

/** Noisy groups, each with its in-flight count; plus the queue's in-flight total. */
export interface NoisyGroups {
  noisy: Map<string, number>;
  inFlight: number;
  sampled: boolean;
}

/** Whether the queue had a group send recently enough for any group to be noisy: no read needed. */
export function fairnessActive(queue: QueueRecord, now: number): boolean {
  return (
    !queue.fifo &&
    queue.groupsSentAt !== undefined &&
    now - queue.groupsSentAt < fairRules.quietAfterMs + fairRules.recordEveryMs
  );
}

/** Groups over the in-flight thresholds (at most 9 can hold more than 10% each). */
export function busyGroups(inFlight: InFlightGroups): string[] {
  const busy: string[] = [];
  for (const [group, count] of inFlight.byGroup) {
    if (count >= fairRules.minInFlight && count > inFlight.total * fairRules.inFlightShare) busy.push(group);
  }
  return busy;
}

/** Of the busy groups, those that sent within the last 5 minutes. */
export function noisyOf(inFlight: InFlightGroups, lastSends: Map<string, number>, now: number): NoisyGroups {
  const noisy = new Map<string, number>();
  for (const group of busyGroups(inFlight)) {
    const sent = lastSends.get(group);
    if (sent !== undefined && now - sent < fairRules.quietAfterMs)
      noisy.set(group, inFlight.byGroup.get(group)!);
  }
  return { noisy, inFlight: inFlight.total, sampled: inFlight.sampled };
}

/**
 * Per process: when this process last recorded each group's send (so a busy sender writes once a
 * minute per group, not once per message), and each queue's noisy set for a couple of seconds.
 */
export class FairGroups {
  private readonly recorded = new Map<string, number>();
  private readonly sets = new Map<string, { at: number; set: Promise<NoisyGroups> }>();
  private readonly noQuiet = new Map<string, number>();

  constructor(readonly store: FairnessStore) {}

  /** Which of these groups (and whether the queue mark) are due for a record at `now`; marks them. */
  due(queue: QueueRecord, groups: string[], now: number): { groups: string[]; markQueue: boolean } {
    if (this.recorded.size > 10_000) this.recorded.clear();
    const isDue = (key: string) => {
      const last = this.recorded.get(key);
      if (last !== undefined && now - last < fairRules.recordEveryMs && now >= last) return false;
      this.recorded.set(key, now);
      return true;
    };
    const dueGroups = [...new Set(groups)].filter((group) => isDue(`${queue.id}\n${group}`));
    const stale = queue.groupsSentAt === undefined || now - queue.groupsSentAt >= fairRules.recordEveryMs;
    return { groups: dueGroups, markQueue: stale && isDue(queue.id) };
  }

  /** Forgets marks whose write failed, so the next send tries again. */
  undo(queue: QueueRecord, groups: string[], markQueue: boolean): void {
    for (const group of groups) this.recorded.delete(`${queue.id}\n${group}`);
    if (markQueue) this.recorded.delete(queue.id);
  }

  /**
   * Whether a receive here found no quiet message within refreshMs: then receives skip the quiet
   * pass (which reads up to maxScannedPerShard noisy entries per shard) until the noisy set is read
   * again, so a quiet message sent meanwhile waits at most that long.
   */
  quietRecentlyEmpty(queueId: string, now: number): boolean {
    const at = this.noQuiet.get(queueId);
    return at !== undefined && now - at < fairRules.refreshMs && now >= at;
  }

  noteQuiet(queueId: string, found: boolean, now: number): void {
    if (found) this.noQuiet.delete(queueId);
    else this.noQuiet.set(queueId, now);
  }

  /**
   * The queue's noisy groups, read again when older than refreshMs (or when `fresh`), from its
   * ready-index partitions (every priority's, from shared/priority.ts readyShards).
   */
  noisyGroups(queue: QueueRecord, partitions: number[], now: number, fresh = false): Promise<NoisyGroups> {
    const cached = this.sets.get(queue.id);
    if (!fresh && cached && now - cached.at < fairRules.refreshMs && now >= cached.at) return cached.set;
    const set = this.read(queue, partitions, now);
    this.sets.set(queue.id, { at: now, set });
    set.catch(() => this.sets.delete(queue.id));
    return set;
  }

  private async read(queue: QueueRecord, partitions: number[], now: number): Promise<NoisyGroups> {
    const inFlight = await this.store.inFlightByGroup(
      queue.id,
      partitions,
      now,
      fairRules.maxInFlightPerShard,
    );
    const busy = busyGroups(inFlight);
    const lastSends = await this.store.lastGroupSends(queue.id, busy);
    return noisyOf(inFlight, lastSends, now);
  }
}
