import { type AttributeValue, QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { StoredMessage } from '../queue/model';
import type { CancelOutcome } from '../queue/ports/queue-store';
import type { DynamoBase } from './base';
import { keyString } from './batch';
import { scheduleConditions } from './conditions-schedule';
import { type Item, isTombstone, itemToMessage, messageIdOf, messageKey, tombstoneUpdate } from './items';
import { isConditionFailure } from './sdk-errors';
import { readyIndexName } from './table-layout';

const N = (n: number): AttributeValue => ({ N: String(n) });
const S = (s: string): AttributeValue => ({ S: s });

/**
 * Scheduled messages in storage. A scheduled message of a standard queue is an ordinary message
 * item whose `v` lies ahead; one of a FIFO queue waits in the same kind of item, in the queue's
 * schedule partition of the ready index (`s#<queue id>`, sorted by `v`), until it joins its group
 * (fifo-schedule.ts). So both kinds cancel the same way, here.
 */
export const schedulePartition = (queueId: string) => `s#${queueId}`;

/**
 * Cancels with one conditional write: the message becomes a tombstone (items.ts; an SDK retry of
 * its send then cannot bring it back) only while it is not yet deliverable and was never received.
 * Which refusal it is comes from the item as it was (ALL_OLD), without a second read: a live
 * message, or one a FIFO promotion moved into its group (`zp`), is no longer scheduled; nothing,
 * a tombstone or an expired message is not found.
 */
export async function cancelScheduled(
  base: DynamoBase,
  queueId: string,
  messageId: string,
  now: number,
): Promise<CancelOutcome> {
  const tombstone = tombstoneUpdate(Date.now());
  try {
    const out = await base.run('cancelScheduled', (capacity) =>
      base.client.send(
        new UpdateItemCommand({
          ...capacity,
          TableName: base.messages,
          Key: messageKey(queueId, messageId),
          ConditionExpression: scheduleConditions.stillScheduled,
          UpdateExpression: tombstone.UpdateExpression,
          ExpressionAttributeNames: tombstone.ExpressionAttributeNames,
          ExpressionAttributeValues: { ':now': N(now), ':zero': N(0), ...tombstone.values },
          ReturnValues: 'ALL_OLD',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    );
    await base.deleteParts('deleteParts', queueId, [out.Attributes]);
    return 'cancelled';
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const old = error.Item as Item | undefined;
    return old?.zp || (old && !isTombstone(old) && Number(old.x?.N) > now) ? 'notScheduled' : 'notFound';
  }
}

/**
 * Messages not yet deliverable and never received, earliest first, from the given ready-index
 * partitions (a standard queue's shards, or a FIFO queue's schedule partition). Eventually
 * consistent: a look, not a decision.
 */
export async function peekScheduled(
  base: DynamoBase,
  queueId: string,
  partitions: string[],
  now: number,
  limit: number,
): Promise<StoredMessage[]> {
  const perPartition = await Promise.all(
    partitions.map(async (g) => {
      const out = await base.run('peekScheduled', (capacity) =>
        base.client.send(
          new QueryCommand({
            ...capacity,
            TableName: base.messages,
            IndexName: readyIndexName,
            KeyConditionExpression: 'g = :g AND v > :now',
            FilterExpression: scheduleConditions.neverReceived,
            ExpressionAttributeValues: { ':g': S(g), ':now': N(now), ':zero': N(0) },
            ProjectionExpression: 'pk, v',
            // In-flight messages share the range and are filtered out after the read.
            Limit: limit * 4,
          }),
        ),
      );
      return (out.Items ?? []).map((item) => ({ pk: item.pk!.S!, v: Number(item.v!.N) }));
    }),
  );
  const entries = perPartition
    .flat()
    .sort((a, b) => a.v - b.v)
    .slice(0, limit);
  if (entries.length === 0) return [];
  const keys = entries.map((entry) => messageKey(queueId, messageIdOf(entry.pk)));
  const found = await base.getAll(keys);
  const items = keys.map((key) => found.get(keyString(key))).filter((item): item is Item => !!item);
  const bodies = await base.readBodies(queueId, items);
  // A FIFO scheduled item's index partition is no shard (and a peek needs none): read as shard 0.
  return items.map((item) => itemToMessage({ ...item, g: S('#0') }, bodies.get(messageIdOf(item.pk!.S!))));
}
