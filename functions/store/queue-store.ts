import { randomBytes } from 'node:crypto';
import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { invalidParameter } from '../queue/errors';
import { limits } from '../queue/limits';
import type { QueueRecord, QueueRef, StoredMessage } from '../queue/model';
import type {
  DeleteOutcome,
  DeleteRequest,
  LeaseOutcome,
  LeaseRequest,
  ListQueuesQuery,
  MessageCountsResult,
  QueueStore,
  VisibilityOutcome,
  VisibilityRequest,
} from '../queue/ports/queue-store';
import { noMessages, undeliverable } from '../queue/states';
import { DynamoBase } from './base';
import { keyString } from './batch';
import {
  conditions,
  filters,
  setVisibility,
  takeLease,
  visibilityFailure,
  visibleInShard,
} from './conditions';
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
  queueKey,
  queueSortKey,
  queuesPartition,
  queueToItem,
  readyPartition,
  tombstoneUpdate,
} from './items';
import { isConditionFailure } from './sdk-errors';
import { readyIndexName } from './table-layout';

/** The DynamoDB adapter of the queue's storage port. */
export class DynamoQueueStore extends DynamoBase implements QueueStore {
  async createQueue(queue: QueueRecord) {
    try {
      await this.run('createQueue', (capacity) =>
        this.client.send(
          new PutItemCommand({
            ...capacity,
            TableName: this.messages,
            Item: queueToItem(queue),
            ConditionExpression: conditions.queueAbsent,
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      );
      return { created: true as const };
    } catch (error) {
      if (isConditionFailure(error) && error.Item) {
        return { created: false as const, existing: itemToQueue(error.Item as Item) };
      }
      throw error;
    }
  }

  async getQueue(ref: QueueRef) {
    const out = await this.run('getQueue', (capacity) =>
      this.client.send(
        new GetItemCommand({
          ...capacity,
          TableName: this.messages,
          Key: queueKey(ref),
          ConsistentRead: true,
        }),
      ),
    );
    return out.Item ? itemToQueue(out.Item) : undefined;
  }

  async updateQueue(queue: QueueRecord) {
    try {
      await this.run('updateQueue', (capacity) =>
        this.client.send(
          new PutItemCommand({
            ...capacity,
            TableName: this.messages,
            Item: queueToItem(queue),
            ConditionExpression: conditions.sameQueueIncarnation,
            ExpressionAttributeValues: { ':id': { S: queue.id } },
          }),
        ),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async deleteQueue(ref: QueueRef) {
    const out = await this.run('deleteQueue', (capacity) =>
      this.client.send(
        new DeleteItemCommand({
          ...capacity,
          TableName: this.messages,
          Key: queueKey(ref),
          ReturnValues: 'ALL_OLD',
        }),
      ),
    );
    return out.Attributes !== undefined;
  }

  async listQueues(query: ListQueuesQuery) {
    const input: QueryCommandInput = {
      TableName: this.messages,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: {
        ':pk': { S: queuesPartition },
        ':prefix': { S: queueSortKey(query.account, query.region, query.prefix ?? '') },
      },
      Limit: query.limit,
    };
    if (query.nextToken !== undefined) {
      const after = Buffer.from(query.nextToken, 'base64url').toString('utf8');
      if (!/^[A-Za-z0-9_.-]{1,80}$/.test(after))
        throw invalidParameter('nextToken', query.nextToken, 'a token from an earlier listing');
      input.ExclusiveStartKey = {
        pk: { S: queuesPartition },
        sk: { S: queueSortKey(query.account, query.region, after) },
      };
    }
    const out = await this.run('listQueues', (capacity) =>
      this.client.send(new QueryCommand({ ...capacity, ...input })),
    );
    const queues = (out.Items ?? []).map(itemToQueue);
    const last = out.LastEvaluatedKey ? queues.at(-1)?.ref.name : undefined;
    return last ? { queues, nextToken: Buffer.from(last).toString('base64url') } : { queues };
  }

  async putMessages(messages: StoredMessage[]) {
    const items = messages.map(messageToItems);
    // Body parts first: a message item is only ever visible with its whole body in place.
    const partRequests = items.flatMap((m) => m.parts.map((Item) => ({ PutRequest: { Item } })));
    const failedParts =
      partRequests.length > 0 ? await this.writeAll('putParts', partRequests) : new Set<string>();
    const failedIndexes: number[] = [];
    const ready: number[] = [];
    items.forEach((m, index) => {
      if (m.parts.some((part) => failedParts.has(keyString(part)))) failedIndexes.push(index);
      else ready.push(index);
    });
    // One conditional PutItem per message, in parallel: if the SDK retries a put whose response
    // was lost, the retry finds the item and changes nothing, where an unconditional batch write
    // would reset a lease a receiver took meanwhile.
    const outcomes = await Promise.allSettled(
      ready.map((index) => this.putNewMessage(items[index]!.message)),
    );
    outcomes.forEach((outcome, i) => {
      if (outcome.status === 'rejected') failedIndexes.push(ready[i]!);
    });
    // A single message: its caller hears why (throttled or unavailable), not just that it failed.
    const [only] = outcomes;
    if (messages.length === 1 && only?.status === 'rejected') throw only.reason;
    return { failedIndexes: failedIndexes.sort((a, b) => a - b) };
  }

  private async putNewMessage(item: Item): Promise<void> {
    try {
      await this.run('putMessages', (capacity) =>
        this.client.send(
          new PutItemCommand({
            ...capacity,
            TableName: this.messages,
            Item: item,
            ConditionExpression: conditions.itemAbsent,
          }),
        ),
      );
    } catch (error) {
      // Already there: an earlier attempt of this very put landed (the message may even have been
      // received and deleted since, leaving its tombstone).
      if (!isConditionFailure(error)) throw error;
    }
  }

  async oldestVisibleSince(queueId: string, shard: number, now: number) {
    const out = await this.run('oldestVisibleSince', (capacity) =>
      this.client.send(
        new QueryCommand({
          ...capacity,
          TableName: this.messages,
          ...visibleInShard(queueId, shard, now),
          ProjectionExpression: 'v',
          Limit: 1,
        }),
      ),
    );
    const first = out.Items?.[0]?.v?.N;
    return first === undefined ? undefined : Number(first);
  }

  async findVisible(queueId: string, shard: number, now: number, limit: number) {
    const out = await this.run('findVisible', (capacity) =>
      this.client.send(
        new QueryCommand({
          ...capacity,
          TableName: this.messages,
          ...visibleInShard(queueId, shard, now),
          ProjectionExpression: 'pk',
          Limit: limit,
        }),
      ),
    );
    return (out.Items ?? []).map((item) => messageIdOf(item.pk!.S!));
  }

  async lease(request: LeaseRequest): Promise<LeaseOutcome> {
    const purged = request.purgedAt !== undefined;
    const limited = request.maxReceiveCount !== undefined;
    try {
      const out = await this.run('lease', (capacity) =>
        this.client.send(
          new UpdateItemCommand({
            ...capacity,
            TableName: this.messages,
            Key: messageKey(request.queueId, request.messageId),
            ConditionExpression: conditions.deliverable(purged, limited),
            UpdateExpression: takeLease,
            ExpressionAttributeValues: {
              ':now': { N: String(request.now) },
              ':visibleUntil': { N: String(request.visibleUntil) },
              ':token': { S: request.leaseToken },
              ':one': { N: '1' },
              ...(purged ? { ':purgedAt': { N: String(request.purgedAt) } } : {}),
              ...(limited ? { ':max': { N: String(request.maxReceiveCount) } } : {}),
            },
            ReturnValues: 'ALL_NEW',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      );
      const item = out.Attributes!;
      const body = await this.readBody(request.queueId, item, { required: true });
      return { status: 'leased', message: itemToMessage(item, body) };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const old = error.Item as Item | undefined;
      if (!old || isTombstone(old)) return { status: 'gone' };
      const times = { expiresAt: Number(old.x?.N), sentAt: Number(old.s?.N) };
      if (undeliverable(request, times, request.now)) return { status: 'undeliverable' };
      const visible = Number(old.v?.N) <= request.now;
      if (limited && visible && Number(old.rc?.N) >= request.maxReceiveCount!) return { status: 'exhausted' };
      return { status: 'unavailable' };
    }
  }

  async removeUndeliverable(queueId: string, messageId: string, now: number, purgedAt?: number) {
    const purged = purgedAt !== undefined;
    try {
      const out = await this.run('removeUndeliverable', (capacity) =>
        this.client.send(
          new DeleteItemCommand({
            ...capacity,
            TableName: this.messages,
            Key: messageKey(queueId, messageId),
            ConditionExpression: conditions.undeliverable(purged),
            ExpressionAttributeValues: {
              ':now': { N: String(now) },
              ...(purged ? { ':purgedAt': { N: String(purgedAt) } } : {}),
            },
            ReturnValues: 'ALL_OLD',
          }),
        ),
      );
      await this.deleteParts('deleteParts', queueId, [out.Attributes]);
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  /**
   * Turns the message into a tombstone (see items.ts) if the caller holds its lease. A delete that
   * finds a tombstone changes nothing and answers 'gone' (the caller still succeeds, counted once),
   * unless the tombstone is this very call's: an SDK retry after a lost response finds its own
   * delete id there (the same handle deleted twice in one batch, at the same millisecond, must
   * still count once, so the time alone would not do).
   */
  async deleteMessage(queueId: string, messageId: string, leaseToken: string): Promise<DeleteOutcome> {
    const deleteId = randomBytes(9).toString('base64url');
    const tombstone = tombstoneUpdate(Date.now(), deleteId);
    try {
      const out = await this.run('deleteMessage', (capacity) =>
        this.client.send(
          new UpdateItemCommand({
            ...capacity,
            TableName: this.messages,
            Key: messageKey(queueId, messageId),
            ConditionExpression: conditions.holdsLease,
            UpdateExpression: tombstone.UpdateExpression,
            ExpressionAttributeNames: tombstone.ExpressionAttributeNames,
            ExpressionAttributeValues: { ':token': { S: leaseToken }, ...tombstone.values },
            ReturnValues: 'ALL_OLD',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      );
      await this.deleteParts('deleteParts', queueId, [out.Attributes]);
      return 'deleted';
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const old = error.Item as Item | undefined;
      if (!old) return 'gone';
      if (!isTombstone(old)) return 'stale';
      if (old.zi?.S !== deleteId) return 'gone';
      // This call's own tombstone: the first attempt was applied and its response lost, so its
      // body parts were never removed.
      await this.deleteParts('deleteParts', queueId, [old]);
      return 'deleted';
    }
  }

  /**
   * Batch delete: one conditional DeleteItem per message, in parallel (one round trip of
   * latency). An unconditional batch write could land after its lease ran out, when another
   * receiver holds the message (the chaos run showed SDK retries delaying it that long).
   */
  async deleteMessages(requests: DeleteRequest[]): Promise<DeleteOutcome[]> {
    return Promise.all(requests.map((r) => this.deleteMessage(r.queueId, r.messageId, r.leaseToken)));
  }

  async changeVisibility(request: VisibilityRequest): Promise<VisibilityOutcome> {
    try {
      await this.run('changeVisibility', (capacity) =>
        this.client.send(
          new UpdateItemCommand({
            ...capacity,
            TableName: this.messages,
            Key: messageKey(request.queueId, request.messageId),
            ConditionExpression: conditions.holdsLiveLease,
            UpdateExpression: setVisibility,
            ExpressionAttributeValues: {
              ':token': { S: request.leaseToken },
              ':now': { N: String(request.now) },
              ':visibleAt': { N: String(request.visibleAt) },
              ':earliestReceive': { N: String(request.visibleAt - limits.maxLeaseMs) },
            },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      );
      return 'changed';
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const old = error.Item as Item | undefined;
      return visibilityFailure(isTombstone(old) ? undefined : old, {
        token: request.leaseToken,
        now: request.now,
        visibleAt: request.visibleAt,
      });
    }
  }

  /**
   * Counts from the ready index (keys and receive counts only, so reads are cheap), two queries
   * per shard: visible ones, and the rest split by whether they were ever received.
   */
  async countMessages(queueId: string, shardCount: number, now: number): Promise<MessageCountsResult> {
    const perShard = await Promise.all(
      Array.from({ length: shardCount }, async (_, shard) => {
        const visibleNow = visibleInShard(queueId, shard, now);
        const visible = await this.countPages({ TableName: this.messages, ...visibleNow, Select: 'COUNT' });
        const hidden = await this.countPages({
          TableName: this.messages,
          ...visibleNow,
          KeyConditionExpression: 'g = :g AND v > :now',
          FilterExpression: filters.everReceived,
          ExpressionAttributeValues: { ...visibleNow.ExpressionAttributeValues, ':zero': { N: '0' } },
          Select: 'COUNT',
        });
        return { visible: visible.count, inFlight: hidden.count, delayed: hidden.scanned - hidden.count };
      }),
    );
    return perShard.reduce(
      (sum, s) => ({
        visible: sum.visible + s.visible,
        inFlight: sum.inFlight + s.inFlight,
        delayed: sum.delayed + s.delayed,
      }),
      noMessages(),
    );
  }

  async purgeMessages(queueId: string, shardCount: number, budgetMs: number) {
    const deadline = Date.now() + budgetMs;
    let removed = 0;
    for (let shard = 0; shard < shardCount; shard++) {
      let startKey: Item | undefined;
      do {
        if (Date.now() > deadline) return { removed, done: false };
        const out = await this.run('purgeMessages', (capacity) =>
          this.client.send(
            new QueryCommand({
              ...capacity,
              TableName: this.messages,
              IndexName: readyIndexName,
              KeyConditionExpression: 'g = :g',
              ExpressionAttributeValues: { ':g': { S: readyPartition(queueId, shard) } },
              ProjectionExpression: 'pk, p',
              Limit: 500,
              ...(startKey ? { ExclusiveStartKey: startKey } : {}),
            }),
          ),
        );
        const deletions = (out.Items ?? []).flatMap((item) => {
          const messageId = messageIdOf(item.pk!.S!);
          const parts = Array.from({ length: partCount(item) }, (_, n) => partKey(queueId, messageId, n));
          return [messageKey(queueId, messageId), ...parts].map((Key) => ({ DeleteRequest: { Key } }));
        });
        await this.writeAll('purgeMessages', deletions);
        removed += out.Items?.length ?? 0;
        startKey = out.LastEvaluatedKey;
      } while (startKey);
    }
    return { removed, done: true };
  }

  private async countPages(input: QueryCommandInput): Promise<{ count: number; scanned: number }> {
    let count = 0;
    let scanned = 0;
    let startKey: Item | undefined;
    do {
      const out = await this.run('countMessages', (capacity) =>
        this.client.send(
          new QueryCommand({ ...capacity, ...input, ...(startKey ? { ExclusiveStartKey: startKey } : {}) }),
        ),
      );
      count += out.Count ?? 0;
      scanned += out.ScannedCount ?? 0;
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return { count, scanned };
  }
}
