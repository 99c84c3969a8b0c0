import { type AttributeValue, QueryCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoBase } from './base';
import { groupIdOf, groupReadyPartition } from './fifo-items';
import { messageIdOf } from './items';
import { schedulePartition } from './schedule-store';
import { readyIndexName } from './table-layout';

const S = (s: string): AttributeValue => ({ S: s });

/**
 * The reads of a FIFO receive that also tell an idle receiver when to look again
 * (queue/shared/idle-poll.ts). Both partitions are sorted by `v`: a group's is when it is next
 * available (now, the end of its lease, or its head's delay), a scheduled message's is when it is
 * due. Without an upper bound on `v` the entries due now come first and, when fewer than `limit`
 * are due, the first entry after them says when the next one will be. Same operation names and
 * cost as the bounded queries (fifo-reads.ts, fifo-schedule.ts): keys and `v` only, one page.
 */
export async function findAvailableGroupsOrNext(
  base: DynamoBase,
  queueId: string,
  shard: number,
  now: number,
  limit: number,
): Promise<{ groupIds: string[]; nextAvailableAt?: number }> {
  const { keys, next } = await dueOrNext(
    base,
    'fifoFindGroups',
    groupReadyPartition(queueId, shard),
    now,
    limit,
  );
  return { groupIds: keys.map(groupIdOf), ...(next === undefined ? {} : { nextAvailableAt: next }) };
}

export async function findDueScheduledOrNext(
  base: DynamoBase,
  queueId: string,
  now: number,
  limit: number,
): Promise<{ due: { messageId: string }[]; nextDueAt?: number }> {
  const { keys, next } = await dueOrNext(base, 'fifoFindDue', schedulePartition(queueId), now, limit);
  return {
    due: keys.map((pk) => ({ messageId: messageIdOf(pk) })),
    ...(next === undefined ? {} : { nextDueAt: next }),
  };
}

async function dueOrNext(
  base: DynamoBase,
  operation: string,
  partition: string,
  now: number,
  limit: number,
): Promise<{ keys: string[]; next?: number }> {
  const out = await base.run(operation, (capacity) =>
    base.client.send(
      new QueryCommand({
        ...capacity,
        TableName: base.messages,
        IndexName: readyIndexName,
        KeyConditionExpression: 'g = :g',
        ExpressionAttributeValues: { ':g': S(partition) },
        ProjectionExpression: 'pk, v',
        Limit: limit,
      }),
    ),
  );
  const keys: string[] = [];
  for (const item of out.Items ?? []) {
    const at = Number(item.v?.N);
    if (at > now) return { keys, next: at };
    keys.push(item.pk!.S!);
  }
  return { keys };
}
