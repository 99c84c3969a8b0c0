import { type AttributeValue, DeleteItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { limits } from '../queue/limits';
import type {
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
  PromoteRequest,
  ReceiveAttempt,
  ReleaseRequest,
  RetireRequest,
  ScheduleRequest,
} from '../queue/ports/fifo-store';
import type { DeleteOutcome, VisibilityOutcome } from '../queue/ports/queue-store';
import { DynamoBase, type DynamoStoreOptions } from './base';
import { groupConditions, groupUpdates, setVisibility, takeLease, visibilityFailure } from './conditions';
import { append, lastSequence } from './fifo-append';
import { findAvailableGroupsOrNext, findDueScheduledOrNext } from './fifo-arrivals';
import { claimAttempt, dropAttempt, finishAttempt, getAttempt } from './fifo-attempts';
import { countedGroupsLimit, countFifoMessages } from './fifo-counts';
import { fifoMessageKey, groupKey } from './fifo-items';
import { purgeFifoMessages } from './fifo-purge';
import { findAvailableGroups, findExpiringGroups, getMessage, peekGroup, readGroup } from './fifo-reads';
import { findDueScheduled, promoteScheduled, putScheduled } from './fifo-schedule';
import { transferFifoMessage } from './fifo-transfers';
import type { Item } from './items';
import { isConditionFailure } from './sdk-errors';

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

  putScheduled(request: ScheduleRequest) {
    return putScheduled(this, request);
  }

  findDueScheduled(queueId: string, now: number, limit: number) {
    return findDueScheduled(this, queueId, now, limit);
  }

  findDueScheduledOrNext(queueId: string, now: number, limit: number) {
    return findDueScheduledOrNext(this, queueId, now, limit);
  }

  promoteScheduled(request: PromoteRequest) {
    return promoteScheduled(this, request);
  }

  lastSequence(queueId: string, groupId: string) {
    return lastSequence(this, queueId, groupId);
  }

  append(request: AppendRequest) {
    return append(this, request);
  }

  findAvailableGroups(queueId: string, shard: number, now: number, limit: number, cursor?: string) {
    return findAvailableGroups(this, queueId, shard, now, limit, cursor);
  }

  findAvailableGroupsOrNext(queueId: string, shard: number, now: number, limit: number) {
    return findAvailableGroupsOrNext(this, queueId, shard, now, limit);
  }

  findExpiringGroups(queueId: string, shard: number, now: number, limit: number, cursor?: string) {
    return findExpiringGroups(this, queueId, shard, now, limit, cursor);
  }

  readGroup(queueId: string, groupId: string, limit: number, after?: string) {
    return readGroup(this, queueId, groupId, limit, after);
  }

  peekGroup(queueId: string, groupId: string) {
    return peekGroup(this, queueId, groupId);
  }

  getMessage(queueId: string, groupId: string, sequenceNumber: string) {
    return getMessage(this, queueId, groupId, sequenceNumber);
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
            ConditionExpression: request.anyLease ? groupConditions.stillQueued : groupConditions.holdsLease,
            ...(request.anyLease ? {} : { ExpressionAttributeValues: { ':token': S(request.token) } }),
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
            ConditionExpression: request.anyLease
              ? groupConditions.queuedWithinLimit
              : groupConditions.holdsLiveLease,
            UpdateExpression: setVisibility,
            ExpressionAttributeValues: {
              ...(request.anyLease ? {} : { ':token': S(request.token), ':now': N(request.now) }),
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
        ...(request.anyLease ? { anyLease: true } : {}),
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

  countMessages(queueId: string, shardCount: number, now: number, purgedAt?: number) {
    return countFifoMessages(this, queueId, shardCount, now, this.countedGroups, purgedAt);
  }

  purgeMessages(request: FifoPurgeRequest) {
    return purgeFifoMessages(this, request);
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
