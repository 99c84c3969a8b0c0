import { Arrivals } from './arrivals';
import { type Clock, systemClock } from './clock';
import { QueueCache, type QueueContext } from './context';
import type { DeadLetterStore } from './dead-letter-port';
import type { FifoStore } from './fifo/port';
import { limits } from './limits';
import type { QueueStore } from './port';
import { ReceiptHandleCodec } from './receipt-handle';

export interface QueueContextOptions {
  store: QueueStore;
  deadLetters: DeadLetterStore;
  fifo?: FifoStore;
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
    queues: new QueueCache(options.store, clock, options.queueCacheMs ?? 2_000),
    ...(options.fifo ? { fifo: options.fifo } : {}),
    defaultShardCount: options.defaultShardCount ?? limits.shardCount.default,
    pollIntervalMs: options.pollIntervalMs ?? 200,
  };
}
