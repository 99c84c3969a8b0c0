import { performance } from 'node:perf_hooks';
import type { QueueContext } from '../context';
import { limits } from '../limits';
import type { QueueRecord, ReceivedMessage } from '../model';
import type { AttemptRecord, ReceiveAttempt } from '../ports/fifo-store';
import { newLeaseToken } from '../receipt-handle';
import { pause } from '../shared/long-poll';
import { fifoStore } from './groups';
import { decodeFifoHandle, encodeFifoHandle } from './handles';

/**
 * ReceiveRequestAttemptId: a receive with an attempt id is remembered for 5 minutes, so a client
 * that lost the answer and retries with the same id gets the same messages and receipt handles,
 * with their lease renewed, as long as it still holds them. When none is held any more (deleted,
 * or received by someone else after the lease ended) the retry is a new receive.
 *
 * The id is claimed before receiving (one conditional write), so two receives with the same id at
 * the same instant never both receive: the second waits for the first to finish, then answers
 * with the same messages, or with nothing if the first received nothing. A claim whose receiver
 * died is taken over once its end (the receive's wait plus a margin) has passed.
 */

/** How long past its long-poll wait a claimed receive may take before its claim counts as abandoned. */
const claimMarginMs = 15_000;
/** A concurrent receive never waits longer than this for the claim's holder. */
const maxClaimWaitMs = 25_000;

export async function receiveOnce(
  ctx: QueueContext,
  queue: QueueRecord,
  attemptId: string,
  options: { visibilityTimeoutSeconds: number; waitTimeSeconds: number },
  receive: () => Promise<ReceivedMessage[]>,
): Promise<ReceivedMessage[]> {
  const store = fifoStore(ctx);
  const token = newLeaseToken();
  let replacing: string | undefined;
  let waitedFor: string | undefined;
  let waitUntil: number | undefined;
  // Each round either answers or loses a claim race to a newer receive, so a few are plenty.
  for (let round = 0; round < 5; round++) {
    const now = ctx.clock.now();
    const outcome = await store.claimAttempt({
      queueId: queue.id,
      attemptId,
      token,
      now,
      claimEnd: now + options.waitTimeSeconds * 1000 + claimMarginMs,
      expiresAt: now + limits.deduplicationWindowMs,
      ...(replacing === undefined ? {} : { replacing }),
    });
    if (outcome.claimed) return receiveClaimed(ctx, queue, attemptId, token, options, receive);
    let current: AttemptRecord | undefined = outcome.current;
    while (current && !current.result && current.claimEnd > ctx.clock.now()) {
      waitedFor = current.token;
      waitUntil ??= performance.now() + Math.min(maxClaimWaitMs, current.claimEnd - ctx.clock.now());
      // An empty answer is always a valid receive; the client's retry finds the outcome.
      if (performance.now() >= waitUntil) return [];
      await pause(ctx.pollIntervalMs);
      current = await store.getAttempt(queue.id, attemptId, ctx.clock.now());
    }
    // The receive waited for got nothing (its claim was dropped).
    if (!current && waitedFor !== undefined) return [];
    if (current?.result) {
      const replayed = await replayAttempt(ctx, queue, current.result, options.visibilityTimeoutSeconds);
      if (replayed.length > 0 || current.token === waitedFor) return replayed;
    }
    // Nothing held any more, or an abandoned claim: a new receive, claimed over what was seen.
    replacing = current?.token;
  }
  return [];
}

async function receiveClaimed(
  ctx: QueueContext,
  queue: QueueRecord,
  attemptId: string,
  token: string,
  options: { visibilityTimeoutSeconds: number },
  receive: () => Promise<ReceivedMessage[]>,
): Promise<ReceivedMessage[]> {
  const store = fifoStore(ctx);
  let received: ReceivedMessage[];
  try {
    received = await receive();
  } catch (error) {
    // Free the id at once, so the client's retry does not wait for the claim to run out.
    await store.dropAttempt(queue.id, attemptId, token).catch(() => undefined);
    throw error;
  }
  if (received.length === 0) {
    await store.dropAttempt(queue.id, attemptId, token);
    return received;
  }
  await store.finishAttempt(queue.id, token, {
    attemptId,
    expiresAt: ctx.clock.now() + limits.deduplicationWindowMs,
    visibilityTimeoutSeconds: options.visibilityTimeoutSeconds,
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
  return received;
}

/** The attempt's messages still held under their lease, with the lease renewed; [] when none is. */
async function replayAttempt(
  ctx: QueueContext,
  queue: QueueRecord,
  attempt: ReceiveAttempt,
  visibilityTimeoutSeconds: number,
): Promise<ReceivedMessage[]> {
  const store = fifoStore(ctx);
  const now = ctx.clock.now();
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
  return replayed;
}
