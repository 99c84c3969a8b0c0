import type { ArrivalTick, IdleMark } from '../arrivals';
import type { QueueRecord, QueueRef, StoredMessage } from '../model';
import type { MessageCounts } from '../states';

/**
 * The storage port: everything the queue needs from a database, in the queue's own terms.
 * The DynamoDB adapter in functions/store implements it; lease decisions are made there by
 * conditional writes, and reported here as outcomes.
 */
export interface QueueStore {
  /** Creates the queue unless one of that name exists; returns the existing one if so. */
  createQueue(queue: QueueRecord): Promise<{ created: true } | { created: false; existing: QueueRecord }>;
  getQueue(ref: QueueRef): Promise<QueueRecord | undefined>;
  /** Replaces the stored settings of an existing queue; false when it no longer exists. */
  updateQueue(queue: QueueRecord): Promise<boolean>;
  deleteQueue(ref: QueueRef): Promise<boolean>;
  listQueues(query: ListQueuesQuery): Promise<{ queues: QueueRecord[]; nextToken?: string }>;
  /**
   * Adds priorities to those the queue record lists (shared/priority.ts); returns them all, or
   * undefined when the queue (this incarnation of it) no longer exists.
   */
  addPriorities(queue: QueueRecord, priorities: number[]): Promise<number[] | undefined>;

  /** Writes messages; returns the indexes of those that could not be written. */
  putMessages(messages: StoredMessage[]): Promise<{ failedIndexes: number[] }>;
  /** Keys of messages that looked visible at `now` in one shard (eventually consistent). */
  findVisible(queueId: string, shard: number, now: number, limit: number): Promise<string[]>;
  /**
   * findVisible that also says, when fewer than `limit` are visible, when the shard's next entry
   * becomes visible (same cost): what lets an idle receiver sleep until then.
   */
  findVisibleOrNext(
    queueId: string,
    shard: number,
    now: number,
    limit: number,
  ): Promise<{ messageIds: string[]; nextVisibleAt?: number }>;
  /** The queue's arrival tick (shared/idle-poll.ts): a value that changes when senders bump it. */
  readArrivalTick(queueId: string): Promise<ArrivalTick | undefined>;
  /** Shares a look that found the queue empty (shared/idle-marks.ts); false when the tick moved meanwhile. */
  markQueueIdle(queueId: string, mark: IdleMark): Promise<boolean>;
  /** Moves the queue's arrival tick on (one small write); `shard`: where receivers should look first. */
  bumpArrivalTick(queueId: string, now: number, shard?: number): Promise<void>;
  /** When the longest-visible entry of a shard became visible (undefined when none is). */
  oldestVisibleSince(queueId: string, shard: number, now: number): Promise<number | undefined>;
  /** Tries to take a lease; only one concurrent caller can win a given message. */
  lease(request: LeaseRequest): Promise<LeaseOutcome>;
  /**
   * Removes a message that can no longer be delivered (expired or purged), if it still is so;
   * says which it was (undefined: nothing removed).
   */
  removeUndeliverable(
    queueId: string,
    messageId: string,
    now: number,
    purgedAt?: number,
  ): Promise<'expired' | 'purged' | undefined>;
  /**
   * Right at a purge: removes its in-flight and delayed messages within a budget (see the
   * adapter), lowering the pending count by them; returns how many it removed.
   */
  removePurgedHidden(queue: QueueRecord, now: number, budgetMs: number): Promise<number>;
  /** Lowers a purge's pending count by messages removed elsewhere (a receive that met them). */
  notePurgedRemoved(queue: QueueRecord, count: number): Promise<void>;
  /** `anyLease`: the message is deleted whoever holds it now (see AcknowledgeOptions). */
  deleteMessage(
    queueId: string,
    messageId: string,
    leaseToken: string,
    anyLease?: boolean,
  ): Promise<DeleteOutcome>;
  /** Deletes many messages at once, each only for the holder of its current lease. */
  deleteMessages(requests: DeleteRequest[]): Promise<DeleteOutcome[]>;
  changeVisibility(request: VisibilityRequest): Promise<VisibilityOutcome>;
  /** Counts over the given ready-index partitions (shared/priority.ts readyShards). */
  countMessages(queueId: string, shards: readonly number[], now: number): Promise<MessageCountsResult>;
  /**
   * Counts from the queue's counters (kept from the messages' changes, whatever the queue holds),
   * for messages sent after `epoch` (its last purge, 0 before any); undefined for a queue created
   * before counters existed, which is counted with countMessages.
   */
  readCounters(queueId: string, epoch: number, now: number): Promise<MessageCounts | undefined>;
  /** Counts from now on only messages sent after `epoch` (a purge), or from the queue's creation (0). */
  startCounters(queueId: string, epoch: number): Promise<void>;
  /** Cancels a message not yet deliverable and never received (shared/schedule.ts), in one write. */
  cancelScheduled(queueId: string, messageId: string, now: number): Promise<CancelOutcome>;
  /**
   * Removes messages a purge cut off (sent at or before `queue.purgedAt`), within a time budget,
   * resuming where the last call stopped; `done` once none is left (the queue's purge is cleared).
   */
  removePurgedMessages(queue: QueueRecord, budgetMs: number): Promise<{ removed: number; done: boolean }>;
  /** Deletes every message of a queue, within a time budget; returns how many it removed. */
  purgeMessages(
    queueId: string,
    shards: readonly number[],
    budgetMs: number,
  ): Promise<{ removed: number; done: boolean }>;
}

export interface ListQueuesQuery {
  account: string;
  region: string;
  prefix?: string;
  limit: number;
  nextToken?: string;
}

export interface LeaseRequest {
  queueId: string;
  messageId: string;
  now: number;
  visibleUntil: number;
  leaseToken: string;
  /** Messages sent at or before this time were purged and must not be delivered. */
  purgedAt?: number;
  /** With a redrive policy: a message received this many times is not leased again. */
  maxReceiveCount?: number;
}

export type LeaseOutcome =
  | { status: 'leased'; message: StoredMessage }
  /** Someone else holds it, or it is not visible yet. */
  | { status: 'unavailable' }
  /** Past retention or purged: must be removed, never delivered. */
  | { status: 'undeliverable' }
  /** Visible, but its receives are used up: it belongs in the dead-letter queue. */
  | { status: 'exhausted' }
  | { status: 'gone' };

export interface DeleteRequest {
  queueId: string;
  messageId: string;
  leaseToken: string;
  /** Whoever holds the message now: the handle of an earlier lease acts too. */
  anyLease?: boolean;
}

/** `stale`: the message was received again since this lease: the handle no longer holds it. */
export type DeleteOutcome = 'deleted' | 'gone' | 'stale';

export interface VisibilityRequest {
  queueId: string;
  messageId: string;
  leaseToken: string;
  now: number;
  visibleAt: number;
  /**
   * The message's visibility changes whoever holds it, and also when its lease ran out (it
   * becomes invisible again until `visibleAt`): the handle of an earlier lease acts too.
   */
  anyLease?: boolean;
}

/** `limit`: the new lease would end more than 12 hours after the message was received. */
export type VisibilityOutcome = 'changed' | 'gone' | 'stale' | 'notInFlight' | 'limit';

export type MessageCountsResult = MessageCounts;

/** `notScheduled`: deliverable already, or received; `notFound`: no such message (or gone). */
export type CancelOutcome = 'cancelled' | 'notScheduled' | 'notFound';
