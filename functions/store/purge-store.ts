import { QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { QueueRecord } from '../queue/model';
import { readyShards } from '../queue/shared/priority';
import type { DynamoBase } from './base';
import { type Item, messageIdOf, messageKey, partCount, partKey, queueKey, readyPartition } from './items';
import { isConditionFailure } from './sdk-errors';
import { readyIndexName } from './table-layout';

/**
 * The background half of a purge of a standard queue. The purge itself only marks the queue
 * (`purgedAt`, and `purgePending`: how many messages it cut off), which every read path honours
 * at once; this removes the cut-off messages afterwards, a time budget at a time (the sweeper
 * calls it), resuming from `purgeCursor`. The ready index holds no send time, so each page of
 * index entries is read back (BatchGetItem, 0.5 read unit per message) and only messages sent at
 * or before the mark are deleted: a message sent after the purge is never touched. Each page's
 * removals are subtracted from `purgePending`, and a pass that reaches the end clears both
 * attributes, conditionally on the same purge mark, so a newer purge is never overwritten.
 */
interface Position {
  shard: number;
  key?: Item;
}

export async function removePurgedMessages(
  base: DynamoBase,
  queue: QueueRecord,
  budgetMs: number,
): Promise<{ removed: number; done: boolean }> {
  const purgedAt = queue.purgedAt;
  if (purgedAt === undefined) return { removed: 0, done: true };
  const deadline = Date.now() + budgetMs;
  const shards = readyShards(queue);
  let position = decode(queue.purgeCursor, shards);
  let removed = 0;
  while (shards.includes(position.shard)) {
    if (Date.now() > deadline) return { removed, done: false };
    const out = await base.run('purgeScan', (c) =>
      base.client.send(
        new QueryCommand({
          ...c,
          TableName: base.messages,
          IndexName: readyIndexName,
          KeyConditionExpression: 'g = :g',
          ExpressionAttributeValues: { ':g': { S: readyPartition(queue.id, position.shard) } },
          Limit: 200,
          ...(position.key ? { ExclusiveStartKey: position.key } : {}),
        }),
      ),
    );
    const page = await deletePurged(base, queue, purgedAt, out.Items ?? []);
    removed += page;
    position = out.LastEvaluatedKey
      ? { shard: position.shard, key: out.LastEvaluatedKey }
      : { shard: shards[shards.indexOf(position.shard) + 1] ?? -1 };
    // Progress after every page (one small write per 200 messages): the counts stay right even
    // if this run stops here, and the next run resumes after this page.
    if (shards.includes(position.shard) && !(await record(position, page))) return { removed, done: true };
  }
  await record(undefined, removed);
  return { removed, done: true };

  async function record(at: Position | undefined, count: number): Promise<boolean> {
    return recordPurgeProgress(base, queue, at && encode(at), count);
  }
}

/**
 * Lowers the queue's pending count by `count` removed messages and saves the cursor, or (cursor
 * `null`) clears the purge at the end of the removal; only while the queue still carries the same
 * purge mark. False when it does not (deleted, or purged again: that purge counts afresh).
 */
export async function recordPurgeProgress(
  base: DynamoBase,
  queue: QueueRecord,
  cursor: string | undefined | null,
  count: number,
): Promise<boolean> {
  const done = cursor === undefined;
  const keepCursor = cursor === null;
  try {
    await base.run('purgeProgress', (c) =>
      base.client.send(
        new UpdateItemCommand({
          ...c,
          TableName: base.messages,
          Key: queueKey(queue.ref),
          ConditionExpression: 'id = :id AND purgedAt = :at AND attribute_exists(purgePending)',
          UpdateExpression: done
            ? 'REMOVE purgeCursor, purgePending'
            : keepCursor
              ? 'ADD purgePending :minus'
              : 'SET purgeCursor = :cursor ADD purgePending :minus',
          ExpressionAttributeValues: {
            ':id': { S: queue.id },
            ':at': { N: String(queue.purgedAt) },
            ...(done ? {} : { ':minus': { N: String(-count) } }),
            ...(done || keepCursor ? {} : { ':cursor': { S: cursor } }),
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

/**
 * Removes, right at the purge, the purged messages that are in flight or delayed (usually few):
 * the purged messages left for the background removal are then all visible, and stay so (they can
 * no longer be leased), so subtracting the pending ones from the visible count is exact. Within a
 * time budget: whatever is left is removed in the background like the rest.
 */
export async function removePurgedHidden(
  base: DynamoBase,
  queue: QueueRecord,
  now: number,
  budgetMs: number,
): Promise<number> {
  const purgedAt = queue.purgedAt;
  if (purgedAt === undefined) return 0;
  const deadline = Date.now() + budgetMs;
  let removed = 0;
  for (const shard of readyShards(queue)) {
    let startKey: Item | undefined;
    do {
      if (Date.now() > deadline) return removed;
      const out = await base.run('purgeHidden', (c) =>
        base.client.send(
          new QueryCommand({
            ...c,
            TableName: base.messages,
            IndexName: readyIndexName,
            KeyConditionExpression: 'g = :g AND v > :now',
            ExpressionAttributeValues: {
              ':g': { S: readyPartition(queue.id, shard) },
              ':now': { N: String(now) },
            },
            Limit: 200,
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
          }),
        ),
      );
      removed += await deletePurged(base, queue, purgedAt, out.Items ?? []);
      startKey = out.LastEvaluatedKey;
    } while (startKey);
  }
  return removed;
}

/** Deletes the messages (and body parts) of these index entries that were sent by the mark. */
async function deletePurged(
  base: DynamoBase,
  queue: QueueRecord,
  purgedAt: number,
  entries: Item[],
): Promise<number> {
  const keys = entries.map((entry) => messageKey(queue.id, messageIdOf(entry.pk!.S!)));
  if (keys.length === 0) return 0;
  const items = [...(await base.getAll(keys)).values()].filter((item) => Number(item.s?.N) <= purgedAt);
  const deletions = items.flatMap((item) => {
    const messageId = messageIdOf(item.pk!.S!);
    const parts = Array.from({ length: partCount(item) }, (_, n) => partKey(queue.id, messageId, n));
    return [messageKey(queue.id, messageId), ...parts].map((Key) => ({ DeleteRequest: { Key } }));
  });
  if (deletions.length > 0) await base.writeAll('purgeRemove', deletions);
  return items.length;
}

const encode = (position: Position) => Buffer.from(JSON.stringify(position)).toString('base64url');

/** Where to resume: the cursor's partition, or the first one (removal is idempotent). */
function decode(cursor: string | undefined, shards: readonly number[]): Position {
  const start = { shard: shards[0] ?? -1 };
  if (!cursor) return start;
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof value.shard === 'number' && shards.includes(value.shard)) return value;
  } catch {
    // start over
  }
  return start;
}
