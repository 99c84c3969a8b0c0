import { QueryCommand, type QueryCommandInput } from '@aws-sdk/client-dynamodb';
import type { MessageCountsResult } from '../queue/ports/queue-store';
import { noMessages } from '../queue/states';
import type { DynamoBase } from './base';
import { filters, visibleInShard } from './conditions';
import { type Item, messageIdOf, messageKey, partCount, partKey, readyPartition } from './items';
import { readyIndexName } from './table-layout';

/**
 * Reads and walks of a standard queue's ready index (keys, `v` and receive counts only, so reads
 * are cheap): visible candidates for a receive, the longest-waiting entry, counts per state, and
 * the walk a purge deletes along.
 */

export async function oldestVisibleSince(base: DynamoBase, queueId: string, shard: number, now: number) {
  const out = await base.run('oldestVisibleSince', (capacity) =>
    base.client.send(
      new QueryCommand({
        ...capacity,
        TableName: base.messages,
        ...visibleInShard(queueId, shard, now),
        ProjectionExpression: 'v',
        Limit: 1,
      }),
    ),
  );
  const first = out.Items?.[0]?.v?.N;
  return first === undefined ? undefined : Number(first);
}

export async function findVisible(
  base: DynamoBase,
  queueId: string,
  shard: number,
  now: number,
  limit: number,
) {
  const out = await base.run('findVisible', (capacity) =>
    base.client.send(
      new QueryCommand({
        ...capacity,
        TableName: base.messages,
        ...visibleInShard(queueId, shard, now),
        ProjectionExpression: 'pk',
        Limit: limit,
      }),
    ),
  );
  return (out.Items ?? []).map((item) => messageIdOf(item.pk!.S!));
}

/**
 * Counts from the ready index (keys and receive counts only, so reads are cheap), two queries
 * per partition: visible ones, and the rest split by whether they were ever received.
 */
export async function countMessages(
  base: DynamoBase,
  queueId: string,
  shards: readonly number[],
  now: number,
): Promise<MessageCountsResult> {
  const perShard = await Promise.all(
    shards.map(async (shard) => {
      const visibleNow = visibleInShard(queueId, shard, now);
      const visible = await countPages(base, { TableName: base.messages, ...visibleNow, Select: 'COUNT' });
      const hidden = await countPages(base, {
        TableName: base.messages,
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

export async function purgeMessages(
  base: DynamoBase,
  queueId: string,
  shards: readonly number[],
  budgetMs: number,
) {
  const deadline = Date.now() + budgetMs;
  let removed = 0;
  for (const shard of shards) {
    let startKey: Item | undefined;
    do {
      if (Date.now() > deadline) return { removed, done: false };
      const out = await base.run('purgeMessages', (capacity) =>
        base.client.send(
          new QueryCommand({
            ...capacity,
            TableName: base.messages,
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
      await base.writeAll('purgeMessages', deletions);
      removed += out.Items?.length ?? 0;
      startKey = out.LastEvaluatedKey;
    } while (startKey);
  }
  return { removed, done: true };
}

export async function countPages(
  base: DynamoBase,
  input: QueryCommandInput,
): Promise<{ count: number; scanned: number }> {
  let count = 0;
  let scanned = 0;
  let startKey: Item | undefined;
  do {
    const out = await base.run('countMessages', (capacity) =>
      base.client.send(
        new QueryCommand({ ...capacity, ...input, ...(startKey ? { ExclusiveStartKey: startKey } : {}) }),
      ),
    );
    count += out.Count ?? 0;
    scanned += out.ScannedCount ?? 0;
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return { count, scanned };
}
