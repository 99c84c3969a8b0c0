import { GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoBase } from './base';
import { filters, visibleInShard } from './conditions';
import { type Item, itemToQueue, messageIdOf, queuesPartition } from './items';

/**
 * What the sweeper reads: every queue in a stable order, the sweepable messages of a shard, and
 * its cursor (dead-letters table, pk = `sweep`  sk = `cursor`), so a sweep cut short resumes.
 */

const sweepKey: Item = { pk: { S: 'sweep' }, sk: { S: 'cursor' } };

export async function listAllQueues(base: DynamoBase, after: string | undefined, limit: number) {
  const out = await base.run('listAllQueues', (c) =>
    base.client.send(
      new QueryCommand({
        ...c,
        TableName: base.messages,
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

export async function findSweepable(
  base: DynamoBase,
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
    const out = await base.run('findSweepable', (c) =>
      base.client.send(
        new QueryCommand({
          ...c,
          TableName: base.messages,
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

export async function getSweepCursor(base: DynamoBase) {
  const out = await base.run('getSweepCursor', (c) =>
    base.client.send(
      new GetItemCommand({ ...c, TableName: base.deadLetters, Key: sweepKey, ConsistentRead: true }),
    ),
  );
  return out.Item?.after?.S;
}

export async function setSweepCursor(base: DynamoBase, cursor: string | undefined) {
  await base.run('setSweepCursor', (c) =>
    base.client.send(
      new PutItemCommand({
        ...c,
        TableName: base.deadLetters,
        Item: { ...sweepKey, ...(cursor ? { after: { S: cursor } } : {}) },
      }),
    ),
  );
}
