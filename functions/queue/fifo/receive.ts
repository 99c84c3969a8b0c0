import type { QueueContext } from '../context';
import { limits } from '../limits';
import type { QueueRecord, ReceivedMessage } from '../model';
import { reasons } from '../shared/dead-letter-reasons';
import { validateFifoId } from '../shared/identifiers';
import { longPoll } from '../shared/long-poll';
import type { ReceiveOptions } from '../shared/queue-kind';
import { shuffle } from '../shared/shuffle';
import { receiveOnce } from './attempts';
import { serveGroup } from './group-head';
import { fifoStore } from './groups';
import { promoteDue } from './schedule';

/**
 * Receiving from a FIFO queue: find available groups in the ready index (eventually consistent),
 * then serve them one at a time: the group's lease is the only thing receivers race for, so a
 * group never has messages in two receivers' hands, while different groups go to different
 * receivers. A receive fills up from the first group it wins, then from others, as SQS does.
 */

export async function receiveFifoMessages(
  ctx: QueueContext,
  queue: QueueRecord,
  input: ReceiveOptions,
): Promise<ReceivedMessage[]> {
  const attemptId =
    input.attemptId === undefined ? undefined : validateFifoId('receiveRequestAttemptId', input.attemptId);
  const receive = () =>
    longPoll(ctx, queue.id, input.waitTimeSeconds, () =>
      serveGroups(ctx, queue, input.maxMessages, input.visibilityTimeoutSeconds),
    );
  return attemptId === undefined ? receive() : receiveOnce(ctx, queue, attemptId, input, receive);
}

async function serveGroups(
  ctx: QueueContext,
  queue: QueueRecord,
  maxMessages: number,
  visibilityTimeoutSeconds: number,
): Promise<ReceivedMessage[]> {
  const store = fifoStore(ctx);
  // Due scheduled messages join their groups first (only on queues that ever scheduled).
  if (queue.scheduling) await promoteDue(ctx, queue);
  const received: ReceivedMessage[] = [];
  // Bounded, so a receive that keeps losing races answers instead of chasing groups.
  let leaseAttempts = limits.maxMessages.max + 4;
  // Successive receives start at different shards so that every shard is drained.
  const start = ctx.shardCursor.next(queue.shardCount);
  for (let i = 0; i < queue.shardCount && received.length < maxMessages; i++) {
    const shard = (start + i) % queue.shardCount;
    const wanted = maxMessages - received.length;
    // A wider window than needed, tried in random order: concurrent receivers rarely race.
    const { groupIds } = await store.findAvailableGroups(
      queue.id,
      shard,
      ctx.clock.now(),
      Math.min(50, wanted * 3 + 2),
    );
    for (const groupId of shuffle(groupIds)) {
      if (received.length >= maxMessages || leaseAttempts-- <= 0) break;
      const served = await serveGroup(ctx, queue, groupId, {
        wanted: maxMessages - received.length,
        visibilityTimeoutSeconds,
        reason: reasons.receive,
      });
      if (served) received.push(...served.delivered);
    }
  }
  return received;
}
