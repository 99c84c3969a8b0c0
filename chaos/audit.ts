import {
  type AttributeValue,
  BatchGetItemCommand,
  type BatchGetItemCommandOutput,
  type DynamoDBClient,
  QueryCommand,
  type QueryCommandOutput,
} from '@aws-sdk/client-dynamodb';
import type { QueueRecord } from '../functions/queue/model';
import { readyShards } from '../functions/queue/shared/priority';
import { readyPartition } from '../functions/store/items';
import { readyIndexName, type TableNames } from '../functions/store/table-layout';

/**
 * Reads what is left in a queue straight from DynamoDB, through a client without faults and
 * without going through the service: every message item of the queue (the ready index lists
 * all of them, in every state and at every priority), read back consistently from the table.
 * Pass a queue record read after the sends: it lists the priorities they used.
 */
export interface StoredState {
  messageId: string;
  /** The body, or for a body stored in parts its first part (enough to read the send key). */
  body: string;
  receiveCount: number;
  visibleAt: number;
  expiresAt: number;
  /** A dead letter's source queue and the receives it had there. */
  deadLetter?: { sourceQueue: string; receiveCount: number };
}

type Item = Record<string, AttributeValue>;

export async function readQueue(
  client: DynamoDBClient,
  tables: TableNames,
  queue: QueueRecord,
): Promise<Map<string, StoredState>> {
  const keys: Item[] = [];
  for (const shard of readyShards(queue)) {
    let startKey: Item | undefined;
    do {
      const out = await client.send(
        new QueryCommand({
          TableName: tables.messages,
          IndexName: readyIndexName,
          KeyConditionExpression: 'g = :g',
          ExpressionAttributeValues: { ':g': { S: readyPartition(queue.id, shard) } },
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of out.Items ?? []) keys.push({ pk: item.pk!, sk: item.sk! });
      startKey = out.LastEvaluatedKey;
    } while (startKey);
  }
  const items = await getItems(client, tables.messages, keys);
  const firstParts = await getItems(
    client,
    tables.messages,
    items.filter((item) => item.p?.N !== undefined).map((item) => ({ pk: item.pk!, sk: { S: 'b#0' } })),
  );
  const partBodies = new Map(
    firstParts.map((part) => [part.pk!.S!, Buffer.from(part.d!.B!).toString('utf8')]),
  );
  const states = new Map<string, StoredState>();
  for (const item of items) {
    const messageId = item.pk!.S!.split('#')[2]!;
    const deadLetter = item.dl?.S ? (JSON.parse(item.dl.S) as StoredState['deadLetter']) : undefined;
    states.set(messageId, {
      messageId,
      body: item.b?.S ?? partBodies.get(item.pk!.S!) ?? '',
      receiveCount: Number(item.rc?.N),
      visibleAt: Number(item.v?.N),
      expiresAt: Number(item.x?.N),
      ...(deadLetter ? { deadLetter } : {}),
    });
  }
  return states;
}

async function getItems(client: DynamoDBClient, table: string, keys: Item[]): Promise<Item[]> {
  const items: Item[] = [];
  for (let start = 0; start < keys.length; start += 100) {
    let pending: Item[] | undefined = keys.slice(start, start + 100);
    while (pending && pending.length > 0) {
      const out: BatchGetItemCommandOutput = await client.send(
        new BatchGetItemCommand({ RequestItems: { [table]: { Keys: pending, ConsistentRead: true } } }),
      );
      items.push(...(out.Responses?.[table] ?? []));
      pending = out.UnprocessedKeys?.[table]?.Keys;
    }
  }
  return items;
}

/** How many message items a queue still holds, in any state. */
export async function countStored(client: DynamoDBClient, tables: TableNames, queue: QueueRecord) {
  let total = 0;
  for (const shard of readyShards(queue)) {
    let startKey: Item | undefined;
    do {
      const out: QueryCommandOutput = await client.send(
        new QueryCommand({
          TableName: tables.messages,
          IndexName: readyIndexName,
          KeyConditionExpression: 'g = :g',
          ExpressionAttributeValues: { ':g': { S: readyPartition(queue.id, shard) } },
          Select: 'COUNT',
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      total += out.Count ?? 0;
      startKey = out.LastEvaluatedKey;
    } while (startKey);
  }
  return total;
}
