import { type QueueContext, queueDoesNotExist } from '../context';
import { invalidParameter } from '../errors';
import { limits } from '../limits';
import type { QueueRecord, StoredMessage } from '../model';
import type { ShardCursor } from '../shard-cursor';
import { optionalInteger } from '../validation';

/**
 * Message priorities on standard queues: 0 (the default) to 9 (the highest). A receive serves the
 * highest priority that has visible messages first.
 *
 * Where they live: a message of priority p in shard n of its queue sits in ready-index partition
 * number `p * 100 + n` (key `<queue id>#<p*100+n>`); priority 0 is shard n itself, exactly as
 * before priorities existed. The queue record remembers which priorities above 0 were ever sent
 * (`priorities`, written once per priority by a conditional update, read from the settings
 * cache), so a receive visits those partitions, highest first, and stops when it has enough; a
 * queue that never used a priority visits what it always did, at the same cost.
 *
 * Every walk over a queue's ready index (receive, counts, peek, purge, the sweeper, redrive,
 * depth and gauges, deleting a queue) lists its partitions with `readyShards` or
 * `receiveOrder` below, and nowhere else.
 */
export const priorityRange = { min: 0, max: 9, default: 0 } as const;

/** Partition numbers per priority: more than the most shards a queue can have. */
const partitionsPerPriority = 100;
if (limits.shardCount.max >= partitionsPerPriority) {
  throw new Error('shardCount.max must stay below the partitions kept apart for each priority');
}

/** The ready-index partition number of shard `shard` at `priority`. */
export const priorityShard = (priority: number, shard: number): number =>
  priority * partitionsPerPriority + shard;

/** The priority a message has, from the partition it sits in. */
export const priorityOf = (message: Pick<StoredMessage, 'shard'>): number =>
  Number.isInteger(message.shard) ? Math.floor(message.shard / partitionsPerPriority) : 0;

/** A random shard of another queue at the message's priority: a message moved there keeps it. */
export const withPriorityOf = (from: Pick<StoredMessage, 'shard'>, shardCount: number): number =>
  priorityShard(priorityOf(from), Math.floor(Math.random() * shardCount));

/** The priorities a queue's messages can have, highest first (0 always). */
export function prioritiesOf(queue: Pick<QueueRecord, 'priorities'>): number[] {
  return [...new Set([...(queue.priorities ?? []), 0])].sort((a, b) => b - a);
}

/** A queue's ready-index partitions per priority, highest priority first. */
export function shardsByPriority(queue: Pick<QueueRecord, 'shardCount' | 'priorities'>): number[][] {
  return prioritiesOf(queue).map((p) =>
    Array.from({ length: queue.shardCount }, (_, shard) => priorityShard(p, shard)),
  );
}

/** Every partition of a queue's ready index, highest priority first: the one list of them. */
export function readyShards(queue: Pick<QueueRecord, 'shardCount' | 'priorities'>): number[] {
  return shardsByPriority(queue).flat();
}

/**
 * The partitions a receive visits, in order: highest priority first and, within a priority,
 * starting at a shard that moves on with every receive of this process (so every shard is
 * drained). Without priorities this is exactly the rotation receives always made.
 */
export function receiveOrder(queue: Pick<QueueRecord, 'shardCount' | 'priorities'>, cursor: ShardCursor) {
  return receiveOrderByPriority(queue, cursor).flat();
}

/** receiveOrder, one list per priority (highest first): fair receives serve each in turn. */
export function receiveOrderByPriority(
  queue: Pick<QueueRecord, 'shardCount' | 'priorities'>,
  cursor: ShardCursor,
): number[][] {
  const start = cursor.next(queue.shardCount);
  return prioritiesOf(queue).map((p) =>
    Array.from({ length: queue.shardCount }, (_, i) => priorityShard(p, (start + i) % queue.shardCount)),
  );
}

/**
 * Whether candidates read from this partition may wait in the process's cache for a later
 * receive (candidates.ts): only when nothing can overtake them, that is when they are of the
 * highest priority the queue uses (always, for a queue without priorities). Lower ones would be
 * served before a higher-priority message that became visible meanwhile.
 */
export const mayWait = (queue: Pick<QueueRecord, 'priorities'>, shard: number): boolean =>
  priorityOf({ shard }) === prioritiesOf(queue)[0];

/** The priority a sender asked for (`priority`, default 0), checked. */
export function validatePriority(field: string, value: unknown): number {
  return optionalInteger(field, value, priorityRange) ?? priorityRange.default;
}

/** FIFO queues keep their order per group, which a priority would break: they refuse one. */
export function refusePriority(field: string, value: unknown): void {
  if (value !== undefined && value !== 0) {
    throw invalidParameter(
      field,
      value,
      'absent on a FIFO queue: messages of a group are delivered in the order sent',
    );
  }
}

/**
 * Makes sure the queue record lists every priority above 0 of these messages before they are
 * written (a message in a partition no receive visits would wait forever). One conditional
 * update the first time a priority is used; afterwards the cached record already has it, and a
 * send costs what it always did. Returns the record to use.
 */
export async function notePriorities(
  ctx: QueueContext,
  queue: QueueRecord,
  messages: Pick<StoredMessage, 'shard'>[],
): Promise<QueueRecord> {
  const known = new Set(queue.priorities ?? []);
  const added = [...new Set(messages.map(priorityOf))].filter((p) => p > 0 && !known.has(p));
  if (added.length === 0) return queue;
  const priorities = await ctx.store.addPriorities(queue, added);
  if (priorities === undefined) throw queueDoesNotExist(queue.ref);
  const record = { ...queue, priorities };
  ctx.queues.remember(queue.ref, record);
  // Leftover candidates of this process (see mayWait) may now be of a lower priority.
  ctx.candidates.forget(queue.id);
  return record;
}
