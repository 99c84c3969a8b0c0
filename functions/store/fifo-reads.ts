import type { AttributeValue, QueryCommandInput } from '@aws-sdk/client-dynamodb';
import { GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoBase } from './base';
import { filters } from './conditions';
import {
  fifoMessageKey,
  groupIdOf,
  groupMessagesPartition,
  groupReadyPartition,
  itemToFifoMessage,
} from './fifo-items';
import type { Item } from './items';
import { readyIndexName } from './table-layout';

const N = (n: number): AttributeValue => ({ N: String(n) });
const S = (s: string): AttributeValue => ({ S: s });

/**
 * Reads of FIFO groups: available or expiring groups from the ready index, and a group's
 * messages in sequence order from its own partition (strongly consistent).
 */

export function findAvailableGroups(
  base: DynamoBase,
  queueId: string,
  shard: number,
  now: number,
  limit: number,
  cursor?: string,
) {
  return queryGroups(base, 'fifoFindGroups', queueId, shard, now, limit, cursor);
}

export function findExpiringGroups(
  base: DynamoBase,
  queueId: string,
  shard: number,
  now: number,
  limit: number,
  cursor?: string,
) {
  return queryGroups(
    base,
    'fifoFindExpiringGroups',
    queueId,
    shard,
    now,
    limit,
    cursor,
    filters.groupExpiring,
  );
}

export async function readGroup(
  base: DynamoBase,
  queueId: string,
  groupId: string,
  limit: number,
  after?: string,
) {
  const items = await queryGroup(base, queueId, groupId, limit, after);
  const bodies = await base.readBodies(queueId, items);
  return items.map((item) => itemToFifoMessage(item, queueId, bodies.get(item.mi!.S!)));
}

export async function peekGroup(base: DynamoBase, queueId: string, groupId: string) {
  const [item] = await queryGroup(base, queueId, groupId, 1);
  return item ? itemToFifoMessage(item, queueId) : undefined;
}

export async function getMessage(base: DynamoBase, queueId: string, groupId: string, sequenceNumber: string) {
  const out = await base.run('fifoGetMessage', (c) =>
    base.client.send(
      new GetItemCommand({
        ...c,
        TableName: base.messages,
        Key: fifoMessageKey(queueId, groupId, sequenceNumber),
        ConsistentRead: true,
      }),
    ),
  );
  if (!out.Item) return undefined;
  const bodies = await base.readBodies(queueId, [out.Item]);
  return itemToFifoMessage(out.Item, queueId, bodies.get(out.Item.mi!.S!));
}

export async function queryGroups(
  base: DynamoBase,
  operation: string,
  queueId: string,
  shard: number,
  now: number,
  limit: number,
  cursor: string | undefined,
  filter?: string,
) {
  const out = await base.run(operation, (c) =>
    base.client.send(
      new QueryCommand({
        ...c,
        TableName: base.messages,
        IndexName: readyIndexName,
        KeyConditionExpression: 'g = :g AND v <= :now',
        ...(filter ? { FilterExpression: filter } : {}),
        ExpressionAttributeValues: { ':g': S(groupReadyPartition(queueId, shard)), ':now': N(now) },
        ProjectionExpression: 'pk',
        Limit: limit,
        ...(cursor
          ? { ExclusiveStartKey: JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) }
          : {}),
      }),
    ),
  );
  const next = out.LastEvaluatedKey;
  return {
    groupIds: (out.Items ?? []).map((item) => groupIdOf(item.pk!.S!)),
    ...(next ? { cursor: Buffer.from(JSON.stringify(next)).toString('base64url') } : {}),
  };
}

export async function queryGroup(
  base: DynamoBase,
  queueId: string,
  groupId: string,
  limit: number,
  after?: string,
): Promise<Item[]> {
  const out = await base.run('fifoReadGroup', (c) =>
    base.client.send(
      new QueryCommand({
        ...c,
        TableName: base.messages,
        KeyConditionExpression: after === undefined ? 'pk = :pk' : 'pk = :pk AND sk > :after',
        ExpressionAttributeValues: {
          ':pk': S(groupMessagesPartition(queueId, groupId)),
          ...(after === undefined ? {} : { ':after': S(after) }),
        },
        ConsistentRead: true,
        Limit: limit,
      }),
    ),
  );
  return out.Items ?? [];
}

/** Every group of a shard in the ready index, available or leased, up to `limit`. */
export async function listGroups(
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

export function groupPartition(queueId: string, groupId: string, projection: string): QueryCommandInput {
  return {
    TableName: '',
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': S(groupMessagesPartition(queueId, groupId)) },
    ProjectionExpression: projection,
  };
}

export async function queryAll(
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
