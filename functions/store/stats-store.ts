import { QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import {
  counterNames,
  type DepthSample,
  type MinuteCounts,
  type StatsStore,
  type StoredMinute,
} from '../queue/ports/stats-store';
import { messageStates, noMessages } from '../queue/states';
import { DynamoBase } from './base';
import type { Item } from './items';

/**
 * Per-minute statistics in the messages table, one item per queue and minute:
 *
 *   pk = `st#<queue id>`  sk = minute start (epoch ms, 15 digits, so text order is time order)
 *   sent, received, deleted, deadLettered, redriven   counters, only ever ADDed
 *   visible, inFlight, delayed (states.ts)            the sweeper's depth sample, SET
 *   ttl                                               a day after the minute
 *
 * Items have no `g`, so they never enter the ready index. A day of one queue is at most 1,440
 * small items in one partition: reading a window is one Query (two past 1 MB, which it is not).
 */
const statsPartition = (queueId: string) => `st#${queueId}`;
const minuteKey = (minute: number) => String(minute).padStart(15, '0');
const N = (n: number) => ({ N: String(n) });

export class DynamoStatsStore extends DynamoBase implements StatsStore {
  async addCounts(queueId: string, minute: number, counts: Partial<MinuteCounts>, expiresAt: number) {
    const added = counterNames.filter((name) => (counts[name] ?? 0) > 0);
    if (added.length === 0) return;
    await this.run('addStatsCounts', (capacity) =>
      this.client.send(
        new UpdateItemCommand({
          ...capacity,
          TableName: this.messages,
          Key: { pk: { S: statsPartition(queueId) }, sk: { S: minuteKey(minute) } },
          // ADD commutes: every process adds its own counts to the same minute, in any order.
          UpdateExpression: `SET #ttl = :ttl ADD ${added.map((name) => `#${name} :${name}`).join(', ')}`,
          ExpressionAttributeNames: {
            '#ttl': 'ttl',
            ...Object.fromEntries(added.map((name) => [`#${name}`, name])),
          },
          ExpressionAttributeValues: {
            ':ttl': N(Math.ceil(expiresAt / 1000)),
            ...Object.fromEntries(added.map((name) => [`:${name}`, N(counts[name]!)])),
          },
        }),
      ),
    );
  }

  async setDepth(queueId: string, minute: number, depth: DepthSample, expiresAt: number) {
    await this.run('setStatsDepth', (capacity) =>
      this.client.send(
        new UpdateItemCommand({
          ...capacity,
          TableName: this.messages,
          Key: { pk: { S: statsPartition(queueId) }, sk: { S: minuteKey(minute) } },
          UpdateExpression: `SET #ttl = :ttl, ${messageStates.map((name) => `#${name} = :${name}`).join(', ')}`,
          ExpressionAttributeNames: {
            '#ttl': 'ttl',
            ...Object.fromEntries(messageStates.map((name) => [`#${name}`, name])),
          },
          ExpressionAttributeValues: {
            ':ttl': N(Math.ceil(expiresAt / 1000)),
            ...Object.fromEntries(messageStates.map((name) => [`:${name}`, N(depth[name])])),
          },
        }),
      ),
    );
  }

  async readMinutes(queueId: string, from: number, to: number): Promise<StoredMinute[]> {
    const minutes: StoredMinute[] = [];
    let startKey: Item | undefined;
    do {
      const out = await this.run('readStats', (capacity) =>
        this.client.send(
          new QueryCommand({
            ...capacity,
            TableName: this.messages,
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
            ExpressionAttributeValues: {
              ':pk': { S: statsPartition(queueId) },
              ':from': { S: minuteKey(from) },
              ':to': { S: minuteKey(to) },
            },
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
          }),
        ),
      );
      for (const item of out.Items ?? []) minutes.push(itemToMinute(item));
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return minutes;
  }
}

function itemToMinute(item: Item): StoredMinute {
  const minute: StoredMinute = { minute: Number(item.sk!.S!) };
  for (const name of counterNames) if (item[name]?.N !== undefined) minute[name] = Number(item[name].N);
  if (item.visible?.N !== undefined) {
    const depth = noMessages();
    for (const state of messageStates) depth[state] = Number(item[state]?.N ?? 0);
    minute.depth = depth;
  }
  return minute;
}
