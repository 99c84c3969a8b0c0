import {
  type AttributeValue,
  DeleteItemCommand,
  GetItemCommand,
  QueryCommand,
  type TransactWriteItem,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { QueueError } from '../queue/errors';
import { limits } from '../queue/limits';
import type {
  AppendOutcome,
  AppendRequest,
  AttemptClaim,
  DeliveryRequest,
  FifoMessage,
  FifoMessageRef,
  FifoPurgeRequest,
  FifoStore,
  FifoTransfer,
  GroupLeaseRequest,
  GroupVisibilityRequest,
  MoveOutcome,
  ReceiveAttempt,
  ReleaseRequest,
  RetireRequest,
} from '../queue/ports/fifo-store';
import type { DeleteOutcome, VisibilityOutcome } from '../queue/ports/queue-store';
import { conditionFailed, contended, DynamoBase, type DynamoStoreOptions } from './base';
import {
  conditions,
  filters,
  groupConditions,
  groupUpdates,
  setVisibility,
  takeLease,
  visibilityFailure,
} from './conditions';
import { countedGroupsLimit, countFifoMessages, purgeFifoMessages, transferFifoMessage } from './fifo-admin';
import { claimAttempt, dropAttempt, finishAttempt, getAttempt } from './fifo-attempts';
import {
  dedupKey,
  fifoMessageItems,
  fifoMessageKey,
  groupIdOf,
  groupKey,
  groupMessagesPartition,
  groupReadyPartition,
  itemToFifoMessage,
} from './fifo-items';
import type { Item } from './items';
import { isConditionFailure } from './sdk-errors';
import { readyIndexName } from './table-layout';

const N = (n: number): AttributeValue => ({ N: String(n) });
const S = (s: string): AttributeValue => ({ S: s });

/** The DynamoDB adapter of the FIFO storage port. */
export class DynamoFifoStore extends DynamoBase implements FifoStore {
  constructor(
    options: DynamoStoreOptions,
    /** How many groups' partitions a count reads at most (tests lower it). */
    private readonly countedGroups = countedGroupsLimit,
  ) {
    super(options);
  }

  async lastSequence(queueId: string, groupId: string) {
    const out = await this.run('fifoLastSequence', (c) =>
      this.client.send(
        new GetItemCommand({
          ...c,
          TableName: this.messages,
          Key: groupKey(queueId, groupId),
          ProjectionExpression: 'sn',
        }),
      ),
    );
    return out.Item?.sn?.S;
  }

  async append(request: AppendRequest): Promise<AppendOutcome> {
    const { queue, groupId, entries, now, after } = request;
    const built = entries.map(({ message }) => fifoMessageItems(message));
    const withParts = built.filter((b) => b.parts.length > 0).map((b) => b.item);
    // Body parts first: a message item is only ever readable with its whole body in place.
    const parts = built.flatMap((b) => b.parts.map((Item) => ({ PutRequest: { Item } })));
    if (parts.length > 0 && (await this.writeAll('fifoPutParts', parts)).size > 0) {
      await this.deleteParts('fifoDeleteParts', queue.id, withParts);
      throw new QueueError('ServiceUnavailable', 'The message could not be stored; send it again');
    }
    const windowEnd = now + limits.deduplicationWindowMs;
    const actions: TransactWriteItem[] = entries.flatMap(({ message, deduplicationScope }, n) => [
      {
        Put: {
          TableName: this.messages,
          Item: built[n]!.item,
          ConditionExpression: conditions.itemAbsent,
        },
      },
      {
        Put: {
          TableName: this.messages,
          Item: {
            ...dedupKey(
              queue.id,
              message.deduplicationId,
              deduplicationScope === 'messageGroup' ? groupId : undefined,
            ),
            mi: S(message.id),
            sn: S(message.sequenceNumber),
            x: N(windowEnd),
            ttl: N(Math.ceil(windowEnd / 1000)),
          },
          ConditionExpression: groupConditions.deduplicationFree,
          ExpressionAttributeValues: { ':now': N(now) },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
    ]);
    const last = entries.at(-1)!.message;
    actions.push({
      Update: {
        TableName: this.messages,
        Key: groupKey(queue.id, groupId),
        UpdateExpression: groupUpdates.append,
        ConditionExpression: groupConditions.follows(after),
        ExpressionAttributeNames: { '#ttl': 'ttl' },
        ExpressionAttributeValues: {
          ':last': S(last.sequenceNumber),
          ':g': S(groupReadyPartition(queue.id, request.shard)),
          ':visibleAt': N(entries[0]!.message.visibleAt),
          ':expiresAt': N(entries[0]!.message.expiresAt),
          // The group outlives its last message by a day; when it goes, numbers still increase.
          ':ttl': N(Math.ceil(last.expiresAt / 1000) + 86_400),
          ...(after === undefined ? {} : { ':after': S(after) }),
        },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    });
    const result = await this.transact('fifoAppend', actions);
    if (result.ok) return { status: 'appended' };
    await this.deleteParts('fifoDeleteParts', queue.id, withParts);
    if (contended(result.reasons)) return { status: 'contention' };
    const duplicates = new Map<number, { messageId: string; sequenceNumber: string }>();
    let slotTaken = false;
    entries.forEach((_, n) => {
      if (conditionFailed(result.reasons[2 * n])) slotTaken = true;
      const reason = result.reasons[2 * n + 1];
      if (conditionFailed(reason) && reason?.Item) {
        duplicates.set(n, { messageId: reason.Item.mi!.S!, sequenceNumber: reason.Item.sn!.S! });
      }
    });
    const group = result.reasons.at(-1);
    const groupMoved = conditionFailed(group) || slotTaken;
    if (duplicates.size === 0 && !groupMoved) {
      throw new QueueError('ServiceUnavailable', 'The message could not be stored; send it again');
    }
    return { status: 'rejected', duplicates, groupMoved, lastSequence: group?.Item?.sn?.S };
  }

  findAvailableGroups(queueId: string, shard: number, now: number, limit: number, cursor?: string) {
    return this.queryGroups('fifoFindGroups', queueId, shard, now, limit, cursor);
  }

  findExpiringGroups(queueId: string, shard: number, now: number, limit: number, cursor?: string) {
    return this.queryGroups(
      'fifoFindExpiringGroups',
      queueId,
      shard,
      now,
      limit,
      cursor,
      filters.groupExpiring,
    );
  }

  async leaseGroup(request: GroupLeaseRequest) {
    try {
      const out = await this.run('fifoLeaseGroup', (c) =>
        this.client.send(
          new UpdateItemCommand({
            ...c,
            TableName: this.messages,
            Key: groupKey(request.queueId, request.groupId),
            ConditionExpression: groupConditions.available,
            UpdateExpression: groupUpdates.lease,
            ExpressionAttributeValues: {
              ':now': N(request.now),
              ':leaseEnd': N(request.leaseEnd),
              ':token': S(request.token),
            },
            ReturnValues: 'ALL_NEW',
          }),
        ),
      );
      const tidyAt = out.Attributes!.x?.N;
      return { lastSequence: out.Attributes!.sn!.S!, ...(tidyAt ? { tidyAt: Number(tidyAt) } : {}) };
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  async readGroup(queueId: string, groupId: string, limit: number, after?: string) {
    const items = await this.queryGroup(queueId, groupId, limit, after);
    const bodies = await this.readBodies(queueId, items);
    return items.map((item) => itemToFifoMessage(item, queueId, bodies.get(item.mi!.S!)));
  }

  async peekGroup(queueId: string, groupId: string) {
    const [item] = await this.queryGroup(queueId, groupId, 1);
    return item ? itemToFifoMessage(item, queueId) : undefined;
  }

  async getMessage(queueId: string, groupId: string, sequenceNumber: string) {
    const out = await this.run('fifoGetMessage', (c) =>
      this.client.send(
        new GetItemCommand({
          ...c,
          TableName: this.messages,
          Key: fifoMessageKey(queueId, groupId, sequenceNumber),
          ConsistentRead: true,
        }),
      ),
    );
    if (!out.Item) return undefined;
    const bodies = await this.readBodies(queueId, [out.Item]);
    return itemToFifoMessage(out.Item, queueId, bodies.get(out.Item.mi!.S!));
  }

  async markDelivered(request: DeliveryRequest) {
    const { message } = request;
    try {
      await this.run('fifoMarkDelivered', (c) =>
        this.client.send(
          new UpdateItemCommand({
            ...c,
            TableName: this.messages,
            Key: fifoMessageKey(message.queueId, message.groupId, message.sequenceNumber),
            ConditionExpression: groupConditions.unchanged,
            UpdateExpression: takeLease,
            ExpressionAttributeValues: {
              ':rc': N(message.receiveCount),
              ':visibleUntil': N(request.leaseEnd),
              ':token': S(request.token),
              ':one': N(1),
              ':now': N(request.now),
            },
          }),
        ),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async removeMessage(message: FifoMessage) {
    try {
      const out = await this.run('fifoRemoveMessage', (c) =>
        this.client.send(
          new DeleteItemCommand({
            ...c,
            TableName: this.messages,
            Key: fifoMessageKey(message.queueId, message.groupId, message.sequenceNumber),
            ConditionExpression: groupConditions.unchanged,
            ExpressionAttributeValues: { ':rc': N(message.receiveCount) },
            ReturnValues: 'ALL_OLD',
          }),
        ),
      );
      if (out.Attributes) await this.deleteParts('fifoDeleteParts', message.queueId, [out.Attributes]);
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  releaseGroup(request: ReleaseRequest) {
    const { oldestExpiry } = request;
    return this.updateGroup(
      'fifoReleaseGroup',
      request,
      groupConditions.holdsLease,
      oldestExpiry === undefined ? groupUpdates.release : groupUpdates.releaseWithExpiry,
      {
        ':at': N(request.availableAt),
        ...(oldestExpiry === undefined ? {} : { ':expiresAt': N(oldestExpiry) }),
      },
    );
  }

  retireGroup(request: RetireRequest) {
    return this.updateGroup('fifoRetireGroup', request, groupConditions.emptySince, groupUpdates.retire, {
      ':last': S(request.lastSequence),
    });
  }

  async tidyGroupAt(request: { queueId: string; groupId: string; token: string; at: number }) {
    await this.updateGroup('fifoTidyGroupAt', request, groupConditions.holdsLease, groupUpdates.tidyAt, {
      ':at': N(request.at),
    });
  }

  async setGroupExpiry(queueId: string, groupId: string, oldestExpiry: number) {
    try {
      await this.run('fifoSetGroupExpiry', (c) =>
        this.client.send(
          new UpdateItemCommand({
            ...c,
            TableName: this.messages,
            Key: groupKey(queueId, groupId),
            ConditionExpression: groupConditions.inReadyIndex,
            UpdateExpression: groupUpdates.setExpiry,
            ExpressionAttributeValues: { ':expiresAt': N(oldestExpiry) },
          }),
        ),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async deleteMessage(request: FifoMessageRef): Promise<DeleteOutcome> {
    try {
      const out = await this.run('fifoDeleteMessage', (c) =>
        this.client.send(
          new DeleteItemCommand({
            ...c,
            TableName: this.messages,
            Key: fifoMessageKey(request.queueId, request.groupId, request.sequenceNumber),
            ConditionExpression: groupConditions.holdsLease,
            ExpressionAttributeValues: { ':token': S(request.token) },
            ReturnValues: 'ALL_OLD',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      );
      if (out.Attributes) await this.deleteParts('fifoDeleteParts', request.queueId, [out.Attributes]);
      return 'deleted';
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return error.Item ? 'stale' : 'gone';
    }
  }

  async changeGroupVisibility(request: GroupVisibilityRequest): Promise<VisibilityOutcome> {
    try {
      await this.run('fifoChangeVisibility', (c) =>
        this.client.send(
          new UpdateItemCommand({
            ...c,
            TableName: this.messages,
            Key: groupKey(request.queueId, request.groupId),
            ConditionExpression: groupConditions.holdsLiveLease,
            UpdateExpression: setVisibility,
            ExpressionAttributeValues: {
              ':token': S(request.token),
              ':now': N(request.now),
              ':visibleAt': N(request.visibleAt),
              ':earliest': N(request.visibleAt - limits.maxLeaseMs),
            },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      );
      return 'changed';
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return visibilityFailure(error.Item as Item | undefined, {
        token: request.token,
        now: request.now,
        visibleAt: request.visibleAt,
      });
    }
  }

  claimAttempt(claim: AttemptClaim) {
    return claimAttempt(this, claim);
  }

  finishAttempt(queueId: string, token: string, attempt: ReceiveAttempt) {
    return finishAttempt(this, queueId, token, attempt);
  }

  dropAttempt(queueId: string, attemptId: string, token: string) {
    return dropAttempt(this, queueId, attemptId, token);
  }

  getAttempt(queueId: string, attemptId: string, now: number) {
    return getAttempt(this, queueId, attemptId, now);
  }

  transferMessage(request: FifoTransfer): Promise<MoveOutcome> {
    return transferFifoMessage(this, request);
  }

  countMessages(queueId: string, shardCount: number, now: number) {
    return countFifoMessages(this, queueId, shardCount, now, this.countedGroups);
  }

  purgeMessages(request: FifoPurgeRequest) {
    return purgeFifoMessages(this, request);
  }

  private async queryGroups(
    operation: string,
    queueId: string,
    shard: number,
    now: number,
    limit: number,
    cursor: string | undefined,
    filter?: string,
  ) {
    const out = await this.run(operation, (c) =>
      this.client.send(
        new QueryCommand({
          ...c,
          TableName: this.messages,
          IndexName: readyIndexName,
          KeyConditionExpression: 'g = :g AND v <= :now',
          ...(filter ? { FilterExpression: filter } : {}),
          ExpressionAttributeValues: { ':g': S(groupReadyPartition(queueId, shard)), ':now': N(now) },
          ProjectionExpression: 'pk',
          Limit: limit,
          ...(cursor
            ? { ExclusiveStartKey: JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) }
            : {}),
        }),
      ),
    );
    const next = out.LastEvaluatedKey;
    return {
      groupIds: (out.Items ?? []).map((item) => groupIdOf(item.pk!.S!)),
      ...(next ? { cursor: Buffer.from(JSON.stringify(next)).toString('base64url') } : {}),
    };
  }

  private async queryGroup(queueId: string, groupId: string, limit: number, after?: string): Promise<Item[]> {
    const out = await this.run('fifoReadGroup', (c) =>
      this.client.send(
        new QueryCommand({
          ...c,
          TableName: this.messages,
          KeyConditionExpression: after === undefined ? 'pk = :pk' : 'pk = :pk AND sk > :after',
          ExpressionAttributeValues: {
            ':pk': S(groupMessagesPartition(queueId, groupId)),
            ...(after === undefined ? {} : { ':after': S(after) }),
          },
          ConsistentRead: true,
          Limit: limit,
        }),
      ),
    );
    return out.Items ?? [];
  }

  private async updateGroup(
    operation: string,
    request: { queueId: string; groupId: string; token: string },
    condition: string,
    update: string,
    values: Record<string, AttributeValue>,
  ): Promise<boolean> {
    try {
      await this.run(operation, (c) =>
        this.client.send(
          new UpdateItemCommand({
            ...c,
            TableName: this.messages,
            Key: groupKey(request.queueId, request.groupId),
            ConditionExpression: condition,
            UpdateExpression: update,
            ExpressionAttributeValues: { ':token': S(request.token), ...values },
          }),
        ),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
