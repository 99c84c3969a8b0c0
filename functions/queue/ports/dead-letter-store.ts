import type { MoveTask, QueueRecord, RedriveFilter, StoredMessage } from '../model';

/**
 * The storage port for dead letters, the sweeper and redrive tasks. Moves between queues are
 * atomic in the adapter (one transaction): a crash leaves the message in exactly one place.
 */
export interface DeadLetterStore {
  /** Queues in a stable order, from `after` (a cursor from an earlier page). */
  listAllQueues(
    after: string | undefined,
    limit: number,
  ): Promise<{ queues: { queue: QueueRecord; cursor: string }[]; next?: string }>;
  /**
   * Messages of one shard that are visible now and either past retention or out of receives
   * (receive count >= maxReceiveCount, when given).
   */
  findSweepable(
    queueId: string,
    shard: number,
    now: number,
    maxReceiveCount: number | undefined,
    limit: number,
  ): Promise<{ messageId: string; expired: boolean }[]>;
  /** Moves a message whose receives are used up to the dead-letter queue, unless it changed. */
  moveToDeadLetterQueue(request: DeadLetterMove): Promise<'moved' | 'skipped'>;
  /** Moves a dead letter back to a queue as a new message, unless a consumer holds it. */
  redriveMessage(request: RedriveMove): Promise<RedriveOutcome>;
  /** Visible messages of a dead-letter queue, in index order, from a cursor. */
  scanDeadLetterQueue(
    queueId: string,
    shards: readonly number[],
    now: number,
    cursor: string | undefined,
    limit: number,
  ): Promise<{ messageIds: string[]; cursor?: string }>;
  listDeadLetters(query: DeadLetterQuery): Promise<{ messages: StoredMessage[]; nextToken?: string }>;

  createMoveTask(task: MoveTask): Promise<'created' | 'busy'>;
  getMoveTask(sourceQueueId: string, taskId: string): Promise<MoveTask | undefined>;
  listMoveTasks(sourceQueueId: string, limit: number): Promise<MoveTask[]>;
  listRunningMoveTasks(): Promise<MoveTask[]>;
  /** Saves progress; false when the task was cancelled meanwhile (the save is refused). */
  saveMoveTask(task: MoveTask, expectedStatus: MoveTask['status']): Promise<boolean>;
  getSweepCursor(): Promise<string | undefined>;
  setSweepCursor(cursor: string | undefined): Promise<void>;
}

export interface DeadLetterMove {
  source: QueueRecord;
  messageId: string;
  now: number;
  target: QueueRecord;
  reason: string;
}

export interface RedriveMove {
  deadLetterQueue: QueueRecord;
  messageId: string;
  now: number;
  filter: RedriveFilter;
  /** The destination queue, or a lookup of each message's own source queue by name. */
  destination: (message: StoredMessage) => Promise<QueueRecord | undefined>;
  newMessageId: string;
}

export type RedriveOutcome = 'moved' | 'filtered' | 'busy' | 'gone' | 'noDestination';

export interface DeadLetterQuery {
  queueId: string;
  order: 'newest' | 'oldest';
  limit: number;
  nextToken?: string;
  deadLetteredAfter?: number;
  deadLetteredBefore?: number;
  /** Only dead letters whose String attribute `name` equals `value`. */
  attribute?: { name: string; value: string };
}
