import type { QueueContext } from '../context';
import { isQueueError, type QueueError } from '../errors';
import type { QueueRecord } from '../model';
import type { DeleteOutcome, VisibilityOutcome } from '../ports/queue-store';
import { announceArrival } from '../shared/idle-poll';
import { exhausted } from '../states';
import { visibleFrom } from './group-head';
import { fifoStore, groupShard } from './groups';
import { decodeFifoHandle, type FifoHandle } from './handles';

/**
 * Deleting FIFO messages and changing their visibility. A delete needs only the message's own
 * lease token (one conditional delete); then, if no message of that lease is left in the group,
 * the group is released at once for the next receiver, or retired from the ready index when it
 * is empty. Visibility belongs to the group's lease: changing it moves the lease of every message
 * delivered with it, and 0 hands the group (from its oldest undeleted message) to the next receiver.
 */
export async function deleteFifoMessage(
  ctx: QueueContext,
  queue: QueueRecord,
  receiptHandle: unknown,
  anyLease = false,
): Promise<DeleteOutcome> {
  const handle = decodeFifoHandle(ctx, queue.id, receiptHandle);
  const outcome = await fifoStore(ctx).deleteMessage({ queueId: queue.id, ...handle, anyLease });
  if (outcome === 'deleted') await releaseIfDone(ctx, queue, handle);
  return outcome;
}

/** Deletes a batch; entries of one lease share one release check. Failures are returned per entry. */
export async function deleteFifoMessages(
  ctx: QueueContext,
  queue: QueueRecord,
  entries: { receiptHandle: unknown }[],
  anyLease = false,
): Promise<(DeleteOutcome | QueueError)[]> {
  const store = fifoStore(ctx);
  const leases = new Map<string, FifoHandle>();
  const outcomes = await Promise.all(
    entries.map(async ({ receiptHandle }) => {
      try {
        const handle = decodeFifoHandle(ctx, queue.id, receiptHandle);
        const outcome = await store.deleteMessage({ queueId: queue.id, ...handle, anyLease });
        if (outcome === 'deleted') leases.set(`${handle.groupId}\n${handle.token}`, handle);
        return outcome;
      } catch (error) {
        if (!isQueueError(error)) throw error;
        return error;
      }
    }),
  );
  await Promise.all([...leases.values()].map((handle) => releaseIfDone(ctx, queue, handle)));
  return outcomes;
}

export async function changeFifoVisibility(
  ctx: QueueContext,
  queue: QueueRecord,
  receiptHandle: unknown,
  seconds: number,
  anyLease = false,
): Promise<VisibilityOutcome> {
  const handle = decodeFifoHandle(ctx, queue.id, receiptHandle);
  const now = ctx.clock.now();
  const store = fifoStore(ctx);
  const request = {
    queueId: queue.id,
    groupId: handle.groupId,
    token: handle.token,
    now,
    visibleAt: now + seconds * 1000,
  };
  let outcome = await store.changeGroupVisibility(request);
  if (anyLease && (outcome === 'stale' || outcome === 'notInFlight')) {
    // An earlier lease's handle: it acts on the group as long as its message is still queued
    // (a read and a second write, on this path only).
    if (!(await store.getMessage(queue.id, handle.groupId, handle.sequenceNumber))) return 'gone';
    outcome = await store.changeGroupVisibility({ ...request, anyLease: true });
  }
  // The group may be available sooner than idle receivers elsewhere expect (shared/idle-poll.ts).
  if (outcome === 'changed')
    await announceArrival(ctx, queue.id, groupShard(handle.groupId, queue.shardCount));
  return outcome;
}

/**
 * After a delete: if the group's head is past the last message of this lease, none of the lease's
 * messages is left in flight, so the group goes to the next receiver now. The read is strongly
 * consistent, so of concurrent deletes of a lease's last messages the later one sees both gone.
 */
async function releaseIfDone(ctx: QueueContext, queue: QueueRecord, handle: FifoHandle): Promise<void> {
  const store = fifoStore(ctx);
  const head = await store.peekGroup(queue.id, handle.groupId);
  if (head && head.sequenceNumber <= handle.last) return;
  const lease = { queueId: queue.id, groupId: handle.groupId, token: handle.token };
  if (!head && (await store.retireGroup({ ...lease, lastSequence: handle.last }))) return;
  const now = ctx.clock.now();
  const released = await store.releaseGroup({
    ...lease,
    availableAt: head ? visibleFrom(head, now) : now,
    // The same write resets the sweeper's hint to the new head (an early hint costs it a read).
    ...(head ? { oldestExpiry: exhausted(queue, head) ? now : head.expiresAt } : {}),
  });
  // The group's next messages are available before its lease would have ended: idle receivers
  // elsewhere saw that end as the group's next moment (shared/idle-poll.ts).
  if (released) await announceArrival(ctx, queue.id, groupShard(handle.groupId, queue.shardCount));
}

/** A FIFO group has one lease: a batch's changes apply in the order given, so the last one wins. */
export async function forEachVisibilityChangeInOrder<T>(
  entries: T[],
  change: (entry: T, index: number) => Promise<void>,
): Promise<void> {
  for (const [index, entry] of entries.entries()) await change(entry, index);
}
