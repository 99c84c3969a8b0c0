import {
  type AttributeValue,
  GetItemCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type {
  FifoMessageCounts,
  FifoPurgeRequest,
  FifoTransfer,
  MoveOutcome,
} from '../queue/ports/fifo-store';
import { noMessages, stateOf } from '../queue/states';
import { conditionFailed, contended, type DynamoBase } from './base';
import { conditions, groupConditions, groupUpdates } from './conditions';
import { deadLetterRecord } from './dead-letter-records';
import {
  fifoMessageItems,
  groupIdOf,
  groupKey,
  groupMessagesPartition,
  groupReadyPartition,
} from './fifo-items';
import type { Item } from './items';
import { isConditionFailure } from './sdk-errors';
import { readyIndexName } from './table-layout';

const N = (n: number): AttributeValue => ({ N: String(n) });
const S = (s: string): AttributeValue => ({ S: s });

/**
 * The FIFO adapter's slower paths: moves between queues, approximate counts and purges. Counts and
 * purges walk the groups in the ready index (every group that may hold messages is there) and
 * then each group's own partition: queries only, never a scan.
 */

/**
 * Counting reads at most this many groups' partitions: a queue with more groups is counted from a
 * random sample of them, scaled up to all of its groups, and the counts say `approximate`.
 */
export const countedGroupsLimit = 1_000;
/** Listing groups (ready-index entries, ~150 bytes each) stops past this many; counts then cover these. */
export const listedGroupsLimit = 10_000;

/** One message from its group in one queue to the end of its group in another, atomically. */
export async function transferFifoMessage(table: DynamoBase, request: FifoTransfer): Promise<MoveOutcome> {
  const { message, moved, now } = request;
  const { item, parts } = fifoMessageItems(moved);
  // Parts are written under the target queue's id first; a retry writes the same keys again.
  const putParts = parts.map((Item) => ({ PutRequest: { Item } }));
  if (parts.length > 0 && (await table.writeAll('fifoTransferParts', putParts)).size > 0) {
    return { status: 'retry', lastSequence: request.after };
  }
  const result = await table.transact('fifoTransferMessage', [
    {
      Delete: {
        TableName: table.messages,
        Key: {
          pk: S(groupMessagesPartition(message.queueId, message.groupId)),
          sk: S(message.sequenceNumber),
        },
        ConditionExpression: groupConditions.unchanged,
        ExpressionAttributeValues: { ':rc': N(message.receiveCount) },
      },
    },
    { Put: { TableName: table.messages, Item: item, ConditionExpression: conditions.itemAbsent } },
    {
      Update: {
        TableName: table.messages,
        Key: groupKey(moved.queueId, moved.groupId),
        UpdateExpression: groupUpdates.append,
        ConditionExpression: groupConditions.follows(request.after),
        ExpressionAttributeNames: { '#ttl': 'ttl' },
        ExpressionAttributeValues: {
          ':last': S(moved.sequenceNumber),
          ':g': S(groupReadyPartition(moved.queueId, request.targetShard)),
          ':visibleAt': N(now),
          ':expiresAt': N(moved.expiresAt),
          ':ttl': N(Math.ceil(moved.expiresAt / 1000) + 86_400),
          ...(request.after === undefined ? {} : { ':after': S(request.after) }),
        },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    },
    // A move into a dead-letter queue (not a redrive out of one) is recorded for browsing.
    ...(moved.deadLetter?.deadLetteredAt === now
      ? [
          {
            Put: {
              TableName: table.deadLetters,
              Item: deadLetterRecord(moved.queueId, now, moved.id, moved),
            },
          },
        ]
      : []),
  ]);
  if (result.ok) {
    // The source's parts are keyed by its own message id (a redriven message has a new one).
    await table.deleteParts('fifoDeleteParts', message.queueId, [{ ...item, mi: S(message.id) }]);
    return { status: 'moved' };
  }
  if (contended(result.reasons)) return { status: 'retry', lastSequence: request.after };
  if (conditionFailed(result.reasons[0])) {
    await table.deleteParts('fifoDeleteParts', moved.queueId, [item]);
    return { status: 'skipped' };
  }
  return { status: 'retry', lastSequence: result.reasons[2]?.Item?.sn?.S };
}

export async function countFifoMessages(
  table: DynamoBase,
  queueId: string,
  shardCount: number,
  now: number,
  sampleSize = countedGroupsLimit,
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
          groupPartition(queueId, groupId, 'v, rc'),
        )) {
          counts[stateOf({ visibleAt: Number(item.v?.N), receiveCount: Number(item.rc?.N ?? 0) }, now)]++;
        }
      }),
    );
  }
  if (groups.length === all.length && !truncated) return counts;
  const scale = groups.length === 0 ? 0 : all.length / groups.length;
  return {
    visible: Math.round(counts.visible * scale),
    inFlight: Math.round(counts.inFlight * scale),
    delayed: Math.round(counts.delayed * scale),
    approximate: true,
  };
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

