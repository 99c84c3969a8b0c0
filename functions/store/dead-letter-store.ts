import {
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { invalidParameter } from '../queue/errors';
import type { MessageAttributes, MoveTask, QueueRecord, StoredMessage } from '../queue/model';
import type {
  DeadLetterMove,
  DeadLetterQuery,
  DeadLetterStore,
  RedriveMove,
  RedriveOutcome,
} from '../queue/ports/dead-letter-store';
import { deadLetterInfo } from '../queue/shared/dead-letter-reasons';
import { attributeMatches, matchesRedriveFilter } from '../queue/shared/redrive-filter';
import { exhausted, isExpired, stateOf } from '../queue/states';
import { DynamoBase, type DynamoStoreOptions } from './base';
import { keyString } from './batch';
import { conditions, filters, visibleInShard } from './conditions';
import { deadLetterPartition, deadLetterRecord, deadLetterRecordKey, padTime } from './dead-letter-records';
import { fifoMessageKey, itemToFifoMessage } from './fifo-items';
import {
  type Item,
  isTombstone,
  itemToMessage,
  itemToQueue,
  messageIdOf,
  messageKey,
  messageToItems,
  partCount,
  partKey,
  queuesPartition,
  tombstoneUpdate,
} from './items';
import { isConditionFailure } from './sdk-errors';

/**
 * Dead letters, the sweeper's bookkeeping and redrive tasks.
 *
 * dead-letters table
 *   record       see dead-letter-records.ts
 *   move task    pk = `t#<dead-letter queue id>`  sk = <task id> (time-ordered)
 *   running      pk = `running`  sk = <dead-letter queue id>: one active task per queue, and the
 *                list of tasks the scheduler continues
 *   sweep cursor pk = `sweep`  sk = `cursor`
 *
 * A dead letter is a message of the dead-letter queue (so clients receive it like any message)
 * carrying its history in `dl`; the record orders dead letters by time for browsing.
 */
const taskKey = (queueId: string, taskId: string): Item => ({ pk: { S: `t#${queueId}` }, sk: { S: taskId } });
const lockKey = (queueId: string): Item => ({ pk: { S: 'running' }, sk: { S: queueId } });
const sweepKey: Item = { pk: { S: 'sweep' }, sk: { S: 'cursor' } };
const terminal = new Set(['COMPLETED', 'CANCELLED', 'FAILED']);
/** How much one filtered browse reads at most before it returns what it found and a token. */
export interface BrowseBudget {
  pageSize: number;
  pages: number;
  records: number;
}
const filterBudget: BrowseBudget = { pageSize: 100, pages: 10, records: 1_000 };

export class DynamoDeadLetterStore extends DynamoBase implements DeadLetterStore {
  constructor(
    options: DynamoStoreOptions,
    private readonly browseBudget: BrowseBudget = filterBudget,
  ) {
    super(options);
  }

  async listAllQueues(after: string | undefined, limit: number) {
    const out = await this.run('listAllQueues', (c) =>
      this.client.send(
        new QueryCommand({
          ...c,
          TableName: this.messages,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: queuesPartition } },
          Limit: limit,
          ...(after ? { ExclusiveStartKey: { pk: { S: queuesPartition }, sk: { S: after } } } : {}),
        }),
      ),
    );
    const next = out.LastEvaluatedKey?.sk?.S;
    const queues = (out.Items ?? []).map((item) => ({ queue: itemToQueue(item), cursor: item.sk!.S! }));
    return { queues, ...(next ? { next } : {}) };
  }

  async findSweepable(
    queueId: string,
    shard: number,
    now: number,
    maxReceiveCount: number | undefined,
    limit: number,
  ) {
    const found: { messageId: string; expired: boolean }[] = [];
    const visible = visibleInShard(queueId, shard, now);
    let startKey: Item | undefined;
    do {
      const out = await this.run('findSweepable', (c) =>
        this.client.send(
          new QueryCommand({
            ...c,
            TableName: this.messages,
            ...visible,
            FilterExpression: filters.sweepable(maxReceiveCount !== undefined),
            ExpressionAttributeValues: {
              ...visible.ExpressionAttributeValues,
              ...(maxReceiveCount === undefined ? {} : { ':max': { N: String(maxReceiveCount) } }),
            },
            ProjectionExpression: 'pk, x',
            Limit: 500,
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
          }),
        ),
      );
      for (const item of out.Items ?? []) {
        found.push({ messageId: messageIdOf(item.pk!.S!), expired: Number(item.x?.N) <= now });
      }
      startKey = out.LastEvaluatedKey;
    } while (startKey && found.length < limit);
    return found.slice(0, limit);
  }

  async moveToDeadLetterQueue(request: DeadLetterMove): Promise<'moved' | 'skipped'> {
    const { source, target, now } = request;
    const current = await this.readMessage(source.id, request.messageId);
    if (!current) return 'skipped';
    const { item, message } = current;
    const visible = stateOf(message, now) === 'visible' && !isExpired(message, now);
    if (!(visible && exhausted(source, message))) return 'skipped';
    const deadLetter: StoredMessage = {
      ...message,
      queueId: target.id,
      shard: Math.floor(Math.random() * target.shardCount),
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
    if (!destination) return 'noDestination';
    // A redriven message is a new message, as in SQS: new id, no receives, fresh retention.
    const fresh: StoredMessage = {
      id: request.newMessageId,
      queueId: destination.id,
      shard: Math.floor(Math.random() * destination.shardCount),
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
    shardCount: number,
    now: number,
    cursor: string | undefined,
    limit: number,
  ) {
    let position = cursor ? decodeCursor(cursor) : { shard: 0 };
    while (position.shard < shardCount) {
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
      position = out.LastEvaluatedKey ? { shard, key: out.LastEvaluatedKey } : { shard: shard + 1 };
      if (messageIds.length > 0) {
        return { messageIds, ...(position.shard < shardCount ? { cursor: encodeCursor(position) } : {}) };
      }
    }
    return { messageIds: [] };
  }

  /**
   * A page of dead letters in time order. With an attribute filter the records are read page after
   * page, keeping the messages whose String attribute matches, until `limit` match or the read
   * budget is spent; the token then resumes right after the last record examined, so a later page
   * neither skips nor repeats a match.
   */
  async listDeadLetters(query: DeadLetterQuery) {
    const from = padTime(query.deadLetteredAfter ?? 0);
    const to = `${padTime(query.deadLetteredBefore ?? 9_999_999_999_999)}~`;
    const partition = deadLetterPartition(query.queueId);
    let startKey: Item | undefined;
    if (query.nextToken) {
      const sk = Buffer.from(query.nextToken, 'base64url').toString('utf8');
      if (!/^\d{13}#[\w-]+$/.test(sk))
        throw invalidParameter('nextToken', query.nextToken, 'a token from an earlier page');
      startKey = { pk: { S: partition }, sk: { S: sk } };
    }
    const filter = query.attribute;
    const budget = filter ? this.browseBudget : { pages: 1, records: query.limit };
    const messages: StoredMessage[] = [];
    let examined = 0;
    for (let pages = 1; ; pages++) {
      const out = await this.run('listDeadLetters', (c) =>
        this.client.send(
          new QueryCommand({
            ...c,
            TableName: this.deadLetters,
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
            ExpressionAttributeValues: { ':pk': { S: partition }, ':from': { S: from }, ':to': { S: to } },
            ScanIndexForward: query.order === 'oldest',
            Limit: filter ? this.browseBudget.pageSize : query.limit,
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
          }),
        ),
      );
      const records = out.Items ?? [];
      const items = await this.deadLetterItems(query.queueId, records);
      const dangling: Item[] = [];
      let stoppedAt: number | undefined;
      for (const [index, record] of records.entries()) {
        examined++;
        const item = items[index];
        // A consumer deleted the dead letter (or retention removed it): drop its record too.
        if (!item) dangling.push({ pk: record.pk!, sk: record.sk! });
        else if (!filter || itemMatchesAttribute(item, filter)) {
          const body = await this.readBody(query.queueId, item);
          messages.push(
            record.fg?.S ? itemToFifoMessage(item, query.queueId, body) : itemToMessage(item, body),
          );
          if (messages.length === query.limit) {
            stoppedAt = index;
            break;
          }
        }
      }
      if (dangling.length > 0) {
        await this.writeAll(
          'dropDeadLetterRecords',
          dangling.map((Key) => ({ DeleteRequest: { Key } })),
          this.deadLetters,
        );
      }
      // Resume after the last record examined: mid-page when the page filled up there.
      const last =
        stoppedAt !== undefined && stoppedAt < records.length - 1
          ? records[stoppedAt]!.sk!.S
          : out.LastEvaluatedKey?.sk?.S;
      const full = messages.length === query.limit;
      if (!last || full || pages >= budget.pages || examined >= budget.records) {
        return { messages, ...(last ? { nextToken: Buffer.from(last).toString('base64url') } : {}) };
      }
      startKey = { pk: { S: partition }, sk: { S: last } };
    }
  }

  /** The message items of dead-letter records, in record order (undefined where the message is gone). */
  private async deadLetterItems(queueId: string, records: Item[]): Promise<(Item | undefined)[]> {
    // A FIFO dead letter's item is keyed by its group and sequence number, a standard one by its id.
    const keys = records.map((r) =>
      r.fg?.S ? fifoMessageKey(queueId, r.fg.S, r.sn!.S!) : messageKey(queueId, r.id!.S!),
    );
    const found = await this.getAll(keys);
    return keys.map((key) => found.get(keyString(key)));
  }

  async createMoveTask(task: MoveTask): Promise<'created' | 'busy'> {
    const created = await this.commit('createMoveTask', [
      {
        Put: {
          TableName: this.deadLetters,
          Item: { ...lockKey(task.sourceQueueId), taskId: { S: task.taskId } },
          ConditionExpression: conditions.itemAbsent,
        },
      },
      { Put: { TableName: this.deadLetters, Item: taskItem(task) } },
    ]);
    return created ? 'created' : 'busy';
  }

  async getMoveTask(sourceQueueId: string, taskId: string) {
    const out = await this.run('getMoveTask', (c) =>
      this.client.send(
        new GetItemCommand({
          ...c,
          TableName: this.deadLetters,
          Key: taskKey(sourceQueueId, taskId),
          ConsistentRead: true,
        }),
      ),
    );
    return out.Item ? itemToTask(out.Item) : undefined;
  }

  async listMoveTasks(sourceQueueId: string, limit: number) {
    const out = await this.run('listMoveTasks', (c) =>
      this.client.send(
        new QueryCommand({
          ...c,
          TableName: this.deadLetters,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: `t#${sourceQueueId}` } },
          ScanIndexForward: false,
          Limit: limit,
        }),
      ),
    );
    return (out.Items ?? []).map(itemToTask);
  }

  async listRunningMoveTasks() {
    const out = await this.run('listRunningMoveTasks', (c) =>
      this.client.send(
        new QueryCommand({
          ...c,
          TableName: this.deadLetters,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: 'running' } },
        }),
      ),
    );
    const keys = (out.Items ?? []).map((lock) => taskKey(lock.sk!.S!, lock.taskId!.S!));
    const found = await this.getAll(keys, this.deadLetters);
    return [...found.values()].map(itemToTask);
  }

  async saveMoveTask(task: MoveTask, expectedStatus: MoveTask['status']) {
    const put: TransactWriteItem = {
      Put: {
        TableName: this.deadLetters,
        Item: taskItem(task),
        ConditionExpression: conditions.taskStatusIs,
        ExpressionAttributeValues: { ':expected': { S: expectedStatus } },
      },
    };
    if (!terminal.has(task.status)) {
      try {
        await this.run('saveMoveTask', (c) => this.client.send(new PutItemCommand({ ...c, ...put.Put! })));
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    }
    // A finished task releases its queue for the next one in the same write.
    return this.commit('finishMoveTask', [
      put,
      { Delete: { TableName: this.deadLetters, Key: lockKey(task.sourceQueueId) } },
    ]);
  }

  async getSweepCursor() {
    const out = await this.run('getSweepCursor', (c) =>
      this.client.send(
        new GetItemCommand({ ...c, TableName: this.deadLetters, Key: sweepKey, ConsistentRead: true }),
      ),
    );
    return out.Item?.after?.S;
  }

  async setSweepCursor(cursor: string | undefined) {
    await this.run('setSweepCursor', (c) =>
      this.client.send(
        new PutItemCommand({
          ...c,
          TableName: this.deadLetters,
          Item: { ...sweepKey, ...(cursor ? { after: { S: cursor } } : {}) },
        }),
      ),
    );
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

/**
 * Whether a message item (standard or FIFO, both keep attributes in `a`) has the attribute value:
 * compared as redrive compares it, so a browse shows exactly what "redrive matching" would move.
 */
function itemMatchesAttribute(item: Item, filter: { name: string; value: string }): boolean {
  const attributes: MessageAttributes = item.a?.S ? JSON.parse(item.a.S) : {};
  return attributeMatches(attributes, filter);
}

function taskItem(task: MoveTask): Item {
  return {
    ...taskKey(task.sourceQueueId, task.taskId),
    st: { S: task.status },
    data: { S: JSON.stringify(task) },
  };
}

const itemToTask = (item: Item): MoveTask => JSON.parse(item.data!.S!) as MoveTask;

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

export type { QueueRecord };
