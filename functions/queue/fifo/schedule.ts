import type { ScanSummary } from '../arrivals';
import type { QueueContext } from '../context';
import type { QueueRecord } from '../model';
import type { DueScheduled, FifoMessage } from '../ports/fifo-store';
import { announceArrival, noteShardLook } from '../shared/idle-poll';
import { pause } from '../shared/long-poll';
import { fifoStore, groupShard } from './groups';
import { nextSequences } from './sequence';

/**
 * Scheduled delivery on FIFO queues (shared/schedule.ts). A scheduled message is held outside its
 * group until it is due, so it never blocks the group's other messages; when due, a receive (or the
 * sweeper) appends it to the end of its group with the next sequence number. That moment decides
 * its place: it follows every message the group got before it became due and joined, and precedes
 * every later one. Its deduplication id is claimed at the send, so a repeat within 5 minutes is a
 * duplicate whether the original is scheduled or not.
 *
 * Only queues marked by a scheduled send (`scheduling`, on the cached queue record) look for due
 * messages on receive: one index query; a FIFO queue that never schedules pays nothing more.
 */

/** How many due messages one receive moves into their groups before serving groups. */
const promotionsPerReceive = 25;
const parallelPromotions = 8;

export async function sendScheduledFifo(
  ctx: QueueContext,
  queue: QueueRecord,
  prepared: FifoMessage,
): Promise<{ message: FifoMessage; duplicate: boolean }> {
  const message = { ...prepared, sequenceNumber: '' };
  const outcome = await fifoStore(ctx).putScheduled({
    queue,
    message,
    deduplicationScope: queue.deduplicationScope ?? 'queue',
    markQueue: !queue.scheduling,
    now: ctx.clock.now(),
  });
  if (outcome.status === 'duplicate') {
    return {
      message: { ...message, id: outcome.messageId, sequenceNumber: outcome.sequenceNumber },
      duplicate: true,
    };
  }
  if (!queue.scheduling) ctx.queues.remember(queue.ref, { ...queue, scheduling: true });
  return { message, duplicate: false };
}

/**
 * Moves due scheduled messages into their groups, earliest first; returns how many moved (and
 * how many were found: the sweeper goes on while pages are full).
 */
export async function promoteDue(
  ctx: QueueContext,
  queue: QueueRecord,
  limit = promotionsPerReceive,
  scan?: ScanSummary,
): Promise<{ found: number; promoted: number }> {
  const store = fifoStore(ctx);
  const now = ctx.clock.now();
  let due: DueScheduled[];
  if (scan) {
    // A receive also learns when the next scheduled message is due: an idle receiver looks again then.
    const look = await store.findDueScheduledOrNext(queue.id, now, limit);
    due = look.due;
    noteShardLook(scan, { messageIds: due.map((entry) => entry.messageId), nextVisibleAt: look.nextDueAt });
  } else {
    due = await store.findDueScheduled(queue.id, now, limit);
  }
  let promoted = 0;
  for (let i = 0; i < due.length; i += parallelPromotions) {
    const moved = await Promise.all(
      due.slice(i, i + parallelPromotions).map(({ messageId }) => promoteOne(ctx, queue, messageId)),
    );
    promoted += moved.filter(Boolean).length;
  }
  // A message joined its group: receivers elsewhere (idle, or waiting for its due time) hear of it.
  if (promoted > 0) await announceArrival(ctx, queue.id);
  return { found: due.length, promoted };
}

async function promoteOne(ctx: QueueContext, queue: QueueRecord, messageId: string): Promise<boolean> {
  const store = fifoStore(ctx);
  // The group's last number: read once, then as a lost race reports it.
  let last: string | undefined | null = null;
  for (let attempt = 0; attempt < 8; attempt++) {
    const now = ctx.clock.now();
    const outcome = await store.promoteScheduled({
      queue,
      messageId,
      now,
      place: async (groupId) => {
        if (last === null) last = await store.lastSequence(queue.id, groupId);
        return {
          after: last,
          sequenceNumber: nextSequences(last, now, 1)[0]!,
          shard: groupShard(groupId, queue.shardCount),
        };
      },
    });
    if (outcome.status === 'promoted')
      ctx.sequenceGuesses.set(queue.id, outcome.groupId, outcome.sequenceNumber);
    if (outcome.status !== 'retry') return outcome.status === 'promoted';
    last = outcome.lastSequence;
    if (attempt >= 2) await pause(Math.random() * 2 ** attempt);
  }
  return false;
}
