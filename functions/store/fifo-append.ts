import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { GetItemCommand, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { QueueError } from '../queue/errors';
import { limits } from '../queue/limits';
import type { AppendOutcome, AppendRequest } from '../queue/ports/fifo-store';
import { conditionFailed, contended, type DynamoBase } from './base';
import { conditions, groupConditions, groupUpdates } from './conditions';
import { dedupKey, fifoMessageItems, groupKey, groupReadyPartition } from './fifo-items';

const N = (n: number): AttributeValue => ({ N: String(n) });
const S = (s: string): AttributeValue => ({ S: s });

/**
 * Appending to a FIFO group (a send): each message with the next sequence number, in one
 * transaction per group that also claims each deduplication id for 5 minutes and moves the
 * group's last number on, conditional on it being the one the sender saw.
 */

export async function lastSequence(base: DynamoBase, queueId: string, groupId: string) {
  const out = await base.run('fifoLastSequence', (c) =>
    base.client.send(
      new GetItemCommand({
        ...c,
        TableName: base.messages,
        Key: groupKey(queueId, groupId),
        ProjectionExpression: 'sn',
      }),
    ),
  );
  return out.Item?.sn?.S;
}

export async function append(base: DynamoBase, request: AppendRequest): Promise<AppendOutcome> {
  const { queue, groupId, entries, now, after } = request;
  const built = entries.map(({ message }) => fifoMessageItems(message, base.bodies?.thresholdBytes));
  const withParts = built.filter((b) => b.parts.length > 0 || b.object).map((b) => b.item);
  // Body parts (and body-store objects) first: a message item is only ever readable with its
  // whole body in place.
  const parts = built.flatMap((b) => b.parts.map((Item) => ({ PutRequest: { Item } })));
  const objects = built.map((b, n) => ({
    ...b,
    message: b.item,
    queueId: queue.id,
    id: entries[n]!.message.id,
  }));
  await base.putObjects(objects);
  if (parts.length > 0 && (await base.writeAll('fifoPutParts', parts)).size > 0) {
    await base.deleteParts('fifoDeleteParts', queue.id, withParts);
    throw new QueueError('ServiceUnavailable', 'The message could not be stored; send it again');
  }
  const windowEnd = now + limits.deduplicationWindowMs;
  const actions: TransactWriteItem[] = entries.flatMap(({ message, deduplicationScope }, n) => [
    {
      Put: {
        TableName: base.messages,
        Item: built[n]!.item,
        ConditionExpression: conditions.itemAbsent,
      },
    },
    {
      Put: {
        TableName: base.messages,
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
      TableName: base.messages,
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
  const result = await base.transact('fifoAppend', actions);
  if (result.ok) return { status: 'appended' };
  await base.deleteParts('fifoDeleteParts', queue.id, withParts);
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
