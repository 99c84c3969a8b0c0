import { Arrivals } from './arrivals';
import { CandidateCache } from './candidates';
import { type Clock, systemClock } from './clock';
import { QueueCache, type QueueContext } from './context';
import { FairGroups } from './fair-groups';
import { limits } from './limits';
import type { DeadLetterStore } from './ports/dead-letter-store';
import type { FairnessStore } from './ports/fairness-store';
import type { FifoStore } from './ports/fifo-store';
import type { InspectionStore } from './ports/inspection-store';
import type { QueueStore } from './ports/queue-store';
import type { StatsStore } from './ports/stats-store';
import { ReceiptHandleCodec } from './receipt-handle';
import { SequenceGuesses } from './sequence-guesses';
import { ShardCursor } from './shard-cursor';
import { StatsRecorder, type Warn } from './stats/recorder';

export interface QueueContextOptions {
  store: QueueStore;
  deadLetters: DeadLetterStore;
  fifo?: FifoStore;
  /** Where per-minute statistics go; without it nothing is counted. */
  stats?: StatsStore;
  inspection?: InspectionStore;
  /** Storage of fair queues' group records; without it, group ids change no order. */
  fairness?: FairnessStore;
  /** How often counted statistics are written (default 10 s). */
  statsFlushIntervalMs?: number;
  /** Where warnings go (default: a JSON line on stderr). */
  warn?: Warn;
  receiptHandleSecret: string;
  clock?: Clock;
  /** How long queue settings are cached; 0 reads them on every call. */
  queueCacheMs?: number;
  defaultShardCount?: number;
  pollIntervalMs?: number;
}

/** Assembles the context every queue operation takes. */
export function createQueueContext(options: QueueContextOptions): QueueContext {
  const clock = options.clock ?? systemClock;
  return {
    store: options.store,
    deadLetters: options.deadLetters,
    clock,
    receiptHandles: new ReceiptHandleCodec(options.receiptHandleSecret),
    arrivals: new Arrivals(),
    candidates: new CandidateCache(),
    shardCursor: new ShardCursor(),
    sequenceGuesses: new SequenceGuesses(),
    queues: new QueueCache(options.store, clock, options.queueCacheMs ?? 2_000),
    ...(options.fifo ? { fifo: options.fifo } : {}),
    stats: new StatsRecorder(options.stats, clock, {
      ...(options.statsFlushIntervalMs === undefined
        ? {}
        : { flushIntervalMs: options.statsFlushIntervalMs }),
      ...(options.warn ? { warn: options.warn } : {}),
    }),
    ...(options.inspection ? { inspection: options.inspection } : {}),
    ...(options.fairness ? { fairness: new FairGroups(options.fairness) } : {}),
    defaultShardCount: options.defaultShardCount ?? limits.shardCount.default,
    pollIntervalMs: options.pollIntervalMs ?? 200,
  };
}
