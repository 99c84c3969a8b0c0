import { GetItemCommand, QueryCommand, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { MoveTask, QueueRecord, StoredMessage } from '../queue/model';
import type {
  DeadLetterMove,
  DeadLetterQuery,
  DeadLetterStore,
  RedriveMove,
  RedriveOutcome,
} from '../queue/ports/dead-letter-store';
import { deadLetterInfo } from '../queue/shared/dead-letter-reasons';
import { priorityOf, withPriorityOf } from '../queue/shared/priority';
import { matchesRedriveFilter } from '../queue/shared/redrive-filter';
import { exhausted, isExpired, stateOf } from '../queue/states';
import { DynamoBase, type DynamoStoreOptions } from './base';
import { conditions, visibleInShard } from './conditions';
import { type BrowseBudget, filterBudget, listDeadLetters } from './dead-letter-browse';
import { deadLetterRecord, deadLetterRecordKey } from './dead-letter-records';
import {
  type Item,
  isTombstone,
  itemToMessage,
  messageIdOf,
  messageKey,
  messageToItems,
  partCount,
  partKey,
  tombstoneUpdate,
} from './items';
import {
  createMoveTask,
  getMoveTask,
  listMoveTasks,
  listRunningMoveTasks,
  saveMoveTask,
} from './move-task-records';
import { addPriorities } from './priority-records';
import { findSweepable, getSweepCursor, listAllQueues, setSweepCursor } from './sweep-records';

/**
 * The DynamoDB adapter of the dead-letter port. Here: moves into a dead-letter queue and back out
 * (redrive), each one transaction, and the scan a redrive walks. Browsing (dead-letter-browse.ts),
 * redrive task records (move-task-records.ts) and the sweeper's reads (sweep-records.ts) live
 * beside it.
 *
 * A dead letter is a message of the dead-letter queue (so clients receive it like any message)
 * carrying its history in `dl`; its browse record (dead-letter-records.ts) orders dead letters by
 * time.
 */
export class DynamoDeadLetterStore extends DynamoBase implements DeadLetterStore {
  constructor(
    options: DynamoStoreOptions,
    private readonly browseBudget: BrowseBudget = filterBudget,
  ) {
    super(options);
  }

  listDeadLetters(query: DeadLetterQuery) {
    return listDeadLetters(this, query, this.browseBudget);
  }

  createMoveTask(task: MoveTask) {
    return createMoveTask(this, task);
  }

  getMoveTask(sourceQueueId: string, taskId: string) {
    return getMoveTask(this, sourceQueueId, taskId);
  }

  listMoveTasks(sourceQueueId: string, limit: number) {
    return listMoveTasks(this, sourceQueueId, limit);
  }

  listRunningMoveTasks() {
    return listRunningMoveTasks(this);
  }

  saveMoveTask(task: MoveTask, expectedStatus: MoveTask['status']) {
    return saveMoveTask(this, task, expectedStatus);
  }

  listAllQueues(after: string | undefined, limit: number) {
    return listAllQueues(this, after, limit);
  }

  findSweepable(
    queueId: string,
    shard: number,
    now: number,
    maxReceiveCount: number | undefined,
    limit: number,
  ) {
    return findSweepable(this, queueId, shard, now, maxReceiveCount, limit);
  }

  getSweepCursor() {
    return getSweepCursor(this);
  }

  setSweepCursor(cursor: string | undefined) {
    return setSweepCursor(this, cursor);
  }

  async moveToDeadLetterQueue(request: DeadLetterMove): Promise<'moved' | 'skipped'> {
    const { source, target, now } = request;
    const current = await this.readMessage(source.id, request.messageId);
    if (!current) return 'skipped';
    const { item, message } = current;
    const visible = stateOf(message, now) === 'visible' && !isExpired(message, now);
    if (!(visible && exhausted(source, message))) return 'skipped';
    // A dead letter keeps its priority (queue/shared/priority.ts), listed first on its new queue.
    if (!(await this.admitPriority(target, message))) return 'skipped';
    const deadLetter: StoredMessage = {
      ...message,
      queueId: target.id,
      shard: withPriorityOf(message, target.shardCount),
      visibleAt: now,
      // Counted from the move, not the first send: a dead letter stays for the whole retention
      // of its dead-letter queue (SQS counts from the first send and may drop it sooner).
      expiresAt: now + target.retentionSeconds * 1000,
      receiveCount: 0,
      deadLetter: deadLetterInfo(source, message, request.reason, now),
    };
    delete deadLetter.firstReceivedAt;
    delete deadLetter.lastReceivedAt;
    const actions = [
      ...this.removeUnchanged(item, source.id, message.id),
      ...this.putNew(deadLetter),
      {
        Put: {
          TableName: this.deadLetters,
          Item: deadLetterRecord(target.id, now, message.id),
        },
      },
    ];
    return (await this.commit('moveToDeadLetterQueue', actions)) ? 'moved' : 'skipped';
  }

  async redriveMessage(request: RedriveMove): Promise<RedriveOutcome> {
    const dlq = request.deadLetterQueue;
    const current = await this.readMessage(dlq.id, request.messageId);
    if (!current) return 'gone';
    const { item, message } = current;
    if (message.visibleAt > request.now) return 'busy';
    if (!matchesRedriveFilter(message, request.filter)) return 'filtered';
    const destination = await request.destination(message);
    if (!destination || !(await this.admitPriority(destination, message))) return 'noDestination';
    // A redriven message is a new message, as in SQS: new id, no receives, fresh retention; it
    // keeps its priority.
    const fresh: StoredMessage = {
      id: request.newMessageId,
      queueId: destination.id,
      shard: withPriorityOf(message, destination.shardCount),
      body: message.body,
      attributes: message.attributes,
      senderId: message.senderId,
      sentAt: request.now,
      visibleAt: request.now,
      expiresAt: request.now + destination.retentionSeconds * 1000,
      receiveCount: 0,
      ...(message.traceHeader === undefined ? {} : { traceHeader: message.traceHeader }),
    };
    const actions: TransactWriteItem[] = [
      ...this.removeUnchanged(item, dlq.id, message.id),
      ...this.putNew(fresh),
    ];
    if (message.deadLetter) {
      actions.push({
        Delete: {
          TableName: this.deadLetters,
          Key: deadLetterRecordKey(dlq.id, message.deadLetter.deadLetteredAt, message.id),
        },
      });
    }
    return (await this.commit('redriveMessage', actions)) ? 'moved' : 'busy';
  }

  async scanDeadLetterQueue(
    queueId: string,
    shards: readonly number[],
    now: number,
    cursor: string | undefined,
    limit: number,
  ) {
    // The cursor names a partition; one the list no longer has starts the walk again (moves are
    // idempotent: a message moved already is gone from the dead-letter queue).
    const resumed = cursor === undefined ? undefined : decodeCursor(cursor);
    let at = resumed === undefined ? 0 : Math.max(0, shards.indexOf(resumed.shard));
    let position: { shard: number; key?: Item } =
      resumed !== undefined && shards[at] === resumed.shard ? resumed : { shard: shards[at] ?? 0 };
    while (at < shards.length) {
      const shard = position.shard;
      const out = await this.run('scanDeadLetterQueue', (c) =>
        this.client.send(
          new QueryCommand({
            ...c,
            TableName: this.messages,
            ...visibleInShard(queueId, shard, now),
            ProjectionExpression: 'pk',
            Limit: limit,
            ...(position.key ? { ExclusiveStartKey: position.key } : {}),
          }),
        ),
      );
      const messageIds = (out.Items ?? []).map((i) => messageIdOf(i.pk!.S!));
      if (!out.LastEvaluatedKey) at++;
      position = out.LastEvaluatedKey ? { shard, key: out.LastEvaluatedKey } : { shard: shards[at] ?? -1 };
      if (messageIds.length > 0) {
        return { messageIds, ...(at < shards.length ? { cursor: encodeCursor(position) } : {}) };
      }
    }
    return { messageIds: [] };
  }

  /**
   * Lists a moved message's priority on the queue it moves to before it is written there (a
   * message in a partition no receive visits would wait forever): 1 write, only the first time
   * that queue sees the priority. False when that queue no longer exists.
   */
  private async admitPriority(queue: QueueRecord, message: StoredMessage): Promise<boolean> {
    const priority = priorityOf(message);
    if (priority === 0 || queue.priorities?.includes(priority)) return true;
    const priorities = await addPriorities(this, queue, [priority]);
    if (priorities === undefined) return false;
    // The caller's (cached) record learns it too: the next move there needs no write.
    queue.priorities = priorities;
    return true;
  }

  /** A message item and its whole body, read consistently. */
  private async readMessage(queueId: string, messageId: string) {
    const out = await this.run('readMessage', (c) =>
      this.client.send(
        new GetItemCommand({
          ...c,
          TableName: this.messages,
          Key: messageKey(queueId, messageId),
          ConsistentRead: true,
        }),
      ),
    );
    // A deleted message leaves a tombstone (items.ts): it is gone.
    if (!out.Item || isTombstone(out.Item)) return undefined;
    return { item: out.Item, message: itemToMessage(out.Item, await this.readBody(queueId, out.Item)) };
  }

  /**
   * Deletes a message (and its parts) only if no one leased or changed it since it was read,
   * leaving a tombstone (items.ts), so a late retry of its send cannot bring it back. A tombstone
   * has no `v` or `rc`, so the condition also refuses to rewrite one already there.
   */
  private removeUnchanged(item: Item, queueId: string, messageId: string): TransactWriteItem[] {
    const parts = Array.from({ length: partCount(item) }, (_, n) => partKey(queueId, messageId, n));
    const tombstone = tombstoneUpdate(Date.now());
    return [
      {
        Update: {
          TableName: this.messages,
          Key: messageKey(queueId, messageId),
          ConditionExpression: conditions.unchangedSinceRead,
          UpdateExpression: tombstone.UpdateExpression,
          ExpressionAttributeNames: tombstone.ExpressionAttributeNames,
          ExpressionAttributeValues: { ':v': item.v!, ':rc': item.rc!, ...tombstone.values },
        },
      },
      ...parts.map((Key) => ({ Delete: { TableName: this.messages, Key } })),
    ];
  }

  private putNew(message: StoredMessage): TransactWriteItem[] {
    const { message: item, parts } = messageToItems(message);
    return [
      { Put: { TableName: this.messages, Item: item, ConditionExpression: conditions.itemAbsent } },
      ...parts.map((Item) => ({ Put: { TableName: this.messages, Item } })),
    ];
  }
}

const encodeCursor = (position: { shard: number; key?: Item }) =>
  Buffer.from(JSON.stringify(position)).toString('base64url');

function decodeCursor(cursor: string): { shard: number; key?: Item } {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof value.shard === 'number') return value;
  } catch {
    // fall through
  }
  return { shard: 0 };
}

export type { BrowseBudget, QueueRecord };
