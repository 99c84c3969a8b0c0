import type { QueueContext } from '../context';
import { limits } from '../limits';
import type { QueueRecord, ReceivedMessage } from '../model';
import { fifoStore } from './groups';
import { decodeFifoHandle, encodeFifoHandle } from './handles';

/**
 * ReceiveRequestAttemptId: a receive with an attempt id is remembered for 5 minutes, so a client
 * that lost the answer and retries with the same id gets the same messages and receipt handles,
 * with their lease renewed, as long as it still holds them. When none is held any more (deleted,
 * or received by someone else after the lease ended) the retry is a new receive.
 */
export async function replayAttempt(
  ctx: QueueContext,
  queue: QueueRecord,
  attemptId: string,
  visibilityTimeoutSeconds: number,
): Promise<ReceivedMessage[] | undefined> {
  const store = fifoStore(ctx);
  const now = ctx.clock.now();
  const attempt = await store.getAttempt(queue.id, attemptId, now);
  if (!attempt) return undefined;
  const found = await Promise.all(
    attempt.messages.map((entry) => store.getMessage(queue.id, entry.groupId, entry.sequenceNumber)),
  );
  const renewed = new Map<string, boolean>();
  const replayed: ReceivedMessage[] = [];
  for (const [n, entry] of attempt.messages.entries()) {
    const message = found[n];
    if (!message || message.leaseToken !== entry.token) continue;
    const lease = `${entry.groupId}\n${entry.token}`;
    if (!renewed.has(lease)) {
      const outcome = await store.changeGroupVisibility({
        queueId: queue.id,
        groupId: entry.groupId,
        token: entry.token,
        now,
        visibleAt: now + visibilityTimeoutSeconds * 1000,
      });
      renewed.set(lease, outcome === 'changed');
    }
    if (!renewed.get(lease)) continue;
    const { leaseToken: _, ...rest } = message;
    replayed.push({
      ...rest,
      visibleAt: now + visibilityTimeoutSeconds * 1000,
      receiptHandle: encodeFifoHandle(ctx, queue.id, { ...entry, messageId: message.id }),
    });
  }
  return replayed.length > 0 ? replayed : undefined;
}

export async function saveAttempt(
  ctx: QueueContext,
  queue: QueueRecord,
  attemptId: string,
  visibilityTimeoutSeconds: number,
  received: ReceivedMessage[],
): Promise<void> {
  await fifoStore(ctx).saveAttempt(queue.id, {
    attemptId,
    expiresAt: ctx.clock.now() + limits.deduplicationWindowMs,
    visibilityTimeoutSeconds,
    messages: received.map((message) => {
      const handle = decodeFifoHandle(ctx, queue.id, message.receiptHandle);
      return {
        groupId: handle.groupId,
        sequenceNumber: handle.sequenceNumber,
        token: handle.token,
        last: handle.last,
        messageId: handle.messageId,
      };
    }),
  });
}
