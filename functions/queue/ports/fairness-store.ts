import type { QueueRecord } from '../model';

/**
 * What fair queues (standard queues whose messages carry group ids, see shared/fairness.ts) need
 * from storage: when groups last sent, how the in-flight messages split by group, and visible
 * candidates with their groups. The DynamoDB adapter is functions/store/fairness-store.ts.
 */
export interface FairnessStore {
  /**
   * Records that these groups sent at `now`, and marks the queue as one that uses groups (when
   * `markQueue`). Best effort: a failure loses a mark, never a message.
   */
  recordGroupSends(queue: QueueRecord, groups: string[], now: number, markQueue: boolean): Promise<void>;
  /** When each of these groups last sent (as recorded; absent when never or long ago). */
  lastGroupSends(queueId: string, groups: string[]): Promise<Map<string, number>>;
  /**
   * In-flight messages (leased: visible later, received before) counted by group, from these
   * ready-index partitions (every priority's: shared/priority.ts readyShards); reads at most
   * `maxPerShard` entries of each (`sampled` when it stopped there).
   */
  inFlightByGroup(
    queueId: string,
    partitions: number[],
    now: number,
    maxPerShard: number,
  ): Promise<InFlightGroups>;
  /**
   * Visible candidates of one shard, oldest first, with their groups. With `excluding`, only those
   * outside these groups, reading at most `maxScanned` index entries to find `limit` of them.
   */
  findVisibleGroups(request: VisibleGroupsRequest): Promise<GroupCandidate[]>;
  /**
   * Visible messages outside these groups in these ready-index partitions, and since when the
   * longest-visible of them is visible.
   */
  countVisibleOutside(
    queueId: string,
    partitions: number[],
    now: number,
    excluding: string[],
  ): Promise<{ count: number; oldestSince?: number }>;
}

export interface InFlightGroups {
  total: number;
  byGroup: Map<string, number>;
  sampled: boolean;
}

export interface VisibleGroupsRequest {
  queueId: string;
  shard: number;
  now: number;
  limit: number;
  excluding?: string[];
  maxScanned?: number;
}

export interface GroupCandidate {
  messageId: string;
  groupId?: string;
}
