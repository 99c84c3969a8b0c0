import {
  type AttributeValue,
  GetItemCommand,
  QueryCommand,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { QueueError } from '../queue/errors';
import { limits } from '../queue/limits';
import type {
  DueScheduled,
  PromoteOutcome,
  PromoteRequest,
  ScheduleOutcome,
  ScheduleRequest,
} from '../queue/ports/fifo-store';
import { conditionFailed, contended, type DynamoBase } from './base';
import { conditions, groupConditions, groupUpdates } from './conditions';
import { scheduleConditions } from './conditions-schedule';
import { dedupKey, fifoMessageKey, groupKey, groupReadyPartition } from './fifo-items';
import { type Item, messageIdOf, messageKey, messageToItems, queueKey, tombstoneUpdate } from './items';
import { schedulePartition } from './schedule-store';
import { readyIndexName } from './table-layout';

const N = (n: number): AttributeValue => ({ N: String(n) });
const S = (s: string): AttributeValue => ({ S: s });

/**
 * Scheduled messages of FIFO queues. Until it is due, a scheduled message is an item of its own
 * (`m#<queue id>#<message id>`, as a standard message) in the queue's schedule partition of the
 * ready index, sorted by `v`, so it is no part of its group and holds nothing up there. When due,
 * one transaction moves it into its group: the item becomes a tombstone that keeps the sequence
 * number it took (`zp`; a cancel then answers "not scheduled"), the group gets the message with
 * that number and its last number moves on, conditional on the number it followed.
 */

/**
 * The send: the item and its deduplication id in one transaction (so a repeat within 5 minutes is
 * a duplicate, scheduled or not), and the first time, the queue's `sch` mark that tells receives
 * to look at the schedule partition.
 */
export async function putScheduled(base: DynamoBase, request: ScheduleRequest): Promise<ScheduleOutcome> {
  const { queue, message, now } = request;
  const { message: built, parts } = messageToItems({ ...message, shard: 0 });
  const item: Item = {
    ...built,
    g: S(schedulePartition(queue.id)),
    gi: S(message.groupId),
    dd: S(message.deduplicationId),
  };
  if (
    parts.length > 0 &&
    (
      await base.writeAll(
        'fifoPutParts',
        parts.map((Item) => ({ PutRequest: { Item } })),
      )
    ).size > 0
  ) {
    // Parts written so far expire with their TTL.
    throw unstored();
  }
  const windowEnd = now + limits.deduplicationWindowMs;
  const actions: TransactWriteItem[] = [
    { Put: { TableName: base.messages, Item: item, ConditionExpression: conditions.itemAbsent } },
    {
      Put: {
        TableName: base.messages,
        Item: {
          ...dedupKey(
            queue.id,
            message.deduplicationId,
            request.deduplicationScope === 'messageGroup' ? message.groupId : undefined,
          ),
          mi: S(message.id),
          sn: S(''),
          x: N(windowEnd),
          ttl: N(Math.ceil(windowEnd / 1000)),
        },
        ConditionExpression: groupConditions.deduplicationFree,
        ExpressionAttributeValues: { ':now': N(now) },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    },
  ];
  if (request.markQueue) {
    actions.push({
      Update: {
        TableName: base.messages,
        Key: queueKey(queue.ref),
        UpdateExpression: 'SET sch = :true',
        ConditionExpression: conditions.sameQueueIncarnation,
        ExpressionAttributeValues: { ':true': { BOOL: true }, ':id': S(queue.id) },
      },
    });
  }
  const result = await base.transact('fifoSchedule', actions);
  if (result.ok) return { status: 'stored' };
  await base.deleteParts('fifoDeleteParts', queue.id, [item]);
  const dedup = result.reasons[1];
  if (conditionFailed(dedup) && dedup?.Item) {
    return { status: 'duplicate', messageId: dedup.Item.mi!.S!, sequenceNumber: dedup.Item.sn?.S ?? '' };
  }
  throw unstored();
}

const unstored = () => new QueueError('ServiceUnavailable', 'The message could not be stored; send it again');

/** Scheduled messages due at `now`, earliest first (the index: eventually consistent). */
export async function findDueScheduled(
  base: DynamoBase,
  queueId: string,
  now: number,
  limit: number,
): Promise<DueScheduled[]> {
  const out = await base.run('fifoFindDue', (capacity) =>
    base.client.send(
      new QueryCommand({
        ...capacity,
        TableName: base.messages,
        IndexName: readyIndexName,
        KeyConditionExpression: 'g = :g AND v <= :now',
        ExpressionAttributeValues: { ':g': S(schedulePartition(queueId)), ':now': N(now) },
        ProjectionExpression: 'pk, v',
        Limit: limit,
      }),
    ),
  );
  return (out.Items ?? []).map((entry) => ({
    messageId: messageIdOf(entry.pk!.S!),
    visibleAt: Number(entry.v!.N),
  }));
}

/**
 * Moves a due scheduled message into its group with `sequenceNumber`, after `after`. Reads the
 * item first (strongly consistent: its group, body and attributes go into the group's item).
 */
export async function promoteScheduled(base: DynamoBase, request: PromoteRequest): Promise<PromoteOutcome> {
  const { queue, messageId, now } = request;
  const key = messageKey(queue.id, messageId);
  const read = await base.run('fifoReadScheduled', (capacity) =>
    base.client.send(
      new GetItemCommand({ ...capacity, TableName: base.messages, Key: key, ConsistentRead: true }),
    ),
  );
  const item = read.Item;
  if (!item || item.z !== undefined || Number(item.v?.N) > now) return { status: 'gone' };
  const groupId = item.gi!.S!;
  const sentAt = Number(item.s!.N);
  const expiresAt = Number(item.x!.N);
  // Past retention or purged before it joined its group: it goes without joining.
  if (expiresAt <= now || (queue.purgedAt !== undefined && sentAt <= queue.purgedAt)) {
    await base.commit('fifoRemoveScheduled', [retire(base.messages, key, now)]);
    return { status: 'gone' };
  }
  const { after: last, sequenceNumber, shard } = await request.place(groupId);
  const { pk: _pk, sk: _sk, g: _g, gi: _gi, ...attributes } = item;
  const moved: Item = {
    ...fifoMessageKey(queue.id, groupId, sequenceNumber),
    ...attributes,
    mi: S(messageId),
  };
  const actions: TransactWriteItem[] = [
    retire(base.messages, key, now, sequenceNumber),
    { Put: { TableName: base.messages, Item: moved, ConditionExpression: conditions.itemAbsent } },
    {
      Update: {
        TableName: base.messages,
        Key: groupKey(queue.id, groupId),
        UpdateExpression: groupUpdates.append,
        ConditionExpression: groupConditions.follows(last),
        ExpressionAttributeNames: { '#ttl': 'ttl' },
        ExpressionAttributeValues: {
          ':last': S(sequenceNumber),
          ':g': S(groupReadyPartition(queue.id, shard)),
          ':visibleAt': N(now),
          ':expiresAt': N(expiresAt),
          ':ttl': N(Math.ceil(expiresAt / 1000) + 86_400),
          ...(last === undefined ? {} : { ':after': S(last) }),
        },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    },
  ];
  const result = await base.transact('fifoPromote', actions);
  if (result.ok) return { status: 'promoted', groupId, sequenceNumber };
  if (contended(result.reasons)) return { status: 'retry', groupId, lastSequence: last };
  if (conditionFailed(result.reasons[0])) return { status: 'gone' };
  return { status: 'retry', groupId, lastSequence: result.reasons[2]?.Item?.sn?.S ?? last };
}

/** The scheduled item, if still due and untouched, becomes a tombstone (`zp`: it joined its group). */
function retire(TableName: string, Key: Item, now: number, sequenceNumber?: string): TransactWriteItem {
  const tombstone = tombstoneUpdate(Date.now());
  return {
    Update: {
      TableName,
      Key,
      ConditionExpression: scheduleConditions.dueAndWaiting,
      UpdateExpression:
        sequenceNumber === undefined
          ? tombstone.UpdateExpression
          : tombstone.UpdateExpression.replace('SET ', 'SET zp = :sequence, '),
      ExpressionAttributeNames: tombstone.ExpressionAttributeNames,
      ExpressionAttributeValues: {
        ...tombstone.values,
        ':now': N(now),
        ...(sequenceNumber === undefined ? {} : { ':sequence': S(sequenceNumber) }),
      },
    },
  };
}
