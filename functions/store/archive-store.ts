import { inflateRawSync } from 'node:zlib';
import { QueryCommand, type QueryCommandInput, type WriteRequest } from '@aws-sdk/client-dynamodb';
import type { ArchivedMessage, ArchiveRange, ArchiveStore } from '../queue/ports/archive-store';
import { DynamoArchiveWriter, orderOfTime, partition, partKey, timeOfPosition } from './archive-writer';
import type { Item } from './items';

/**
 * Queues' archives, in the dead-letters table (it has the TTL attribute and is not on the ready
 * index, so an archive item costs no index write):
 *   archived message  pk = `a#<queue id>#<day>#<shard>`  sk = `<20-digit order>#<message id>`
 *   body part         pk = `ap#<queue id>#<message id>`  sk = `<n>` (bodies too large for one item)
 * The day (sent time / 86,400,000) bounds a partition's size and lets a range read visit only the
 * days it covers; the shard (standard: from the message id; FIFO: the group's) spreads one day's
 * writes over the queue's shard count of partitions, since one partition key takes at most about
 * 1,000 write units a second. Bodies above 200 bytes are stored deflated when that is smaller:
 * write units are billed per KB of item.
 */
const dayMs = 86_400_000;
/** Days without messages a read visits before it answers with a cursor instead. */
const daysPerRead = 100;

export class DynamoArchiveStore extends DynamoArchiveWriter implements ArchiveStore {
  async read(range: ArchiveRange): Promise<{ messages: ArchivedMessage[]; next?: string }> {
    const lowest = orderOfTime(range.from);
    let after = range.after !== undefined && range.after > lowest ? range.after : undefined;
    const last = Math.floor(range.to / dayMs);
    const found: Item[] = [];
    let day = Math.floor((after ? timeOfPosition(after) : range.from) / dayMs);
    for (let visited = 0; day <= last; day++, visited++) {
      if (visited >= daysPerRead && found.length === 0) return { messages: [], next: endOfDay(day - 1) };
      const need = range.limit - found.length;
      const lists = await Promise.all(
        Array.from({ length: range.shards }, (_, shard) =>
          this.queryDay(range, day, shard, after ?? lowest, need + 1),
        ),
      );
      const merged = lists
        .flat()
        .filter((item) => item.sk!.S! !== after)
        .sort((a, b) => (a.sk!.S! < b.sk!.S! ? -1 : 1));
      found.push(...merged.slice(0, need));
      if (found.length >= range.limit) {
        // Each shard's list is an exact prefix of its partition (no filter: expired entries are
        // dropped after the merge), so nothing below the last position is missed. More may follow.
        const next = found.at(-1)!.sk!.S!;
        return { messages: await this.toMessages(range.queueId, found, range.now), next };
      }
      after = undefined;
    }
    return { messages: await this.toMessages(range.queueId, found, range.now) };
  }

  async count(range: Omit<ArchiveRange, 'after' | 'limit'>): Promise<number> {
    let total = 0;
    for (let day = Math.floor(range.from / dayMs); day <= Math.floor(range.to / dayMs); day++) {
      const counts = await Promise.all(
        Array.from({ length: range.shards }, async (_, shard) => {
          let n = 0;
          let start: Item | undefined;
          do {
            const out = await this.run('countArchive', (c) =>
              this.client.send(
                new QueryCommand({
                  ...c,
                  ...dayQuery(this.deadLetters, range, day, shard, orderOfTime(range.from)),
                  FilterExpression: '#ttl > :now',
                  ExpressionAttributeNames: { '#ttl': 'ttl' },
                  ExpressionAttributeValues: {
                    ...dayQuery(this.deadLetters, range, day, shard, orderOfTime(range.from))
                      .ExpressionAttributeValues,
                    ':now': { N: String(Math.floor(range.now / 1000)) },
                  },
                  Select: 'COUNT',
                  ...(start ? { ExclusiveStartKey: start } : {}),
                }),
              ),
            );
            n += out.Count ?? 0;
            start = out.LastEvaluatedKey;
          } while (start);
          return n;
        }),
      );
      total += counts.reduce((a, b) => a + b, 0);
    }
    return total;
  }

