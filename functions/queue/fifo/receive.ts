import type { ScanSummary } from '../arrivals';
import type { QueueContext } from '../context';
import { limits } from '../limits';
import type { QueueRecord, ReceivedMessage } from '../model';
import { reasons } from '../shared/dead-letter-reasons';
import { validateFifoId } from '../shared/identifiers';
import { noteShardLook, watchedLongPoll } from '../shared/idle-poll';
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
    watchedLongPoll(
      ctx,
      queue.id,
      input.waitTimeSeconds,
      (scan) => serveGroups(ctx, queue, input.maxMessages, input.visibilityTimeoutSeconds, scan),
      // A record that learnt of scheduling (another process's first scheduled send) looks again.
      queue.scheduling ? 'scheduled' : '',
    );
  return attemptId === undefined ? receive() : receiveOnce(ctx, queue, attemptId, input, receive);
}

async function serveGroups(
  ctx: QueueContext,
  queue: QueueRecord,
  maxMessages: number,
  visibilityTimeoutSeconds: number,
  scan: ScanSummary,
): Promise<ReceivedMessage[]> {
  const store = fifoStore(ctx);
  // Due scheduled messages join their groups first (only on queues that ever scheduled).
  if (queue.scheduling) await promoteDue(ctx, queue, undefined, scan);
  const received: ReceivedMessage[] = [];
  // Bounded, so a receive that keeps losing races answers instead of chasing groups.
  let leaseAttempts = limits.maxMessages.max + 4;
  // Successive receives start at different shards so that every shard is drained; one woken by a
  // move of the arrival tick starts where that message went (shared/idle-poll.ts).
  const hinted = ctx.arrivals.takeStartShard(queue.id);
  const start =
    hinted !== undefined && hinted < queue.shardCount ? hinted : ctx.shardCursor.next(queue.shardCount);
  for (let i = 0; i < queue.shardCount && received.length < maxMessages; i++) {
    const shard = (start + i) % queue.shardCount;
    const wanted = maxMessages - received.length;
    // A wider window than needed, tried in random order: concurrent receivers rarely race. The
    // same query also says when the shard's next group becomes available (idle-poll.ts).
    const { groupIds, nextAvailableAt } = await store.findAvailableGroupsOrNext(
      queue.id,
      shard,
      ctx.clock.now(),
      Math.min(50, wanted * 3 + 2),
    );
    noteShardLook(scan, { messageIds: groupIds, nextVisibleAt: nextAvailableAt });
    for (const groupId of shuffle(groupIds)) {
      if (received.length >= maxMessages || leaseAttempts-- <= 0) break;
      const served = await serveGroup(ctx, queue, groupId, {
        wanted: maxMessages - received.length,
        visibilityTimeoutSeconds,
        reason: reasons.receive,
      });
      if (served) received.push(...served.delivered);
    }
    // Woken by an arrival elsewhere and served from its shard: answer now rather than look at
    // every other shard first (a long poll returns as soon as messages are there).
    if (i === 0 && hinted === start && received.length > 0) break;
  }
  return received;
}
