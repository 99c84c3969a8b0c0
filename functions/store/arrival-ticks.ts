import { GetItemCommand, QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { ArrivalTick, IdleMark } from '../queue/arrivals';
import type { DynamoBase } from './base';
import { readyInShard } from './conditions';
import { messageIdOf } from './items';
import { isConditionFailure } from './sdk-errors';

/**
 * What lets an idle receiver skip its index queries (queue/shared/idle-poll.ts):
 *
 *   pk = `at#<queue id>`  sk = `t`   n   a counter every bump ADDs 1 to
 *                                    at  when it was last bumped (ms): on first sight, whether
 *                                        paced sends may still follow
 *                                    sh  the shard the last bump's message went to, if known:
 *                                        where a receiver that saw the move looks first
 *                                    e, ec, es, ev  an idle mark: at tick value `e` ('' before
 *                                        the first bump), a look of scope `ec` that started at
 *                                        `es` found nothing visible, the next entry due at `ev`
 *                                        (queue/shared/idle-marks.ts)
 *                                    ttl a day after the last bump or mark
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
        ProjectionExpression: 'n, #at, sh, e, ec, es, ev',
        ExpressionAttributeNames: { '#at': 'at' },
      }),
    ),
  );
  const item = out.Item;
  if (!item) return undefined;
  const shard = item.sh?.N;
  const idle: IdleMark | undefined =
    item.e?.S === undefined || item.es?.N === undefined
      ? undefined
      : {
          tick: item.e.S,
          scope: item.ec?.S ?? '',
          since: Number(item.es.N),
          ...(item.ev?.N === undefined ? {} : { nextVisibleAt: Number(item.ev.N) }),
        };
  return {
    value: item.n?.N,
    at: Number(item.at?.N ?? 0),
    ...(shard === undefined ? {} : { shard: Number(shard) }),
    ...(idle ? { idle } : {}),
  };
}

/**
 * Writes an idle mark, on condition that the tick is still at the mark's value: a bump that landed
 * after the look makes the mark stale, one that landed before it fails the write. False then.
 */
export async function markQueueIdle(base: DynamoBase, queueId: string, mark: IdleMark): Promise<boolean> {
  const next = mark.nextVisibleAt;
  try {
    await base.run('markQueueIdle', (capacity) =>
      base.client.send(
        new UpdateItemCommand({
          ...capacity,
          TableName: base.messages,
          Key: tickKey(queueId),
          UpdateExpression: `SET e = :e, ec = :ec, es = :es, #ttl = :ttl${next === undefined ? ' REMOVE ev' : ', ev = :ev'}`,
          ConditionExpression: mark.tick === '' ? 'attribute_not_exists(n)' : 'n = :n',
          ExpressionAttributeNames: { '#ttl': 'ttl' },
          ExpressionAttributeValues: {
            ':e': { S: mark.tick },
            ':ec': { S: mark.scope },
            ':es': { N: String(mark.since) },
            ':ttl': { N: String(Math.ceil(mark.since / 1000) + tickTtlSeconds) },
            ...(mark.tick === '' ? {} : { ':n': { N: mark.tick } }),
            ...(next === undefined ? {} : { ':ev': { N: String(next) } }),
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
