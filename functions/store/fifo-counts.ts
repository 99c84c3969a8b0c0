import type { FifoMessageCounts } from '../queue/ports/fifo-store';
import { noMessages, stateOf } from '../queue/states';
import type { DynamoBase } from './base';
import { groupPartition, listGroups, queryAll } from './fifo-reads';
import { schedulePartition } from './schedule-store';
import { readyIndexName } from './table-layout';

/**
 * Approximate counts of a FIFO queue: its groups are listed from the ready index, then each
 * group's own partition is read (queries only, never a scan).
 */
/**
 * Counting reads at most this many groups' partitions: a queue with more groups is counted from a
 * random sample of them, scaled up to all of its groups, and the counts say `approximate`.
 */
export const countedGroupsLimit = 1_000;
/** Listing groups (ready-index entries, ~150 bytes each) stops past this many; counts then cover these. */
export const listedGroupsLimit = 10_000;

export async function countFifoMessages(
  table: DynamoBase,
  queueId: string,
  shardCount: number,
  now: number,
  sampleSize = countedGroupsLimit,
  purgedAt?: number,
): Promise<FifoMessageCounts> {
  // Groups hash evenly over shards, so each shard lists its share of the listing limit.
  const perShard = Math.ceil(listedGroupsLimit / shardCount);
  const listed = await Promise.all(
    Array.from({ length: shardCount }, (_, shard) => listGroups(table, queueId, shard, perShard)),
  );
  const truncated = listed.some((groups) => groups.length >= perShard);
  const all = listed.flat();
  // A random sample, not the first groups listed: those are the longest-available ones.
  const groups = sample(all, sampleSize);
  const counts = noMessages();
  for (let i = 0; i < groups.length; i += 16) {
    await Promise.all(
      groups.slice(i, i + 16).map(async (groupId) => {
        // A message's own `v` is its delivery lease end, or when it becomes visible if never received.
        for (const item of await queryAll(
          table,
          'fifoCountMessages',
          groupPartition(queueId, groupId, 'v, rc, s'),
        )) {
          // Purged, waiting for its removal: gone for every reader already.
          if (purgedAt !== undefined && Number(item.s?.N) <= purgedAt) continue;
          counts[stateOf({ visibleAt: Number(item.v?.N), receiveCount: Number(item.rc?.N ?? 0) }, now)]++;
        }
      }),
    );
  }
  const scheduled = await countScheduled(table, queueId, now);
  if (groups.length === all.length && !truncated) {
    counts.delayed += scheduled.delayed;
    counts.visible += scheduled.due;
    return counts;
  }
  const scale = groups.length === 0 ? 0 : all.length / groups.length;
  return {
    visible: Math.round(counts.visible * scale) + scheduled.due,
    inFlight: Math.round(counts.inFlight * scale),
    delayed: Math.round(counts.delayed * scale) + scheduled.delayed,
    approximate: true,
  };
}

/**
 * Scheduled messages wait outside their groups until due, in the queue's schedule partition
 * (fifo-schedule.ts): not yet due they are delayed; due, the next receive or sweep moves them into
 * their group, and meanwhile they count as visible. Expired ones are gone already.
 */
async function countScheduled(table: DynamoBase, queueId: string, now: number) {
  const items = await queryAll(table, 'fifoCountScheduled', {
    TableName: table.messages,
    IndexName: readyIndexName,
    KeyConditionExpression: 'g = :g',
    ExpressionAttributeValues: { ':g': { S: schedulePartition(queueId) } },
    ProjectionExpression: 'v, x',
  });
  let delayed = 0;
  let due = 0;
  for (const item of items) {
    if (item.x?.N !== undefined && Number(item.x.N) <= now) continue;
    if (Number(item.v?.N) > now) delayed++;
    else due++;
  }
  return { delayed, due };
}

function sample<T>(items: T[], size: number): T[] {
  if (items.length <= size) return items;
  const pool = [...items];
  for (let i = 0; i < size; i++) {
    const j = i + Math.floor(Math.random() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, size);
}
