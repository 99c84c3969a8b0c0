import { performance } from 'node:perf_hooks';

/**
 * Candidates a receive read from the ready index but did not need. A receive reads a wider window
 * than it leases (so concurrent receivers rarely race); keeping the rest for a moment lets the next
 * receives in this process lease them without a query of their own. That saves a read per
 * receive under steady load (the query is the one call a lifecycle makes beyond the three writes).
 *
 * Safe because nothing here decides anything: the conditional lease write still decides every
 * race, so a stale candidate (leased elsewhere meanwhile) costs one failed write and nothing more.
 * Fairness is kept because leftovers come from the index in visibility order (oldest first), and
 * they are dropped after `maxAgeMs`, so a process never lives on old news. Each candidate is
 * handed to one receive only.
 */
export class CandidateCache {
  private readonly entries = new Map<string, { ids: string[]; at: number }>();

  constructor(
    private readonly maxAgeMs = 1_000,
    private readonly maxPerQueue = 100,
  ) {}

  /** Up to `count` candidates of the queue, removed from the cache. */
  take(queueId: string, count: number): string[] {
    const entry = this.entries.get(queueId);
    if (!entry) return [];
    if (performance.now() - entry.at > this.maxAgeMs) {
      this.entries.delete(queueId);
      return [];
    }
    const taken = entry.ids.splice(0, count);
    if (entry.ids.length === 0) this.entries.delete(queueId);
    return taken;
  }

  /** Keeps what a receive read but did not use; newer leftovers replace older ones. */
  keep(queueId: string, ids: string[]): void {
    if (ids.length === 0) return;
    this.entries.set(queueId, { ids: ids.slice(0, this.maxPerQueue), at: performance.now() });
  }

  /** Forgets a queue's candidates (after a purge, or when they proved stale). */
  forget(queueId: string): void {
    this.entries.delete(queueId);
  }
}
