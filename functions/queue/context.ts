import type { Arrivals } from './arrivals';
import type { CandidateCache } from './candidates';
import type { Clock } from './clock';
import { QueueError } from './errors';
import type { FairGroups } from './fair-groups';
import type { QueueRecord, QueueRef } from './model';
import type { DeadLetterStore } from './ports/dead-letter-store';
import type { FifoStore } from './ports/fifo-store';
import type { InspectionStore } from './ports/inspection-store';
import type { QueueStore } from './ports/queue-store';
import type { ReceiptHandleCodec } from './receipt-handle';
import type { SequenceGuesses } from './sequence-guesses';
import type { ShardCursor } from './shard-cursor';
import type { StatsRecorder } from './stats/recorder';

/** What every operation needs: storage, time, the handle codec and a few settings. */
export interface QueueContext {
  store: QueueStore;
  deadLetters: DeadLetterStore;
  clock: Clock;
  receiptHandles: ReceiptHandleCodec;
  /** Per process: wakes this process's long polls when it sends. */
  arrivals: Arrivals;
  /** Per process: candidates earlier standard receives read but did not lease. */
  candidates: CandidateCache;
  /** Per process: where the next receive starts among a queue's shards. */
  shardCursor: ShardCursor;
  /** Per process: the last sequence number seen per FIFO group (saves a read before a send). */
  sequenceGuesses: SequenceGuesses;
  queues: QueueCache;
  /** Storage of FIFO queues; without it, FIFO queues are refused. */
  fifo?: FifoStore;
  /** Per-minute statistics of this process, flushed to storage now and then. */
  stats: StatsRecorder;
  /** Fair queues (group ids on standard queues); without it, group ids are kept and change no order. */
  fairness?: FairGroups;
  /** Peeking at messages; without it, peeking is refused. */
  inspection?: InspectionStore;
  /** Shards of the ready index for new queues. */
  defaultShardCount: number;
  /** How often a long poll asks the store again when nothing arrives in this process. */
  pollIntervalMs: number;
}

/**
 * Queue settings are read on every send and receive; caching them for a short time saves a
 * read per call. Changes made in this process are seen at once; changes made elsewhere within
 * `ttlMs` (SQS itself documents up to 60 s for attribute changes to propagate).
 */
export class QueueCache {
  private readonly entries = new Map<string, { record: QueueRecord | undefined; readAt: number }>();

  constructor(
    private readonly store: QueueStore,
    private readonly clock: Clock,
    private readonly ttlMs: number,
  ) {}

  async find(ref: QueueRef): Promise<QueueRecord | undefined> {
    const key = cacheKey(ref);
    const cached = this.entries.get(key);
    const now = this.clock.now();
    if (cached && now - cached.readAt < this.ttlMs && now >= cached.readAt) return cached.record;
    const record = await this.store.getQueue(ref);
    this.entries.set(key, { record, readAt: now });
    return record;
  }

  async require(ref: QueueRef): Promise<QueueRecord> {
    const record = await this.find(ref);
    if (!record) throw queueDoesNotExist(ref);
    return record;
  }

  remember(ref: QueueRef, record: QueueRecord | undefined): void {
    this.entries.set(cacheKey(ref), { record, readAt: this.clock.now() });
  }

  forget(ref: QueueRef): void {
    this.entries.delete(cacheKey(ref));
  }
}

const cacheKey = (ref: QueueRef) => `${ref.account}/${ref.region}/${ref.name}`;

export function queueDoesNotExist(ref: QueueRef): QueueError {
  return new QueueError('QueueDoesNotExist', `The queue ${ref.name} does not exist`, {
    field: 'queue',
    given: ref.name,
  });
}