  async removeExpired(range: Omit<ArchiveRange, 'after' | 'limit'>): Promise<number> {
    let removed = 0;
    for (let day = Math.floor(range.from / dayMs); day <= Math.floor(range.to / dayMs); day++) {
      for (let shard = 0; shard < range.shards; shard++) {
        let start: Item | undefined;
        do {
          const out = await this.run('sweepArchive', (c) =>
            this.client.send(
              new QueryCommand({
                ...c,
                ...dayQuery(this.deadLetters, range, day, shard, orderOfTime(range.from)),
                FilterExpression: '#ttl <= :now',
                ExpressionAttributeNames: { '#ttl': 'ttl' },
                ExpressionAttributeValues: {
                  ...dayQuery(this.deadLetters, range, day, shard, orderOfTime(range.from))
                    .ExpressionAttributeValues,
                  ':now': { N: String(Math.floor(range.now / 1000)) },
                },
                ProjectionExpression: 'pk, sk, i, p',
                ...(start ? { ExclusiveStartKey: start } : {}),
              }),
            ),
          );
          start = out.LastEvaluatedKey;
          const items = out.Items ?? [];
          const deletes: WriteRequest[] = items.flatMap((item) => [
            { DeleteRequest: { Key: { pk: item.pk!, sk: item.sk! } } },
            ...Array.from({ length: Number(item.p?.N ?? 0) }, (_, n) => ({
              DeleteRequest: { Key: partKey(range.queueId, item.i!.S!, n) },
            })),
          ]);
          if (deletes.length > 0) await this.writeAll('sweepArchive', deletes, this.deadLetters);
          removed += items.length;
        } while (start);
      }
    }
    return removed;
  }

  private async queryDay(range: ArchiveRange, day: number, shard: number, lowest: string, limit: number) {
    const out = await this.run('readArchive', (c) =>
      this.client.send(
        new QueryCommand({ ...c, ...dayQuery(this.deadLetters, range, day, shard, lowest), Limit: limit }),
      ),
    );
    return out.Items ?? [];
  }

  private async toMessages(queueId: string, items: Item[], now: number): Promise<ArchivedMessage[]> {
    const live = items.filter((item) => Number(item.ttl?.N ?? 0) * 1000 > now);
    return Promise.all(live.map((item) => this.toMessage(queueId, item)));
  }

  private async toMessage(queueId: string, item: Item): Promise<ArchivedMessage> {
    let packed = item.z?.B;
    const parts = Number(item.p?.N ?? 0);
    if (parts > 0) {
      const out = await this.run('readArchiveParts', (c) =>
        this.client.send(
          new QueryCommand({
            ...c,
            TableName: this.deadLetters,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': { S: `ap#${queueId}#${item.i!.S}` } },
            ConsistentRead: true,
          }),
        ),
      );
      const chunks = (out.Items ?? [])
        .sort((a, b) => Number(a.sk!.S) - Number(b.sk!.S))
        .map((part) => Buffer.from(part.d!.B!));
      packed = Buffer.concat(chunks);
    }
    const body = packed ? inflateRawSync(packed).toString('utf8') : (item.b?.S ?? '');
    const message: ArchivedMessage = {
      id: item.i!.S!,
      body,
      attributes: item.a?.S ? JSON.parse(item.a.S) : {},
      sentAt: Number(item.s!.N),
      expiresAt: Number(item.x!.N),
      position: item.sk!.S!,
    };
    if (item.gi?.S) message.groupId = item.gi.S;
    if (item.th?.S) message.traceHeader = item.th.S;
    return message;
  }
}

function dayQuery(
  table: string,
  range: Omit<ArchiveRange, 'after' | 'limit'>,
  day: number,
  shard: number,
  lowest: string,
): QueryCommandInput & { ExpressionAttributeValues: Item } {
  return {
    TableName: table,
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :lo AND :hi',
    ExpressionAttributeValues: {
      ':pk': { S: partition(range.queueId, day, shard) },
      ':lo': { S: lowest },
      // Every position of a time up to `to` sorts below the bare digits of the next millisecond.
      ':hi': { S: orderOfTime(range.to + 1) },
    },
  };
}

/** A position after every message of the day and before any of the next one. */
const endOfDay = (day: number) => orderOfTime((day + 1) * dayMs);
