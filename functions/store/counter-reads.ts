import { type AttributeValue, GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import type { MessageCounts } from '../queue/states';
import type { DynamoBase } from './base';
import { bucketOf, counterPartition, headKey, hourKey, minuteKey, totalKey } from './counter-items';
import { settleCounters } from './counter-settle';
import type { Item } from './items';

/**
 * Reading and starting a queue's counters (counter-items.ts). A count is two calls whatever the
 * queue holds: one Query for the total and the hidden totals of this hour and those after it, one
 * GetItem for this minute's seconds.
 */

const N = (n: number): AttributeValue => ({ N: String(n) });
const num = (value: AttributeValue | undefined) => Number(value?.N ?? 0);

/** Counts as of `now`; undefined for a queue without counters (created before they existed). */
export async function readCounters(
  base: DynamoBase,
  queueId: string,
  epoch: number,
  now: number,
): Promise<MessageCounts | undefined> {
  await settleCounters(base);
  const at = bucketOf(now);
  const [range, minute] = await Promise.all([
    base.run('readCounters', (capacity) =>
      base.client.send(
        new QueryCommand({
          ...capacity,
          TableName: base.messages,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': { S: counterPartition(queueId) },
            ':from': hourKey(queueId, epoch, at.hour).sk!,
            ':to': totalKey(queueId, epoch).sk!,
          },
        }),
      ),
    ),
    base.run('readCounters', (capacity) =>
      base.client.send(
        new GetItemCommand({
          ...capacity,
          TableName: base.messages,
          Key: minuteKey(queueId, epoch, at.minute),
        }),
      ),
    ),
  ]);
  const items = range.Items ?? [];
  const totalSk = totalKey(queueId, epoch).sk!.S;
  const total = items.find((item) => item.sk?.S === totalSk);
  if (!total) return undefined;
  const thisHourSk = hourKey(queueId, epoch, at.hour).sk!.S;
  const hidden = { f: 0, d: 0 };
  for (const item of items) {
    if (item === total) continue;
    for (const kind of ['f', 'd'] as const) {
      if (item.sk?.S !== thisHourSk) hidden[kind] += num(item[kind]);
      else for (let m = at.minuteOfHour + 1; m < 60; m++) hidden[kind] += num(item[`${kind}${m}`]);
    }
  }
  for (const kind of ['f', 'd'] as const) {
    for (let s = at.secondOfMinute + 1; s < 60; s++) hidden[kind] += num(minute.Item?.[`${kind}${s}`]);
  }
  const inFlight = Math.max(0, hidden.f);
  const delayed = Math.max(0, hidden.d);
  return { visible: Math.max(0, num(total.n) - inFlight - delayed), inFlight, delayed };
}

/**
 * Gives a queue counters from its creation, or from a purge (`epoch`): the epoch's total, then the
 * head that sends the stream's changes there. In that order, so the stream never adds to an epoch
 * a reader does not see yet.
 */
export async function startCounters(base: DynamoBase, queueId: string, epoch: number): Promise<void> {
  for (const item of [
    { ...totalKey(queueId, epoch), n: N(0) },
    { ...headKey(queueId), pa: N(epoch) },
  ] as Item[]) {
    await base.run('startCounters', (capacity) =>
      base.client.send(new PutItemCommand({ ...capacity, TableName: base.messages, Item: item })),
    );
  }
}
