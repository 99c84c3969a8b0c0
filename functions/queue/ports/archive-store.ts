import type { MessageAttributes } from '../model';

/**
 * The storage port of queues' archives (queue/archive/): a copy of every message a queue accepted,
 * kept for the queue's archiveRetentionSeconds after it was sent, readable by time range.
 */
export interface ArchiveEntry {
  id: string;
  body: string;
  attributes: MessageAttributes;
  groupId?: string;
  traceHeader?: string;
  sentAt: number;
  /**
   * 20 digits that order the archive: the send time in microseconds (ms x 10^6, as FIFO sequence
   * numbers), or a FIFO message's sequence number, so a group's messages keep their order.
   */
  order: string;
  /** Which of the archive's partitions of a day it goes to (0 .. shards - 1). */
  shard: number;
  /** When it leaves the archive (ms). */
  expiresAt: number;
}

export interface ArchivedMessage {
  id: string;
  body: string;
  attributes: MessageAttributes;
  groupId?: string;
  traceHeader?: string;
  sentAt: number;
  expiresAt: number;
  /** Where it is in the archive's order: reading `after` it continues behind it. */
  position: string;
}

export interface ArchiveRange {
  queueId: string;
  shards: number;
  /** Order positions, inclusive (ms). */
  from: number;
  to: number;
  /** A position from an earlier read: continue behind it. */
  after?: string;
  limit: number;
  now: number;
}

export interface ArchiveWriter {
  /** Writes the entries; returns the ids of those that could not be written. */
  archive(queueId: string, entries: ArchiveEntry[]): Promise<string[]>;
}

export interface ArchiveStore extends ArchiveWriter {
  /**
   * Archived messages in order, oldest first; `next` when the range may hold more (a read stops
   * at `limit` messages or after a bounded number of days without enough).
   */
  read(range: ArchiveRange): Promise<{ messages: ArchivedMessage[]; next?: string }>;
  /** How many unexpired messages the range holds. */
  count(range: Omit<ArchiveRange, 'after' | 'limit'>): Promise<number>;
  /** Removes entries of the given range that expired (where no TTL runs: DynamoDB Local). */
  removeExpired(range: Omit<ArchiveRange, 'after' | 'limit'>): Promise<number>;
}
