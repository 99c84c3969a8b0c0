import { QueryCommand } from '@aws-sdk/client-dynamodb';
import type { QueueRecord, StoredMessage } from '../queue/model';
import type { FifoMessage } from '../queue/ports/fifo-store';
import type { InspectionStore } from '../queue/ports/inspection-store';
import { DynamoBase } from './base';
import { keyString } from './batch';
import { groupIdOf, groupMessagesPartition, groupReadyPartition, itemToFifoMessage } from './fifo-items';
import { type Item, itemToMessage, messageIdOf, messageKey, readyPartition } from './items';
import { peekScheduled, schedulePartition } from './schedule-store';
import { readyIndexName } from './table-layout';

/**
 * Looking at messages without leasing them: the ready index gives the order (earliest `v`
 * first in each shard, merged across shards), then the message items are read as they are.
 * Nothing is written. Standard queue: shards queries + one BatchGetItem; FIFO: shards queries
 * + one Query per group.
 */
export class DynamoInspectionStore extends DynamoBase implements InspectionStore {
  async peekMessages(queueId: string, shards: readonly number[], limit: number): Promise<StoredMessage[]> {
    const entries = await this.earliestPerShard(shards, (shard) => readyPartition(queueId, shard), limit);
    const keys = entries.map((entry) => messageKey(queueId, messageIdOf(entry.pk)));
    if (keys.length === 0) return [];
    const found = await this.getAll(keys);
    // Index and table are read apart: a message deleted in between is simply not shown.
    const items = keys.map((key) => found.get(keyString(key))).filter((item): item is Item => !!item);
    const bodies = await this.readBodies(queueId, items);
    return items.map((item) => itemToMessage(item, bodies.get(messageIdOf(item.pk!.S!))));
  }

  async peekFifoGroups(
    queueId: string,
    shardCount: number,
    limitGroups: number,
    perGroup: number,
  ): Promise<FifoMessage[][]> {
    const groups = await this.earliestPerShard(
      Array.from({ length: shardCount }, (_, shard) => shard),
      (shard) => groupReadyPartition(queueId, shard),
      limitGroups,
    );
    return Promise.all(
      groups.map(async ({ pk }) => {
        const groupId = groupIdOf(pk);
        const out = await this.run('peekFifoGroup', (capacity) =>
          this.client.send(
            new QueryCommand({
              ...capacity,
              TableName: this.messages,
              KeyConditionExpression: 'pk = :pk',
              ExpressionAttributeValues: { ':pk': { S: groupMessagesPartition(queueId, groupId) } },
              Limit: perGroup,
            }),
          ),
        );
        const items = out.Items ?? [];
        const bodies = await this.readBodies(queueId, items);
        return items.map((item) => itemToFifoMessage(item, queueId, bodies.get(item.mi!.S!)));
      }),
    );
  }

  peekScheduled(queue: QueueRecord, now: number, limit: number) {
    const partitions = queue.fifo
      ? [schedulePartition(queue.id)]
      : Array.from({ length: queue.shardCount }, (_, shard) => readyPartition(queue.id, shard));
    return peekScheduled(this, queue.id, partitions, now, limit);
  }

  async oldestAvailableGroupSince(queueId: string, shard: number, now: number) {
    const out = await this.run('oldestAvailableGroup', (capacity) =>
      this.client.send(
        new QueryCommand({
          ...capacity,
          TableName: this.messages,
          IndexName: readyIndexName,
          KeyConditionExpression: 'g = :g AND v <= :now',
          ExpressionAttributeValues: {
            ':g': { S: groupReadyPartition(queueId, shard) },
            ':now': { N: String(now) },
          },
          ProjectionExpression: 'v',
          Limit: 1,
        }),
      ),
    );
    const first = out.Items?.[0]?.v?.N;
    return first === undefined ? undefined : Number(first);
  }

  /** The `limit` entries with the earliest `v` over every shard's partition of the ready index. */
  private async earliestPerShard(
    shards: readonly number[],
    partition: (shard: number) => string,
    limit: number,
  ): Promise<{ pk: string; v: number }[]> {
    const perShard = await Promise.all(
      shards.map(async (shard) => {
        const out = await this.run('peekReadyIndex', (capacity) =>
          this.client.send(
            new QueryCommand({
              ...capacity,
              TableName: this.messages,
              IndexName: readyIndexName,
              KeyConditionExpression: 'g = :g',
              ExpressionAttributeValues: { ':g': { S: partition(shard) } },
              ProjectionExpression: 'pk, v',
              Limit: limit,
            }),
          ),
        );
        return (out.Items ?? []).map((item) => ({ pk: item.pk!.S!, v: Number(item.v!.N) }));
      }),
    );
    return perShard
      .flat()
      .sort((a, b) => a.v - b.v)
      .slice(0, limit);
  }
}
