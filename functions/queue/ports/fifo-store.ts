import type { QueueRecord, StoredMessage } from '../model';
import type { DeleteOutcome, MessageCountsResult, VisibilityOutcome } from './queue-store';

/**
 * The storage port of FIFO queues. A FIFO queue keeps, per message group, a group record (the
 * group's last sequence number and its lease) and the group's messages in sequence order. The
 * ready index holds groups, not messages: a group is offered while it has messages and no live
 * lease. Who may deliver a group's messages is decided by one conditional write on the group.
 */
export interface FifoStore {
  /** The group's last sequence number as last written (eventually consistent: a guess for append). */
  lastSequence(queueId: string, groupId: string): Promise<string | undefined>;
  /** Appends messages to a group in one transaction, if its last sequence is still `after`. */
  append(request: AppendRequest): Promise<AppendOutcome>;
  /** Groups of one shard that looked available at `now` (eventually consistent), from a cursor. */
  findAvailableGroups(
    queueId: string,
    shard: number,
    now: number,
    limit: number,
    cursor?: string,
  ): Promise<{ groupIds: string[]; cursor?: string }>;
  /**
   * Like findAvailableGroups from the start of the shard, and when fewer than `limit` are available,
   * when the next group becomes available (a lease ends, a delayed head is due): idle receivers wait
   * for that instead of asking again (shared/idle-poll.ts).
   */
  findAvailableGroupsOrNext(
    queueId: string,
    shard: number,
    now: number,
    limit: number,
  ): Promise<{ groupIds: string[]; nextAvailableAt?: number }>;
  /** Available groups whose oldest message may have expired (`x`, a hint, <= now): the sweeper's. */
  findExpiringGroups(
    queueId: string,
    shard: number,
    now: number,
    limit: number,
    cursor?: string,
  ): Promise<{ groupIds: string[]; cursor?: string }>;
  /** Refreshes a group's hint of when its oldest message expires. */
  setGroupExpiry(queueId: string, groupId: string, oldestExpiry: number): Promise<void>;
  /**
   * Takes the group's lease if it is available; undefined when someone else holds it. Returns the
   * group's last sequence number and its tidy hint (`x`: when its head may next need tidying).
   */
  leaseGroup(request: GroupLeaseRequest): Promise<{ lastSequence: string; tidyAt?: number } | undefined>;
  /**
   * Brings the group's tidy hint forward to `at` while the lease is `token`'s: a lease that delivers
   * a message for the last time leaves an exhausted head behind if it ends undeleted.
   */
  tidyGroupAt(request: { queueId: string; groupId: string; token: string; at: number }): Promise<void>;
  /** The group's first messages in order (strongly consistent), after `after` when given. */
  readGroup(queueId: string, groupId: string, limit: number, after?: string): Promise<FifoMessage[]>;
  /** The group's first message without its body (strongly consistent). */
  peekGroup(queueId: string, groupId: string): Promise<FifoMessage | undefined>;
  getMessage(queueId: string, groupId: string, sequenceNumber: string): Promise<FifoMessage | undefined>;
  /** Records a delivery under a group lease; false if the message changed since it was read. */
  markDelivered(request: DeliveryRequest): Promise<boolean>;
  /** Removes an undeliverable message (expired or purged) if it did not change since it was read. */
  removeMessage(message: FifoMessage): Promise<void>;
  /** Makes a leased group available at `availableAt`, if the lease is still `token`. */
  releaseGroup(request: ReleaseRequest): Promise<boolean>;
  /** Takes an empty group out of the ready index, if the lease is `token` and nothing was appended. */
  retireGroup(request: RetireRequest): Promise<boolean>;
  deleteMessage(request: FifoMessageRef): Promise<DeleteOutcome>;
  /** Moves the end of a group's live lease (ChangeMessageVisibility). */
  changeGroupVisibility(request: GroupVisibilityRequest): Promise<VisibilityOutcome>;
  /**
   * Claims a ReceiveRequestAttemptId for one receive with a conditional write: it succeeds when the
   * id is unused (or its window passed), or when the record is still the one seen (`replacing`).
   * Otherwise it returns the record as it stands, so a concurrent receive learns whom to wait for.
   */
  claimAttempt(claim: AttemptClaim): Promise<{ claimed: true } | { claimed: false; current?: AttemptRecord }>;
  /** Records what the claimed receive returned, if the claim is still `token`'s. */
  finishAttempt(queueId: string, token: string, attempt: ReceiveAttempt): Promise<void>;
  /** Drops the claim (the receive got nothing, or failed), if it is still `token`'s. */
  dropAttempt(queueId: string, attemptId: string, token: string): Promise<void>;
  /** The attempt record (strongly consistent); undefined when absent or past its window. */
  getAttempt(queueId: string, attemptId: string, now: number): Promise<AttemptRecord | undefined>;
  /**
   * Moves a message to the end of its group in another FIFO queue (dead-lettering, redrive) in
   * one transaction: deleted here only if unchanged since read, appended there after `after`.
   */
  transferMessage(request: FifoTransfer): Promise<MoveOutcome>;
  /** Scheduled delivery (fifo/schedule.ts): stores a scheduled message outside its group. */
  putScheduled(request: ScheduleRequest): Promise<ScheduleOutcome>;
  /** Scheduled messages due at `now`, earliest first (eventually consistent). */
  findDueScheduled(queueId: string, now: number, limit: number): Promise<DueScheduled[]>;
  /** Like findDueScheduled, and when fewer than `limit` are due, when the next one will be. */
  findDueScheduledOrNext(
    queueId: string,
    now: number,
    limit: number,
  ): Promise<{ due: DueScheduled[]; nextDueAt?: number }>;
  /** Moves a due scheduled message to the end of its group, in one transaction. */
  promoteScheduled(request: PromoteRequest): Promise<PromoteOutcome>;
  /** Counts from every group's partition, or from a sample of the groups scaled up (`approximate`). */
  /** Messages sent at or before `purgedAt` are purged: not counted. */
  countMessages(
    queueId: string,
    shardCount: number,
    now: number,
    purgedAt?: number,
  ): Promise<FifoMessageCounts>;
  /** Deletes messages sent at or before `sentUpTo` (all when absent), within a time budget. */
  purgeMessages(request: FifoPurgeRequest): Promise<{ removed: number; done: boolean }>;
}

