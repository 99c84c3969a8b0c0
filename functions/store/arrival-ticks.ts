import { GetItemCommand, QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { ArrivalTick } from '../queue/arrivals';
import type { DynamoBase } from './base';
import { readyInShard } from './conditions';
import { messageIdOf } from './items';

/**
 * What lets an idle receiver skip its index queries (queue/shared/idle-poll.ts):
 *
 *   pk = `at#<queue id>`  sk = `t`   n   a counter every bump ADDs 1 to
 *                                    at  when it was last bumped (ms): on first sight, whether
 *                                        paced sends may still follow
 *                                    sh  the shard the last bump's message went to, if known:
 *                                        where a receiver that saw the move looks first
 *                                    ttl a day after the last bump
 *
 * Senders bump it (at most once a second per process and queue); waiting receivers read it once
 * a second, eventually consistent (0.5 read unit), and query the shards only when it moved. It
 * has no `g`, so it never enters the ready index. A missing item reads as undefined: after its
 * TTL it differs from the last value seen, which only costs a receiver one extra look.
 */
const tickKey = (queueId: string) => ({ pk: { S: `at#${queueId}` }, sk: { S: 't' } });
const tickTtlSeconds = 24 * 60 * 60;

export async function readArrivalTick(base: DynamoBase, queueId: string): Promise<ArrivalTick | undefined> {
  const out = await base.run('readArrivalTick', (capacity) =>
    base.client.send(
      new GetItemCommand({
        ...capacity,
        TableName: base.messages,
        Key: tickKey(queueId),
        ProjectionExpression: 'n, #at, sh',
        ExpressionAttributeNames: { '#at': 'at' },
      }),
    ),
  );
  const value = out.Item?.n?.N;
  if (value === undefined) return undefined;
  const shard = out.Item?.sh?.N;
  return {
    value,
    at: Number(out.Item?.at?.N ?? 0),
    ...(shard === undefined ? {} : { shard: Number(shard) }),
  };
}

export async function bumpArrivalTick(
  base: DynamoBase,
  queueId: string,
  now: number,
  shard?: number,
): Promise<void> {
  await base.run('bumpArrivalTick', (capacity) =>
    base.client.send(
      new UpdateItemCommand({
        ...capacity,
        TableName: base.messages,
        Key: tickKey(queueId),
        // ADD commutes: bumps of many processes never overwrite each other's change.
        UpdateExpression:
          shard === undefined
            ? 'SET #ttl = :ttl, #at = :now REMOVE sh ADD n :one'
            : 'SET #ttl = :ttl, #at = :now, sh = :shard ADD n :one',
        ExpressionAttributeNames: { '#ttl': 'ttl', '#at': 'at' },
        ExpressionAttributeValues: {
          ...(shard === undefined ? {} : { ':shard': { N: String(shard) } }),
          ':now': { N: String(now) },
          ':ttl': { N: String(Math.ceil(now / 1000) + tickTtlSeconds) },
          ':one': { N: '1' },
        },
      }),
    ),
  );
}

/**
 * Like findVisible (same operation name, same cost: the index projects keys and `v` only), but
 * without an upper bound on `v`: the index is sorted by `v`, so visible entries come first and,
 * when fewer than `limit` are visible, the first entry after them tells when the shard's next
 * message (delayed, or leased until then) becomes visible.
 */
export async function findVisibleOrNext(
  base: DynamoBase,
  queueId: string,
  shard: number,
  now: number,
  limit: number,
): Promise<{ messageIds: string[]; nextVisibleAt?: number }> {
  const out = await base.run('findVisible', (capacity) =>
    base.client.send(
      new QueryCommand({
        ...capacity,
        TableName: base.messages,
        ...readyInShard(queueId, shard),
        ProjectionExpression: 'pk, v',
        Limit: limit,
      }),
    ),
  );
  const messageIds: string[] = [];
  for (const item of out.Items ?? []) {
    const visibleAt = Number(item.v?.N);
    if (visibleAt > now) return { messageIds, nextVisibleAt: visibleAt };
    messageIds.push(messageIdOf(item.pk!.S!));
  }
  return { messageIds };
}
