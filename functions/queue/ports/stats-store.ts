import type { MessageCounts } from '../states';

/**
 * The storage port of per-minute queue statistics. Counters are added (never read back and
 * rewritten), so writers in many processes combine without coordination; depth samples are set.
 * Minutes are epoch milliseconds of the start of the minute; items expire after `expiresAt`.
 */
export interface StatsStore {
  /** Adds counts to one queue's minute (one write). */
  addCounts(queueId: string, minute: number, counts: Partial<MinuteCounts>, expiresAt: number): Promise<void>;
  /** Sets the depth sample of one queue's minute (one write). */
  setDepth(queueId: string, minute: number, depth: DepthSample, expiresAt: number): Promise<void>;
  /** The minutes in [from, to] that have anything recorded, ascending. */
  readMinutes(queueId: string, from: number, to: number): Promise<StoredMinute[]>;
}

/** Events counted per queue and minute. */
export const counterNames = ['sent', 'received', 'deleted', 'deadLettered', 'redriven'] as const;
export type CounterName = (typeof counterNames)[number];
export type MinuteCounts = Record<CounterName, number>;

/** How many messages a queue held when the sweeper looked, once a minute. */
export type DepthSample = MessageCounts;

export interface StoredMinute extends Partial<MinuteCounts> {
  minute: number;
  depth?: DepthSample;
}

export const minuteMs = 60_000;
/** Statistics are kept for a day. */
export const statsRetentionMs = 24 * 60 * 60_000;

export const minuteOf = (ms: number) => Math.floor(ms / minuteMs) * minuteMs;