export interface FifoMessageCounts extends MessageCountsResult {
  /** Set when the counts are estimated from some of the queue's groups (see countMessages). */
  approximate?: boolean;
}

/** A message of a FIFO queue: a place in its group's sequence. */
export interface FifoMessage extends StoredMessage {
  groupId: string;
  sequenceNumber: string;
  deduplicationId: string;
  /** The group lease that last delivered it (absent before its first delivery). */
  leaseToken?: string;
}

export interface AppendEntry {
  message: FifoMessage;
  /** The deduplication id is unique in the queue, or (when set) within this group only. */
  deduplicationScope: 'queue' | 'messageGroup';
}

export interface AppendRequest {
  queue: QueueRecord;
  groupId: string;
  /** The ready-index shard of the group. */
  shard: number;
  /** The group's last sequence number this append follows; undefined for a new group. */
  after: string | undefined;
  entries: AppendEntry[];
  now: number;
}

/** Nothing is written unless the outcome is `appended`. */
export type AppendOutcome =
  | { status: 'appended' }
  | {
      status: 'rejected';
      /** Entries (by index) whose deduplication id was taken within the window, with the original. */
      duplicates: Map<number, { messageId: string; sequenceNumber: string }>;
      /** Someone appended first: retry after `lastSequence`. */
      groupMoved: boolean;
      lastSequence: string | undefined;
    }
  /** A concurrent transaction on the same items: retry. */
  | { status: 'contention' };

export interface GroupLeaseRequest {
  queueId: string;
  groupId: string;
  now: number;
  leaseEnd: number;
  token: string;
}

