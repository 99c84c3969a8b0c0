import type { QueueContext } from '../context';
import type { QueueRecord } from '../model';
import type { FifoMessage } from '../ports/fifo-store';
import { deadLetterInfo } from '../shared/dead-letter-reasons';
import { transferToGroup } from './transfer';

/**
 * Dead letters of FIFO queues. A FIFO queue's dead-letter queue is a FIFO queue; an exhausted
 * message (at the head of its group, its last lease expired) moves to the end of the same group
 * there, in one transaction, so the group's next message becomes deliverable.
 */

/** Moves one exhausted message; false if it changed meanwhile or there is no FIFO dead-letter queue. */
export async function moveExhaustedFifo(
  ctx: QueueContext,
  source: QueueRecord,
  message: FifoMessage,
  reason: string,
): Promise<boolean> {
  if (source.deadLetterQueue === undefined) return false;
  const target = await ctx.queues.find({ ...source.ref, name: source.deadLetterQueue });
  // A deleted (or since re-created standard) dead-letter queue: the message waits, undelivered.
  if (!target?.fifo) return false;
  const { leaseToken: _, firstReceivedAt: _first, lastReceivedAt: _last, ...kept } = message;
  const outcome = await transferToGroup(ctx, target, message, (sequenceNumber, now) => ({
    ...kept,
    queueId: target.id,
    sequenceNumber,
    visibleAt: now,
    // Counted from the move, as for standard queues (SQS counts from the first send).
    expiresAt: now + target.retentionSeconds * 1000,
    receiveCount: 0,
    deadLetter: deadLetterInfo(source, message, reason, now),
  }));
  if (outcome !== 'moved') return false;
  ctx.stats.count(source.id, 'deadLettered');
  return true;
}
