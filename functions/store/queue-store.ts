import { randomBytes } from 'node:crypto';
import { DeleteItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { IdleMark } from '../queue/arrivals';
import { limits } from '../queue/limits';
import type { QueueRecord, QueueRef, StoredMessage } from '../queue/model';
import type {
  DeleteOutcome,
  DeleteRequest,
  LeaseOutcome,
  LeaseRequest,
  ListQueuesQuery,
  QueueStore,
  VisibilityOutcome,
  VisibilityRequest,
} from '../queue/ports/queue-store';
import { undeliverable } from '../queue/states';
import { bumpArrivalTick, findVisibleOrNext, markQueueIdle, readArrivalTick } from './arrival-ticks';
import { DynamoBase } from './base';
import { keyString } from './batch';
import { conditions, setVisibility, takeLease, visibilityFailure } from './conditions';
import { readCounters, startCounters } from './counter-reads';
import { type Item, isTombstone, itemToMessage, messageKey, tombstoneUpdate } from './items';
import { addPriorities } from './priority-records';
import { recordPurgeProgress, removePurgedHidden, removePurgedMessages } from './purge-store';
import { createQueue, deleteQueue, getQueue, listQueues, updateQueue } from './queue-records';
import { countMessages, findVisible, oldestVisibleSince, purgeMessages } from './ready-index';
import { cancelScheduled } from './schedule-store';
import { isConditionFailure } from './sdk-errors';

/**
 * The DynamoDB adapter of the queue's storage port. Here: a standard message's life (written
 * once, leased, deleted as a tombstone, its visibility changed), each by one conditional write.
 * Queue records (queue-records.ts) and reads of the ready index (ready-index.ts) live beside it.
 */
export class DynamoQueueStore extends DynamoBase implements QueueStore {
  createQueue(queue: QueueRecord) {
    return createQueue(this, queue);
  }

  getQueue(ref: QueueRef) {
    return getQueue(this, ref);
  }

  updateQueue(queue: QueueRecord) {
    return updateQueue(this, queue);
  }

  deleteQueue(ref: QueueRef) {
    return deleteQueue(this, ref);
  }

  listQueues(query: ListQueuesQuery) {
    return listQueues(this, query);
  }

  addPriorities(queue: QueueRecord, priorities: number[]) {
    return addPriorities(this, queue, priorities);
  }

  findVisible(queueId: string, shard: number, now: number, limit: number) {
    return findVisible(this, queueId, shard, now, limit);
  }

  findVisibleOrNext(queueId: string, shard: number, now: number, limit: number) {
    return findVisibleOrNext(this, queueId, shard, now, limit);
  }

  readArrivalTick(queueId: string) {
    return readArrivalTick(this, queueId);
  }

  markQueueIdle(queueId: string, mark: IdleMark) {
    return markQueueIdle(this, queueId, mark);
  }

  bumpArrivalTick(queueId: string, now: number, shard?: number) {
    return bumpArrivalTick(this, queueId, now, shard);
  }

  oldestVisibleSince(queueId: string, shard: number, now: number) {
    return oldestVisibleSince(this, queueId, shard, now);
  }

  countMessages(queueId: string, shards: readonly number[], now: number) {
    return countMessages(this, queueId, shards, now);
  }

  readCounters(queueId: string, epoch: number, now: number) {
    return readCounters(this, queueId, epoch, now);
  }

  startCounters(queueId: string, epoch: number) {
    return startCounters(this, queueId, epoch);
  }

  purgeMessages(queueId: string, shards: readonly number[], budgetMs: number) {
    return purgeMessages(this, queueId, shards, budgetMs);
  }

  async putMessages(messages: StoredMessage[]) {
    const items = messages.map((m) => ({ ...this.toItems(m), queueId: m.queueId, id: m.id }));
    // Body parts (and body-store objects) first: a message item is only ever visible with its
    // whole body in place.
    const partRequests = items.flatMap((m) => m.parts.map((Item) => ({ PutRequest: { Item } })));
    await this.putObjects(items);
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

  async removeUndeliverable(
    queueId: string,
    messageId: string,
    now: number,
    purgedAt?: number,
  ): Promise<'expired' | 'purged' | undefined> {
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
      return Number(out.Attributes?.x?.N) <= now ? 'expired' : 'purged';
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return undefined;
    }
  }

  /** The purge's background removal and its bookkeeping: see purge-store.ts. */
  async removePurgedHidden(queue: QueueRecord, now: number, budgetMs: number) {
    const removed = await removePurgedHidden(this, queue, now, budgetMs);
    if (removed > 0) await recordPurgeProgress(this, queue, null, removed);
    return removed;
  }

  async notePurgedRemoved(queue: QueueRecord, count: number) {
    await recordPurgeProgress(this, queue, null, count);
  }

  cancelScheduled(queueId: string, messageId: string, now: number) {
    return cancelScheduled(this, queueId, messageId, now);
  }

  removePurgedMessages(queue: QueueRecord, budgetMs: number) {
    return removePurgedMessages(this, queue, budgetMs);
  }

  /**
   * Turns the message into a tombstone (see items.ts) if the caller holds its lease. A delete that
   * finds a tombstone changes nothing and answers 'gone' (the caller still succeeds, counted once),
   * unless the tombstone is this very call's: an SDK retry after a lost response finds its own
   * delete id there (the same handle deleted twice in one batch, at the same millisecond, must
   * still count once, so the time alone would not do).
   */
  async deleteMessage(
    queueId: string,
    messageId: string,
    leaseToken: string,
    anyLease = false,
  ): Promise<DeleteOutcome> {
    const deleteId = randomBytes(9).toString('base64url');
    const tombstone = tombstoneUpdate(Date.now(), deleteId);
    try {
      const out = await this.run('deleteMessage', (capacity) =>
        this.client.send(
          new UpdateItemCommand({
            ...capacity,
            TableName: this.messages,
            Key: messageKey(queueId, messageId),
            ConditionExpression: anyLease ? conditions.stillQueued : conditions.holdsLease,
            UpdateExpression: tombstone.UpdateExpression,
            ExpressionAttributeNames: tombstone.ExpressionAttributeNames,
            ExpressionAttributeValues: {
              ...(anyLease ? {} : { ':token': { S: leaseToken } }),
              ...tombstone.values,
            },
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
    return Promise.all(
      requests.map((r) => this.deleteMessage(r.queueId, r.messageId, r.leaseToken, r.anyLease)),
    );
  }

  async changeVisibility(request: VisibilityRequest): Promise<VisibilityOutcome> {
    try {
      await this.run('changeVisibility', (capacity) =>
        this.client.send(
          new UpdateItemCommand({
            ...capacity,
            TableName: this.messages,
            Key: messageKey(request.queueId, request.messageId),
            ConditionExpression: request.anyLease
              ? conditions.stillQueuedWithinLimit
              : conditions.holdsLiveLease,
            UpdateExpression: setVisibility,
            ExpressionAttributeValues: {
              ...(request.anyLease
                ? {}
                : { ':token': { S: request.leaseToken }, ':now': { N: String(request.now) } }),
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
        ...(request.anyLease ? { anyLease: true } : {}),
      });
    }
  }
}