export interface DeliveryRequest {
  message: FifoMessage;
  token: string;
  now: number;
  leaseEnd: number;
}

export interface ReleaseRequest {
  queueId: string;
  groupId: string;
  token: string;
  availableAt: number;
  /** When the group's (new) oldest message expires, if known. */
  oldestExpiry?: number;
}

export interface RetireRequest {
  queueId: string;
  groupId: string;
  token: string;
  /** The group's last sequence number when it was seen empty. */
  lastSequence: string;
}

export interface FifoMessageRef {
  queueId: string;
  groupId: string;
  sequenceNumber: string;
  token: string;
  /** Deleted whoever holds it now: the handle of an earlier lease acts too. */
  anyLease?: boolean;
}

export interface GroupVisibilityRequest {
  queueId: string;
  groupId: string;
  token: string;
  now: number;
  visibleAt: number;
  /** The group's visibility changes whoever holds it, or when its lease ran out. */
  anyLease?: boolean;
}

/** A receive remembered under its ReceiveRequestAttemptId, so a retry gets the same messages. */
export interface ReceiveAttempt {
  attemptId: string;
  expiresAt: number;
  visibilityTimeoutSeconds: number;
  messages: { groupId: string; sequenceNumber: string; token: string; last: string; messageId: string }[];
}

export interface AttemptClaim {
  queueId: string;
  attemptId: string;
  /** Names this claim: only its holder records the result. */
  token: string;
  now: number;
  /** When a claim not finished by then is presumed abandoned (its receiver crashed). */
  claimEnd: number;
  /** The end of the attempt id's 5-minute window. */
  expiresAt: number;
  /** Take over this claim (a finished attempt whose messages are gone, or an abandoned one). */
  replacing?: string;
}

/** A claimed attempt id: in progress until `result` is set. */
export interface AttemptRecord {
  /** The claim's token; '' for a record written before claims existed. */
  token: string;
  claimEnd: number;
  result?: ReceiveAttempt;
}

export interface FifoTransfer {
  /** The message as read from its queue. */
  message: FifoMessage;
  /** The message as it will be stored in the target queue (its queue id, sequence number, ...). */
  moved: FifoMessage;
  /** The ready-index shard of its group in the target queue. */
  targetShard: number;
  /** The target group's last sequence number the move follows. */
  after: string | undefined;
  now: number;
}

export type MoveOutcome =
  | { status: 'moved' }
  /** The message changed since it was read (deleted or received again): leave it. */
  | { status: 'skipped' }
  /** The target group moved on (or contention): retry after `lastSequence`. */
  | { status: 'retry'; lastSequence: string | undefined };

export interface FifoPurgeRequest {
  queueId: string;
  shardCount: number;
  budgetMs: number;
  sentUpTo?: number;
}

export interface ScheduleRequest {
  queue: QueueRecord;
  /** With its group and deduplication id; its sequence number is taken when it joins the group. */
  message: FifoMessage;
  deduplicationScope: 'queue' | 'messageGroup';
  /** Mark the queue as one that schedules (receives then look for due messages). */
  markQueue: boolean;
  now: number;
}

export type ScheduleOutcome =
  | { status: 'stored' }
  /** The deduplication id was taken within the window: the original's id (and number, if it has one). */
  | { status: 'duplicate'; messageId: string; sequenceNumber: string };

export interface DueScheduled {
  messageId: string;
}

export interface PromoteRequest {
  queue: QueueRecord;
  messageId: string;
  now: number;
  /** Where in its group it goes: after the group's last number, with the next one. */
  place(groupId: string): Promise<{ after: string | undefined; sequenceNumber: string; shard: number }>;
}

export type PromoteOutcome =
  | { status: 'promoted'; groupId: string; sequenceNumber: string }
  /** Cancelled, moved by someone else, or removed here (expired or purged): nothing to do. */
  | { status: 'gone' }
  /** The group moved on meanwhile: try again after `lastSequence`. */
  | { status: 'retry'; groupId: string; lastSequence: string | undefined };
