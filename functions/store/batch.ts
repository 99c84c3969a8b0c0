import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  type DynamoDBClient,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { type Item, isTombstone } from './items';
import { translateSdkError } from './sdk-errors';

/**
 * BatchWriteItem and BatchGetItem may leave part of a request unprocessed under load; these
 * helpers retry that part with backoff and report what still failed, rather than dropping it.
 */
const maxWriteItems = 25;
const maxGetItems = 100;
const attempts = 5;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const keyString = (key: Item) => `${key.pk?.S}|${key.sk?.S}`;

/** Writes every request; returns the keys (pk|sk) of the requests that could not be written. */
export async function writeAll(
  client: DynamoDBClient,
  table: string,
  requests: WriteRequest[],
  consumed?: (units: unknown) => void,
): Promise<Set<string>> {
  const failed = new Set<string>();
  for (let start = 0; start < requests.length; start += maxWriteItems) {
    let pending = requests.slice(start, start + maxWriteItems);
    for (let attempt = 0; pending.length > 0 && attempt < attempts; attempt++) {
      if (attempt > 0) await pause(25 * 2 ** attempt);
      try {
        const out = await client.send(
          new BatchWriteItemCommand({
            RequestItems: { [table]: pending },
            ReturnConsumedCapacity: consumed ? 'INDEXES' : 'NONE',
          }),
        );
        consumed?.(out.ConsumedCapacity);
        pending = out.UnprocessedItems?.[table] ?? [];
      } catch (error) {
        if (attempt === attempts - 1) throw translateSdkError(error, 'a batch write');
      }
    }
    for (const request of pending) {
      const key = request.PutRequest?.Item ?? request.DeleteRequest?.Key;
      if (key) failed.add(keyString(key));
    }
  }
  return failed;
}

/**
 * Reads every key (strongly consistent); missing items are absent from the result, and so are the
 * tombstones deleted messages leave (items.ts), so no reader mistakes one for a message.
 */
export async function getAll(
  client: DynamoDBClient,
  table: string,
  keys: Item[],
): Promise<Map<string, Item>> {
  const found = new Map<string, Item>();
  for (let start = 0; start < keys.length; start += maxGetItems) {
    let pending = keys.slice(start, start + maxGetItems);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= attempts) throw translateSdkError(new Error('unprocessed keys'), 'a batch read');
      if (attempt > 0) await pause(25 * 2 ** attempt);
      try {
        const out = await client.send(
          new BatchGetItemCommand({
            RequestItems: { [table]: { Keys: pending, ConsistentRead: true } },
          }),
        );
        for (const item of out.Responses?.[table] ?? []) {
          if (!isTombstone(item)) found.set(keyString(item), item);
        }
        pending = out.UnprocessedKeys?.[table]?.Keys ?? [];
      } catch (error) {
        if (attempt === attempts - 1) throw translateSdkError(error, 'a batch read');
      }
    }
  }
  return found;
}

export { keyString };
