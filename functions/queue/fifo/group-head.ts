import type { QueueContext } from '../context';
import type { QueueRecord, ReceivedMessage } from '../model';
import type { FifoMessage } from '../ports/fifo-store';
import { newLeaseToken } from '../receipt-handle';
import { announceArrival } from '../shared/idle-poll';
import { exhausted, undeliverable } from '../states';
import { moveExhaustedFifo } from './dead-letters';
import { fifoStore, groupShard } from './groups';
import { encodeFifoHandle } from './handles';

/**
 * Serving a message group: take the group's lease with one conditional write, then walk its
 * messages from the head in order. Messages past retention or purged are removed, exhausted ones
 * (received maxReceiveCount times) move to the dead-letter queue, and up to `wanted` visible ones
 * are delivered under the lease. A group left with nothing to deliver is released at once (or
 * taken out of the ready index when empty), so it never waits for a lease to expire.
 */
export interface GroupService {
  delivered: ReceivedMessage[];
  expired: number;
  deadLettered: number;
}

export interface ServeOptions {
  /** How many messages to deliver; 0 only tidies the head (the sweeper). */
  wanted: number;
  visibilityTimeoutSeconds: number;
  reason: string;
}

/** Serves one group; undefined when someone else holds its lease. */
export async function serveGroup(
  ctx: QueueContext,
  queue: QueueRecord,
  groupId: string,
  options: ServeOptions,
): Promise<GroupService | undefined> {
  const store = fifoStore(ctx);
  const now = ctx.clock.now();
  const token = newLeaseToken();
  const leaseEnd = now + options.visibilityTimeoutSeconds * 1000;
  const lease = await store.leaseGroup({ queueId: queue.id, groupId, now, leaseEnd, token });
  if (!lease) return undefined;
  const service: GroupService = { delivered: [], expired: 0, deadLettered: 0 };
  const chosen: FifoMessage[] = [];
  // What follows the chosen messages: nothing, a message not visible yet, or one that cannot move.
  let next: { kind: 'empty' } | { kind: 'waiting'; at: number; expiresAt: number } | { kind: 'stuck' } = {
    kind: 'empty',
  };
  let after: string | undefined;
  const pageSize = Math.max(options.wanted, 1) + 2;
  walk: for (;;) {
    const page = await store.readGroup(queue.id, groupId, pageSize, after);
    for (const message of page) {
      after = message.sequenceNumber;
      if (undeliverable(queue, message, now)) {
        await store.removeMessage(message);
        service.expired++;
      } else if (exhausted(queue, message)) {
        if (!(await moveExhaustedFifo(ctx, queue, message, options.reason))) {
          next = { kind: 'stuck' };
          break walk;
        }
        service.deadLettered++;
      } else if (visibleFrom(message, now) > now || chosen.length >= options.wanted) {
        next = { kind: 'waiting', at: visibleFrom(message, now), expiresAt: message.expiresAt };
        break walk;
      } else {
        chosen.push(message);
      }
    }
    if (page.length < pageSize) break;
  }
  // A receiver that stalled past its own lease hands nothing out: another may hold the group now.
  if (options.visibilityTimeoutSeconds > 0 && ctx.clock.now() >= leaseEnd) return service;
  if (chosen.length > 0) {
    // A message delivered for the last time is an exhausted head if this lease ends undeleted:
    // bring the sweeper's hint forward to the lease end, so it is moved without waiting for a receive.
    const lastChance = chosen.some((message) =>
      exhausted(queue, { ...message, receiveCount: message.receiveCount + 1 }),
    );
    const [delivered] = await Promise.all([
      deliver(ctx, queue, chosen, token, now, leaseEnd),
      lastChance && (lease.tidyAt ?? Number.POSITIVE_INFINITY) > leaseEnd
        ? store.tidyGroupAt({ queueId: queue.id, groupId, token, at: leaseEnd })
        : undefined,
    ]);
    service.delivered = delivered;
    if (service.delivered.length > 0) return service;
  }
  if (next.kind === 'stuck') return service; // the lease keeps receivers off until it ends
  const request = { queueId: queue.id, groupId, token };
  let released = false;
  if (next.kind === 'waiting') {
    released = await store.releaseGroup({ ...request, availableAt: next.at, oldestExpiry: next.expiresAt });
  } else if (!(await store.retireGroup({ ...request, lastSequence: lease.lastSequence }))) {
    released = await store.releaseGroup({ ...request, availableAt: now });
  }
  // Released before its lease's end: receivers elsewhere that saw the lease wait for that end
  // unless told (shared/idle-poll.ts).
  if (released) await announceArrival(ctx, queue.id, groupShard(groupId, queue.shardCount));
  return service;
}

async function deliver(
  ctx: QueueContext,
  queue: QueueRecord,
  chosen: FifoMessage[],
  token: string,
  now: number,
  leaseEnd: number,
): Promise<ReceivedMessage[]> {
  const store = fifoStore(ctx);
  // A message deleted meanwhile with the handle of an expired lease fails its update: skip it.
  const marked = await Promise.all(
    chosen.map((message) => store.markDelivered({ message, token, now, leaseEnd })),
  );
  const delivered = chosen.filter((_, n) => marked[n]);
  const last = delivered.at(-1)?.sequenceNumber;
  if (last === undefined) return [];
  return delivered.map((message) => {
    const { leaseToken: _, ...rest } = message;
    return {
      ...rest,
      receiveCount: message.receiveCount + 1,
      firstReceivedAt: message.firstReceivedAt ?? now,
      lastReceivedAt: now,
      visibleAt: leaseEnd,
      receiptHandle: encodeFifoHandle(ctx, queue.id, {
        groupId: message.groupId,
        sequenceNumber: message.sequenceNumber,
        last,
        messageId: message.id,
        token,
      }),
    };
  });
}

/**
 * When a message at the head can be delivered, for the holder of the group's lease. A message
 * delivered before keeps the end of the lease it was delivered under, but the group's lease decides
 * its visibility: whoever holds the group now holds it because that lease ended (expired, or was
 * moved by ChangeMessageVisibility, which moves only the group's end), so the message is visible.
 * A message never delivered waits for its delay.
 */
export function visibleFrom(message: FifoMessage, now: number): number {
  return message.leaseToken === undefined ? Math.max(message.visibleAt, now) : now;
}
