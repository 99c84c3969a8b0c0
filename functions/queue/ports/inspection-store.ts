import type { QueueRecord, StoredMessage } from '../model';
import type { FifoMessage } from './fifo-store';

/**
 * The storage port for looking at a queue without touching it: no lease is taken, no receive
 * counted. Reads are eventually consistent where that is cheaper: a look, not a decision.
 */
export interface InspectionStore {
  /**
   * Up to `limit` messages of a standard queue in ready-index order (earliest `visibleAt` first
   * across shards): visible ones first, then those in flight or delayed.
   */
  peekMessages(queueId: string, shards: readonly number[], limit: number): Promise<StoredMessage[]>;
  /**
   * FIFO: up to `limitGroups` groups (earliest available first across shards), each with its
   * first `perGroup` messages in sequence order.
   */
  peekFifoGroups(
    queueId: string,
    shardCount: number,
    limitGroups: number,
    perGroup: number,
  ): Promise<FifoMessage[][]>;
  /**
   * Scheduled messages (delayed, never received), earliest first: a standard queue's from its
   * shards (`v > now`), a FIFO queue's from its schedule partition (those not yet in their group).
   */
  peekScheduled(queue: QueueRecord, now: number, limit: number): Promise<StoredMessage[]>;
  /** FIFO: when the longest-available group of a shard became available (undefined when none is). */
  oldestAvailableGroupSince(queueId: string, shard: number, now: number): Promise<number | undefined>;
}