/**
 * Deletes the messages of every group (those sent up to `sentUpTo` for a purge). A purge takes a
 * group that it emptied out of the ready index unless something was appended meanwhile; a queue
 * deletion removes the group records too.
 */
export async function purgeFifoMessages(table: DynamoBase, request: FifoPurgeRequest) {
  const deadline = Date.now() + request.budgetMs;
  let removed = 0;
  for (let shard = 0; shard < request.shardCount; shard++) {
    for (const groupId of await listGroups(table, request.queueId, shard, Number.POSITIVE_INFINITY)) {
      if (Date.now() > deadline) return { removed, done: false };
      const group = await table.run('fifoPurgeGroup', (c) =>
        table.client.send(
          new GetItemCommand({
            ...c,
            TableName: table.messages,
            Key: groupKey(request.queueId, groupId),
            ConsistentRead: true,
          }),
        ),
      );
      const items = await queryAll(
        table,
        'fifoPurgeMessages',
        groupPartition(request.queueId, groupId, 'pk, sk, s, mi, p'),
      );
      const doomed = items.filter(
        (item) => request.sentUpTo === undefined || Number(item.s?.N) <= request.sentUpTo,
      );
      await table.writeAll(
        'fifoPurgeMessages',
        doomed.map((item) => ({ DeleteRequest: { Key: { pk: item.pk!, sk: item.sk! } } })),
      );
      await table.deleteParts('fifoDeleteParts', request.queueId, doomed);
      removed += doomed.length;
      if (request.sentUpTo === undefined) {
        await table.writeAll('fifoPurgeGroup', [
          { DeleteRequest: { Key: groupKey(request.queueId, groupId) } },
        ]);
      } else if (doomed.length === items.length && group.Item?.sn?.S) {
        await retireUnchanged(table, request.queueId, groupId, group.Item.sn.S);
      }
    }
  }
  return { removed, done: true };
}

async function retireUnchanged(table: DynamoBase, queueId: string, groupId: string, last: string) {
  try {
    await table.run('fifoPurgeGroup', (c) =>
      table.client.send(
        new UpdateItemCommand({
          ...c,
          TableName: table.messages,
          Key: groupKey(queueId, groupId),
          ConditionExpression: groupConditions.lastIs,
          UpdateExpression: groupUpdates.retire,
          ExpressionAttributeValues: { ':last': S(last) },
        }),
      ),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}

/** Every group of a shard in the ready index, available or leased, up to `limit`. */
async function listGroups(
  table: DynamoBase,
  queueId: string,
  shard: number,
  limit: number,
): Promise<string[]> {
  const items = await queryAll(
    table,
    'fifoListGroups',
    {
      TableName: table.messages,
      IndexName: readyIndexName,
      KeyConditionExpression: 'g = :g',
      ExpressionAttributeValues: { ':g': S(groupReadyPartition(queueId, shard)) },
      ProjectionExpression: 'pk',
    },
    limit,
  );
  return items.map((item) => groupIdOf(item.pk!.S!));
}

function groupPartition(queueId: string, groupId: string, projection: string): QueryCommandInput {
  return {
    TableName: '',
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': S(groupMessagesPartition(queueId, groupId)) },
    ProjectionExpression: projection,
  };
}

async function queryAll(
  table: DynamoBase,
  operation: string,
  input: QueryCommandInput,
  limit = Number.POSITIVE_INFINITY,
): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Item | undefined;
  do {
    const out = await table.run(operation, (c) =>
      table.client.send(
        new QueryCommand({
          ...c,
          ...input,
          TableName: table.messages,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      ),
    );
    items.push(...(out.Items ?? []));
    startKey = out.LastEvaluatedKey;
  } while (startKey && items.length < limit);
  return items;
}
