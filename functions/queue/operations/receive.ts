import type { QueueContext } from '../context';
import { kindOf } from '../kinds';
import { limits } from '../limits';
import type { QueueRef, ReceivedMessage } from '../model';
import { priorityOf } from '../shared/priority';
import { optionalInteger } from '../validation';

/**
 * Receiving: the queue's settings fill in what the caller left out, the queue's kind leases the
 * messages (standard/receive.ts, fifo/receive.ts), and what was received is counted.
 */
export interface ReceiveInput {
  maxMessages?: number;
  visibilityTimeoutSeconds?: number;
  waitTimeSeconds?: number;
  /** FIFO only (SQS ReceiveRequestAttemptId): a retry with the same id gets the same messages. */
  receiveRequestAttemptId?: string;
}

export async function receiveMessages(
  ctx: QueueContext,
  ref: QueueRef,
  input: ReceiveInput = {},
): Promise<ReceivedMessage[]> {
  const queue = await ctx.queues.require(ref);
  const maxMessages = optionalInteger('maxMessages', input.maxMessages, limits.maxMessages) ?? 1;
  const visibilityTimeoutSeconds =
    optionalInteger(
      'visibilityTimeoutSeconds',
      input.visibilityTimeoutSeconds,
      limits.visibilityTimeoutSeconds,
    ) ?? queue.visibilityTimeoutSeconds;
  const waitTimeSeconds =
    optionalInteger('waitTimeSeconds', input.waitTimeSeconds, limits.receiveWaitSeconds) ??
    queue.receiveWaitSeconds;
  const received = await kindOf(queue).receive(ctx, queue, {
    maxMessages,
    visibilityTimeoutSeconds,
    waitTimeSeconds,
    attemptId: input.receiveRequestAttemptId,
  });
  await ctx.stats.record(queue.id, 'received', received.length);
  return received.sort(queue.fifo ? bySequenceNumber : byPriorityThenSendTime);
}

/**
 * The order within one receive: highest priority first (shared/priority.ts), then oldest first. Standard queues promise no order, but a small
 * queue read by one consumer comes back in send order, as clients and their tests expect of
 * SQS. Across shards only what this receive read is ordered: finding the oldest of all shards
 * would cost a query per shard. FIFO: by sequence number, which orders groups among themselves
 * too (a group's own messages are in order either way).
 */
const byPriorityThenSendTime = (a: ReceivedMessage, b: ReceivedMessage) =>
  priorityOf(b) - priorityOf(a) || a.sentAt - b.sentAt;
const bySequenceNumber = (a: ReceivedMessage, b: ReceivedMessage) =>
  (a.sequenceNumber ?? '').localeCompare(b.sequenceNumber ?? '');
