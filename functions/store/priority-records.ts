import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { QueueRecord } from '../queue/model';
import type { DynamoBase } from './base';
import { conditions, priorityUpdates } from './conditions';
import { type Item, queueKey } from './items';
import { isConditionFailure } from './sdk-errors';

/**
 * The priorities a queue's messages were ever sent with (queue attribute `pr`, a number set):
 * which ready-index partitions a receive visits besides priority 0's (queue/shared/priority.ts).
 * Adding to a set is idempotent, so two first sends of the same priority at once are harmless;
 * the condition only keeps the update from bringing a deleted queue back (UpdateItem would
 * otherwise create the item). 1 write unit, once per priority per queue.
 */
export async function addPriorities(
  base: DynamoBase,
  queue: QueueRecord,
  priorities: number[],
): Promise<number[] | undefined> {
  try {
    const out = await base.run('addPriorities', (capacity) =>
      base.client.send(
        new UpdateItemCommand({
          ...capacity,
          TableName: base.messages,
          Key: queueKey(queue.ref),
          ConditionExpression: conditions.sameQueueIncarnation,
          UpdateExpression: priorityUpdates.add,
          ExpressionAttributeValues: {
            ':id': { S: queue.id },
            ':priorities': { NS: priorities.map(String) },
          },
          ReturnValues: 'UPDATED_NEW',
        }),
      ),
    );
    return readPriorities(out.Attributes) ?? [];
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}

/** The priorities in a queue item (absent: none above 0 was ever used). */
export function readPriorities(item: Item | undefined): number[] | undefined {
  const set = item?.pr?.NS;
  return set === undefined ? undefined : set.map(Number).sort((a, b) => a - b);
}

/**
 * The condition that keeps a whole-record write (PutItem of queue-records.ts updateQueue) from
 * dropping a priority added since the record was read: the set only grows, so an unchanged size
 * means unchanged.
 */
export function prioritiesUnchanged(queue: QueueRecord): { condition: string; values: Item } {
  const known = queue.priorities ?? [];
  if (known.length === 0) return { condition: priorityUpdates.noneUsed, values: {} };
  return { condition: priorityUpdates.sameCount, values: { ':priorityCount': { N: String(known.length) } } };
}
