import { type AttributeValue, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { FifoPurgeRequest } from '../queue/ports/fifo-store';
import type { DynamoBase } from './base';
import { groupConditions, groupUpdates } from './conditions';
import { groupKey } from './fifo-items';
import { groupPartition, listGroups, queryAll } from './fifo-reads';
import { isConditionFailure } from './sdk-errors';

const S = (s: string): AttributeValue => ({ S: s });

/**
 * Purging a FIFO queue (or removing a deleted one's messages): every group listed from the ready
 * index, each group's messages deleted from its own partition, within a time budget.
 */

/**
 * Deletes the messages of every group (those sent up to `sentUpTo` for a purge). A purge takes a
 * group that it emptied out of the ready index unless something was appended meanwhile; a queue
 * deletion removes the group records too.
 */
export async function purgeFifoMessages(table: DynamoBase, request: FifoPurgeRequest) {
  const deadline = Date.now() + request.budgetMs;
  let removed = 0;
  for (let shard = 0; shard < request.shardCount; shard++) {
    for (const groupId of await listGroups(table, request.queueId, shard, Number.POSITIVE_INFINITY)) {
      if (Date.now() > deadline) return { removed, done: false };
      const group = await table.run('fifoPurgeGroup', (c) =>
        table.client.send(
          new GetItemCommand({
            ...c,
            TableName: table.messages,
            Key: groupKey(request.queueId, groupId),
            ConsistentRead: true,
          }),
        ),
      );
      const items = await queryAll(
        table,
        'fifoPurgeMessages',
        groupPartition(request.queueId, groupId, 'pk, sk, s, mi, p'),
      );
      const doomed = items.filter(
        (item) => request.sentUpTo === undefined || Number(item.s?.N) <= request.sentUpTo,
      );
      await table.writeAll(
        'fifoPurgeMessages',
        doomed.map((item) => ({ DeleteRequest: { Key: { pk: item.pk!, sk: item.sk! } } })),
      );
      await table.deleteParts('fifoDeleteParts', request.queueId, doomed);
      removed += doomed.length;
      if (request.sentUpTo === undefined) {
        await table.writeAll('fifoPurgeGroup', [
          { DeleteRequest: { Key: groupKey(request.queueId, groupId) } },
        ]);
      } else if (doomed.length === items.length && group.Item?.sn?.S) {
        await retireUnchanged(table, request.queueId, groupId, group.Item.sn.S);
      }
    }
  }
  return { removed, done: true };
}

async function retireUnchanged(table: DynamoBase, queueId: string, groupId: string, last: string) {
  try {
    await table.run('fifoPurgeGroup', (c) =>
      table.client.send(
        new UpdateItemCommand({
          ...c,
          TableName: table.messages,
          Key: groupKey(queueId, groupId),
          ConditionExpression: groupConditions.lastIs,
          UpdateExpression: groupUpdates.retire,
          ExpressionAttributeValues: { ':last': S(last) },
        }),
      ),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}
