import {
  type AttributeValue,
  BatchGetItemCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { QueueRecord } from '../queue/model';
import type {
  FairnessStore,
  GroupCandidate,
  InFlightGroups,
  VisibleGroupsRequest,
} from '../queue/ports/fairness-store';
import { DynamoBase } from './base';
import { conditions, visibleInShard } from './conditions';
import { type Item, messageIdOf, queueKey, readyPartition } from './items';
import { isConditionFailure } from './sdk-errors';
import { readyIndexName } from './table-layout';

/**
 * The DynamoDB adapter of fair queues (queue/shared/fairness.ts). Keys and expressions:
 *
 *   group send record  pk = `gs#<queue id>#<group id>`, sk = `gs`: `ls` when the group last sent
 *                      (ms), `ttl` a day later. One small item per group, written at most once a
 *                      minute per group by each sending process: 1 write unit.
 *   queue mark         `groupsSentAt` on the queue record (items.ts), the same cadence per queue.
 *   ready index        the group id `gi` is projected (table-layout.ts), so in-flight counts by
 *                      group and visible candidates with their groups are index reads (0.5 read
 *                      unit per 4 KB), never reads of message items.
 */
const groupSendKey = (queueId: string, groupId: string): Item => ({
  pk: { S: `gs#${queueId}#${groupId}` },
  sk: { S: 'gs' },
});
const groupSendTtlSeconds = 24 * 3600;
/** A lease ends at most 12 hours after its receive, so in-flight entries lie within this of now. */
const longestLeaseMs = 12 * 3600 * 1000;

const fairExpressions = {
  recordSend: 'SET ls = :now, #ttl = :ttl',
  markQueue: 'SET groupsSentAt = :now',
  inFlight: 'g = :g AND v BETWEEN :after AND :until',
  /** Messages without a group are each their own tenant: never in an excluded group. */
  outside: (count: number) =>
    `attribute_not_exists(gi) OR NOT (gi IN (${Array.from({ length: count }, (_, i) => `:x${i}`).join(', ')}))`,
} as const;

function outsideGroups(excluding: string[] | undefined) {
  if (!excluding || excluding.length === 0) return {};
  const values: Record<string, AttributeValue> = {};
  excluding.forEach((group, i) => {
    values[`:x${i}`] = { S: group };
  });
  return { FilterExpression: fairExpressions.outside(excluding.length), values };
}

export class DynamoFairnessStore extends DynamoBase implements FairnessStore {
  async recordGroupSends(queue: QueueRecord, groups: string[], now: number, markQueue: boolean) {
    const ttl = { N: String(Math.ceil(now / 1000) + groupSendTtlSeconds) };
    const writes: Promise<unknown>[] = groups.map((group) =>
      this.run('recordGroupSend', (capacity) =>
        this.client.send(
          new UpdateItemCommand({
            ...capacity,
            TableName: this.messages,
            Key: groupSendKey(queue.id, group),
            UpdateExpression: fairExpressions.recordSend,
            ExpressionAttributeNames: { '#ttl': 'ttl' },
            ExpressionAttributeValues: { ':now': { N: String(now) }, ':ttl': ttl },
          }),
        ),
      ),
    );
    if (markQueue) writes.push(this.markQueue(queue, now));
    await Promise.all(writes);
  }

  private async markQueue(queue: QueueRecord, now: number) {
    try {
      return await this.run('markGroupsSent', (capacity) =>
        this.client.send(
          new UpdateItemCommand({
            ...capacity,
            TableName: this.messages,
            Key: queueKey(queue.ref),
            UpdateExpression: fairExpressions.markQueue,
            ConditionExpression: conditions.sameQueueIncarnation,
            ExpressionAttributeValues: { ':now': { N: String(now) }, ':id': { S: queue.id } },
          }),
        ),
      );
    } catch (error) {
      // The queue was deleted (or created again) meanwhile: nothing to mark.
      if (!isConditionFailure(error)) throw error;
      return undefined;
    }
  }

  async lastGroupSends(queueId: string, groups: string[]) {
    const sends = new Map<string, number>();
    if (groups.length === 0) return sends;
    const byPk = new Map(groups.map((group) => [groupSendKey(queueId, group).pk!.S!, group]));
    const out = await this.run('lastGroupSends', (capacity) =>
      this.client.send(
        new BatchGetItemCommand({
          ...capacity,
          RequestItems: {
            [this.messages]: {
              Keys: groups.map((group) => groupSendKey(queueId, group)),
              ProjectionExpression: 'pk, ls',
            },
          },
        }),
      ),
    );
    // At most 9 groups can hold over 10% each, so one call always fits; unprocessed keys read as
    // unknown (the group counts as quiet until the next look).
    for (const item of out.Responses?.[this.messages] ?? []) {
      const group = byPk.get(item.pk?.S ?? '');
      if (group !== undefined && item.ls?.N) sends.set(group, Number(item.ls.N));
    }
    return sends;
  }

  async inFlightByGroup(queueId: string, partitions: number[], now: number, maxPerShard: number) {
    const perShard = await Promise.all(
      partitions.map(async (shard) => {
        const input: QueryCommandInput = {
          TableName: this.messages,
          IndexName: readyIndexName,
          KeyConditionExpression: fairExpressions.inFlight,
          FilterExpression: 'rc > :zero',
          ProjectionExpression: 'gi',
          ExpressionAttributeValues: {
            ':g': { S: readyPartition(queueId, shard) },
            ':after': { N: String(now + 1) },
            ':until': { N: String(now + longestLeaseMs + 60_000) },
            ':zero': { N: '0' },
          },
        };
        return this.pages('inFlightByGroup', input, maxPerShard);
      }),
    );
    const result: InFlightGroups = { total: 0, byGroup: new Map(), sampled: false };
    for (const shard of perShard) {
      result.sampled ||= shard.truncated;
      for (const item of shard.items) {
        result.total++;
        const group = item.gi?.S;
        if (group !== undefined) result.byGroup.set(group, (result.byGroup.get(group) ?? 0) + 1);
      }
    }
    return result;
  }

  async findVisibleGroups(request: VisibleGroupsRequest): Promise<GroupCandidate[]> {
    const visible = visibleInShard(request.queueId, request.shard, request.now);
    const outside = outsideGroups(request.excluding);
    const input: QueryCommandInput = {
      TableName: this.messages,
      ...visible,
      ProjectionExpression: 'pk, gi',
      ...(outside.FilterExpression ? { FilterExpression: outside.FilterExpression } : {}),
      ExpressionAttributeValues: { ...visible.ExpressionAttributeValues, ...outside.values },
    };
    const maxScanned = outside.FilterExpression ? (request.maxScanned ?? request.limit) : request.limit;
    const { items } = await this.pages('findVisibleGroups', input, maxScanned, request.limit);
    return items.slice(0, request.limit).map((item) => ({
      messageId: messageIdOf(item.pk!.S!),
      ...(item.gi?.S === undefined ? {} : { groupId: item.gi.S }),
    }));
  }

  async countVisibleOutside(queueId: string, partitions: number[], now: number, excluding: string[]) {
    const perShard = await Promise.all(
      partitions.map(async (shard) => {
        const visible = visibleInShard(queueId, shard, now);
        const outside = outsideGroups(excluding);
        return this.pages(
          'countVisibleOutside',
          {
            TableName: this.messages,
            ...visible,
            ProjectionExpression: 'v',
            ...(outside.FilterExpression ? { FilterExpression: outside.FilterExpression } : {}),
            ExpressionAttributeValues: { ...visible.ExpressionAttributeValues, ...outside.values },
          },
          Number.POSITIVE_INFINITY,
        );
      }),
    );
    let count = 0;
    let oldestSince: number | undefined;
    for (const { items } of perShard) {
      count += items.length;
      // Each shard's answer is in visibility order: its first entry is its longest-visible one.
      const first = items[0]?.v?.N;
      if (first !== undefined && (oldestSince === undefined || Number(first) < oldestSince)) {
        oldestSince = Number(first);
      }
    }
    return oldestSince === undefined ? { count } : { count, oldestSince };
  }

  /**
   * Reads pages of a query until `maxScanned` index entries were evaluated (filters apply after
   * the read, so the cost is the entries scanned) or `enough` items matched.
   */
  private async pages(operation: string, input: QueryCommandInput, maxScanned: number, enough = Infinity) {
    const items: Item[] = [];
    let scanned = 0;
    let startKey: Item | undefined;
    do {
      const room = maxScanned - scanned;
      const out = await this.run(operation, (capacity) =>
        this.client.send(
          new QueryCommand({
            ...capacity,
            ...input,
            ...(Number.isFinite(room) ? { Limit: Math.max(1, Math.min(room, 1_000)) } : {}),
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
          }),
        ),
      );
      items.push(...(out.Items ?? []));
      scanned += out.ScannedCount ?? 0;
      startKey = out.LastEvaluatedKey;
    } while (startKey && scanned < maxScanned && items.length < enough);
    return { items, truncated: startKey !== undefined };
  }
}
