import type { QueueContext } from '../context';
import type { QueueError } from '../errors';
import type {
  BatchResult,
  MoveTask,
  OutgoingMessage,
  QueueRecord,
  ReceivedMessage,
  StoredMessage,
} from '../model';
import type { InspectionStore } from '../ports/inspection-store';
import type { DeleteOutcome, VisibilityOutcome } from '../ports/queue-store';
import type { MessageCounts } from '../states';

/**
 * What a kind of queue does for each verb. Standard queues (standard/) and FIFO queues (fifo/)
 * each implement it, in files of the same names; the operations (operations/) validate, choose
 * the kind once (kinds.ts) and call it, so no verb asks "is this FIFO?" again.
 */
export interface QueueKind {
  /** Stores one message; `duplicate` when a FIFO deduplication id was used already (nothing stored). */
  send(ctx: QueueContext, queue: QueueRecord, message: OutgoingMessage, sender: SendContext): Promise<Sent>;
  /** Stores a batch; each entry succeeds or fails on its own. `duplicates` as for `send`. */
  sendBatch(
    ctx: QueueContext,
    queue: QueueRecord,
    entries: BatchEntry[],
    sender: SendContext,
  ): Promise<{ result: BatchResult<SentEntry>; duplicates: string[] }>;

  /** Leases messages, long polling up to the wait. */
  receive(ctx: QueueContext, queue: QueueRecord, options: ReceiveOptions): Promise<ReceivedMessage[]>;

  /** `anyLease`: an earlier lease's handle acts too (operations/acknowledge.ts AcknowledgeOptions). */
  deleteMessage(
    ctx: QueueContext,
    queue: QueueRecord,
    receiptHandle: unknown,
    anyLease?: boolean,
  ): Promise<DeleteOutcome>;
  /** One outcome per entry, in order: what the store said, or why the handle was refused. */
  deleteMessages(
    ctx: QueueContext,
    queue: QueueRecord,
    entries: { receiptHandle: unknown }[],
    anyLease?: boolean,
  ): Promise<(DeleteOutcome | QueueError)[]>;
  changeVisibility(
    ctx: QueueContext,
    queue: QueueRecord,
    receiptHandle: unknown,
    seconds: number,
    anyLease?: boolean,
  ): Promise<VisibilityOutcome>;
  /** Runs a batch's visibility changes: in parallel, or in the order given where that matters. */
  forEachVisibilityChange<T>(entries: T[], change: (entry: T, index: number) => Promise<void>): Promise<void>;

  /** The sweeper's pass over one queue; false when the time budget ran out first. */
  sweep(ctx: QueueContext, queue: QueueRecord, budget: SweepBudget, report: SweepReport): Promise<boolean>;
  /** Continues a redrive task out of this (dead-letter) queue until it is done or the deadline. */
  redriveSlice(
    ctx: QueueContext,
    task: MoveTask,
    source: QueueRecord,
    slice: RedriveSlice,
  ): Promise<MoveTask>;

  /** Approximate counts; `approximate` when estimated from a sample. */
  countMessages(
    ctx: QueueContext,
    queue: QueueRecord,
    now?: number,
  ): Promise<MessageCounts & { approximate?: boolean }>;
  /** When the longest-waiting deliverable entry of one shard became available. */
  oldestAvailableSince(
    ctx: QueueContext,
    queue: QueueRecord,
    shard: number,
    now: number,
  ): Promise<number | undefined>;
  /** Removes messages (those sent up to `sentUpTo` for a purge, all for a deleted queue) within a budget. */
  purgeMessages(
    ctx: QueueContext,
    queue: QueueRecord,
    sentUpTo?: number,
  ): Promise<{ removed: number; done: boolean }>;
  /**
   * What a purge at `now` cuts off (approximate, like every count) and the queue record that marks
   * it; the caller writes the record, then calls purgeMessages with `now`.
   */
  markPurged(
    ctx: QueueContext,
    queue: QueueRecord,
    now: number,
  ): Promise<{ record: QueueRecord; cutOff: number }>;
  /** The next messages as they are, in the order a person should see them. */
  peek(inspection: InspectionStore, queue: QueueRecord, limit: number): Promise<StoredMessage[]>;
}

export interface SendContext {
  /** Who sent it (SQS SenderId): the caller's access key or account. */
  senderId: string;
}

export interface SentMessage {
  messageId: string;
  /** Bytes of the body, as stored. */
  bodyBytes: number;
}

export interface Sent {
  sent: SentMessage & { message: StoredMessage };
  duplicate: boolean;
}

export interface BatchEntry extends OutgoingMessage {
  id: string;
}

export interface SentEntry {
  id: string;
  messageId: string;
  message: StoredMessage;
}

export interface ReceiveOptions {
  maxMessages: number;
  visibilityTimeoutSeconds: number;
  waitTimeSeconds: number;
  /** FIFO only (SQS ReceiveRequestAttemptId); standard queues ignore it, as SQS does. */
  attemptId?: unknown;
}

export interface SweepBudget {
  pageSize: number;
  /** performance.now() after which the sweep stops. */
  deadline: number;
}

export interface SweepReport {
  queues: number;
  deadLettered: number;
  expired: number;
  /** Messages removed after a purge of their queue. */
  purged: number;
  /** False when the time budget ran out first; the next sweep resumes where this one stopped. */
  complete: boolean;
}

export interface RedriveSlice {
  /** performance.now() after which the slice stops. */
  deadline: number;
  /** The destination queue of a dead letter (the task's, or the message's own source queue). */
  destinationOf: (message: StoredMessage) => Promise<QueueRecord | undefined>;
}
