import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/client-dynamodb';
import { invalidParameter } from '../queue/errors';
import type { QueueRecord, QueueRef } from '../queue/model';
import type { ListQueuesQuery } from '../queue/ports/queue-store';
import type { DynamoBase } from './base';
import { conditions, queueMarkConditions } from './conditions';
import { startCounters } from './counter-reads';
import { type Item, itemToQueue, queueKey, queueSortKey, queuesPartition, queueToItem } from './items';
import { prioritiesUnchanged } from './priority-records';
import { isConditionFailure } from './sdk-errors';

/**
 * Queue records: all in one partition of the messages table (pk `q`), sorted by account, region
 * and name (items.ts), so a listing by prefix is a range query and no path scans the table.
 */

export async function createQueue(base: DynamoBase, queue: QueueRecord) {
  try {
    await base.run('createQueue', (capacity) =>
      base.client.send(
        new PutItemCommand({
          ...capacity,
          TableName: base.messages,
          Item: queueToItem(queue),
          ConditionExpression: conditions.queueAbsent,
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    );
    // Counters from the first message on (counter-reads.ts); a queue left without them (a failure
    // right here) is counted from its index.
    await startCounters(base, queue.id, 0);
    return { created: true as const };
  } catch (error) {
    if (isConditionFailure(error) && error.Item) {
      return { created: false as const, existing: itemToQueue(error.Item as Item) };
    }
    throw error;
  }
}

export async function getQueue(base: DynamoBase, ref: QueueRef) {
  const out = await base.run('getQueue', (capacity) =>
    base.client.send(
      new GetItemCommand({
        ...capacity,
        TableName: base.messages,
        Key: queueKey(ref),
        ConsistentRead: true,
      }),
    ),
  );
  return out.Item ? itemToQueue(out.Item) : undefined;
}

/**
 * Writes a queue's settings (a whole-record put). Sends set marks on the record without reading it
 * (priorities used, `sch` scheduling used, `groupsSentAt`): a mark set between the caller's read
 * and this write must not be dropped, or receives would stop looking where those messages wait.
 * So the put is conditional on the marks being as read, and on a conflict retries with the
 * stored marks merged in.
 */
export async function updateQueue(base: DynamoBase, queue: QueueRecord) {
  let record = queue;
  for (let attempt = 0; attempt < 5; attempt++) {
    const marks = marksUnchanged(record);
    try {
      await base.run('updateQueue', (capacity) =>
        base.client.send(
          new PutItemCommand({
            ...capacity,
            TableName: base.messages,
            Item: queueToItem(record),
            ConditionExpression: `${conditions.sameQueueIncarnation} AND ${marks.condition}`,
            ExpressionAttributeValues: { ':id': { S: record.id }, ...marks.values },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      );
      // The caller keeps (and caches) the record it wrote: with the marks it now holds.
      if (record !== queue) Object.assign(queue, sendMarks(record));
      return true;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const old = error.Item as Item | undefined;
      if (old?.id?.S !== queue.id) return false;
      record = { ...record, ...sendMarks(mergeMarks(record, itemToQueue(old))) };
    }
  }
  return false;
}

/** The marks of a queue record that sends set. */
function sendMarks(q: QueueRecord): Pick<QueueRecord, 'priorities' | 'scheduling' | 'groupsSentAt'> {
  return {
    priorities: q.priorities ?? [],
    ...(q.scheduling ? { scheduling: true } : {}),
    ...(q.groupsSentAt === undefined ? {} : { groupsSentAt: q.groupsSentAt }),
  };
}

/** Marks only grow: the union of priorities, scheduling if either had it, the later group send. */
function mergeMarks(mine: QueueRecord, stored: QueueRecord): QueueRecord {
  const groupsSentAt = Math.max(mine.groupsSentAt ?? 0, stored.groupsSentAt ?? 0);
  return {
    ...mine,
    priorities: [...new Set([...(mine.priorities ?? []), ...(stored.priorities ?? [])])].sort(
      (a, b) => a - b,
    ),
    ...(mine.scheduling || stored.scheduling ? { scheduling: true } : {}),
    ...(groupsSentAt > 0 ? { groupsSentAt } : {}),
  };
}

/** The condition that the stored marks are the ones this record has. */
function marksUnchanged(q: QueueRecord): { condition: string; values: Item } {
  const priorities = prioritiesUnchanged(q);
  const conditionParts = [priorities.condition];
  const values: Item = { ...priorities.values };
  if (!q.scheduling) conditionParts.push(queueMarkConditions.notScheduling);
  if (q.groupsSentAt === undefined) conditionParts.push(queueMarkConditions.noGroupSends);
  else {
    conditionParts.push(queueMarkConditions.groupSendsNoLater);
    values[':groupsSentAt'] = { N: String(q.groupsSentAt) };
  }
  return { condition: conditionParts.join(' AND '), values };
}

export async function deleteQueue(base: DynamoBase, ref: QueueRef) {
  const out = await base.run('deleteQueue', (capacity) =>
    base.client.send(
      new DeleteItemCommand({
        ...capacity,
        TableName: base.messages,
        Key: queueKey(ref),
        ReturnValues: 'ALL_OLD',
      }),
    ),
  );
  return out.Attributes !== undefined;
}

export async function listQueues(base: DynamoBase, query: ListQueuesQuery) {
  const input: QueryCommandInput = {
    TableName: base.messages,
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
  const out = await base.run('listQueues', (capacity) =>
    base.client.send(new QueryCommand({ ...capacity, ...input })),
  );
  const queues = (out.Items ?? []).map(itemToQueue);
  const last = out.LastEvaluatedKey ? queues.at(-1)?.ref.name : undefined;
  return last ? { queues, nextToken: Buffer.from(last).toString('base64url') } : { queues };
}
