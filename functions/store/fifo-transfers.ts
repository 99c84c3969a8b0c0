import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { FifoTransfer, MoveOutcome } from '../queue/ports/fifo-store';
import { conditionFailed, contended, type DynamoBase } from './base';
import { conditions, groupConditions, groupUpdates } from './conditions';
import { deadLetterRecord } from './dead-letter-records';
import { fifoMessageItems, groupKey, groupMessagesPartition, groupReadyPartition } from './fifo-items';

const N = (n: number): AttributeValue => ({ N: String(n) });
const S = (s: string): AttributeValue => ({ S: s });

/**
 * Moving FIFO messages between queues (into a dead-letter queue, or back out by redrive): to the
 * end of the same group in the target queue, in one transaction.
 */

/** One message from its group in one queue to the end of its group in another, atomically. */
export async function transferFifoMessage(table: DynamoBase, request: FifoTransfer): Promise<MoveOutcome> {
  const { message, moved, now } = request;
  const { item, parts, object } = fifoMessageItems(moved, table.bodies?.thresholdBytes);
  // Parts (or the body-store object) are written under the target queue's id first; a retry
  // writes the same keys again.
  const putParts = parts.map((Item) => ({ PutRequest: { Item } }));
  if (parts.length > 0 && (await table.writeAll('fifoTransferParts', putParts)).size > 0) {
    return { status: 'retry', lastSequence: request.after };
  }
  const placed = { message: item, parts, object, queueId: moved.queueId, id: moved.id };
  if (
    !(await table.putObjects([placed]).then(
      () => true,
      () => false,
    ))
  ) {
    return { status: 'retry', lastSequence: request.after };
  }
  const result = await table.transact('fifoTransferMessage', [
    {
      Delete: {
        TableName: table.messages,
        Key: {
          pk: S(groupMessagesPartition(message.queueId, message.groupId)),
          sk: S(message.sequenceNumber),
        },
        ConditionExpression: groupConditions.unchanged,
        ExpressionAttributeValues: { ':rc': N(message.receiveCount) },
      },
    },
    { Put: { TableName: table.messages, Item: item, ConditionExpression: conditions.itemAbsent } },
    {
      Update: {
        TableName: table.messages,
        Key: groupKey(moved.queueId, moved.groupId),
        UpdateExpression: groupUpdates.append,
        ConditionExpression: groupConditions.follows(request.after),
        ExpressionAttributeNames: { '#ttl': 'ttl' },
        ExpressionAttributeValues: {
          ':last': S(moved.sequenceNumber),
          ':g': S(groupReadyPartition(moved.queueId, request.targetShard)),
          ':visibleAt': N(now),
          ':expiresAt': N(moved.expiresAt),
          ':ttl': N(Math.ceil(moved.expiresAt / 1000) + 86_400),
          ...(request.after === undefined ? {} : { ':after': S(request.after) }),
        },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    },
    // A move into a dead-letter queue (not a redrive out of one) is recorded for browsing.
    ...(moved.deadLetter?.deadLetteredAt === now
      ? [
          {
            Put: {
              TableName: table.deadLetters,
              Item: deadLetterRecord(moved.queueId, now, moved.id, moved),
            },
          },
        ]
      : []),
  ]);
  if (result.ok) {
    // The source's parts are keyed by its own message id (a redriven message has a new one).
    await table.deleteParts('fifoDeleteParts', message.queueId, [{ ...item, mi: S(message.id) }]);
    return { status: 'moved' };
  }
  if (contended(result.reasons)) return { status: 'retry', lastSequence: request.after };
  if (conditionFailed(result.reasons[0])) {
    await table.deleteParts('fifoDeleteParts', moved.queueId, [item]);
    return { status: 'skipped' };
  }
  return { status: 'retry', lastSequence: result.reasons[2]?.Item?.sn?.S };
}
