import { performance } from 'node:perf_hooks';
import type { QueueContext } from '../context';
import { invalidParameter, isQueueError, QueueError } from '../errors';
import type { BatchResult, OutgoingMessage, QueueRecord } from '../model';
import type { FifoMessage } from '../ports/fifo-store';
import { contentDeduplicationId, requireGroupId, validateFifoId } from '../shared/identifiers';
import { announceArrival } from '../shared/idle-poll';
import { pause } from '../shared/long-poll';
import { prepare } from '../shared/prepare';
import { refusePriority } from '../shared/priority';
import type { BatchEntry, SendContext, Sent, SentEntry } from '../shared/queue-kind';
import { fifoStore, groupShard } from './groups';
import { sendScheduledFifo } from './schedule';
import { nextSequences } from './sequence';

/**
 * Sending to a FIFO queue: each message is appended to the end of its group, with the next
 * sequence number, in one transaction that also claims its deduplication id for 5 minutes. The
 * append is conditional on the group's last sequence number being the one it follows, so two
 * senders of one group are ordered by the database and a message is never stored behind one with
 * a higher number. A repeated deduplication id is accepted, not stored, and answered with the
 * original message's id and sequence number (even if the original was deleted since).
 */

/** Appends to one group give up after losing races for this long, with a retryable error. */
const retryBudgetMs = 10_000;

type Prepared = { index: number; message: FifoMessage };
/** A message as stored, or as first stored when its deduplication id was already used (`duplicate`). */
type Appended = { message: FifoMessage; duplicate: boolean };
type Outcome = Appended | QueueError;

export async function sendFifoMessage(
  ctx: QueueContext,
  queue: QueueRecord,
  message: OutgoingMessage,
  sender: SendContext,
): Promise<Sent> {
  const prepared = prepareFifo(ctx, queue, message, sender, '');
  const [outcome] = scheduledAhead(queue, prepared)
    ? [await sendScheduledFifo(ctx, queue, prepared)]
    : await appendAll(ctx, queue, [{ index: 0, message: prepared }]);
  if (isQueueError(outcome)) throw outcome;
  const { message: stored, duplicate } = outcome!;
  // Idle receivers elsewhere hear of it through the queue's arrival tick (shared/idle-poll.ts).
  if (!duplicate) await announceArrival(ctx, queue.id, groupShard(stored.groupId, queue.shardCount));
  return {
    sent: { messageId: stored.id, bodyBytes: Buffer.byteLength(stored.body), message: stored },
    duplicate,
  };
}

/**
 * A batch: each group's entries are appended in batch order, in one transaction per group.
 * `duplicates` names the successful entries that stored nothing (their deduplication id was used).
 */
export async function sendFifoBatch(
  ctx: QueueContext,
  queue: QueueRecord,
  entries: BatchEntry[],
  sender: SendContext,
): Promise<{
  result: BatchResult<SentEntry>;
  duplicates: string[];
}> {
  const duplicates: string[] = [];
  const result: BatchResult<SentEntry> = { successful: [], failed: [] };
  const prepared: Prepared[] = [];
  entries.forEach((entry, index) => {
    try {
      prepared.push({ index, message: prepareFifo(ctx, queue, entry, sender, `messages[${index}].`) });
    } catch (error) {
      if (!isQueueError(error)) throw error;
      result.failed.push({ id: entry.id, code: error.code, message: error.message, senderFault: true });
    }
  });
  // Scheduled entries wait outside their groups (fifo/schedule.ts), each in its own write.
  const ahead = (p: Prepared) => scheduledAhead(queue, p.message);
  const appended = await appendAll(
    ctx,
    queue,
    prepared.filter((p) => !ahead(p)),
  );
  const scheduled = await Promise.all(
    prepared.filter(ahead).map((p) =>
      sendScheduledFifo(ctx, queue, p.message).catch((error: unknown) => {
        if (!isQueueError(error)) throw error;
        return error;
      }),
    ),
  );
  const outcomes = prepared.map((p) => (ahead(p) ? scheduled.shift()! : appended.shift()!));
  let announced: FifoMessage | undefined;
  prepared.forEach(({ index }, n) => {
    const id = entries[index]!.id;
    const outcome = outcomes[n]!;
    if (isQueueError(outcome)) {
      result.failed.push({
        id,
        code: outcome.code,
        message: outcome.message,
        senderFault: outcome.kind.fault === 'Sender',
      });
    } else {
      result.successful.push({ id, messageId: outcome.message.id, message: outcome.message });
      if (outcome.duplicate) duplicates.push(id);
      else announced ??= outcome.message;
    }
  });
  // Idle receivers elsewhere hear of it through the queue's arrival tick (shared/idle-poll.ts).
  if (announced) await announceArrival(ctx, queue.id, groupShard(announced.groupId, queue.shardCount));
  return { result, duplicates };
}

/** Scheduled (deliverAt): not deliverable when the queue's own delay would make it. */
const scheduledAhead = (queue: QueueRecord, m: FifoMessage) =>
  m.visibleAt !== m.sentAt + queue.delaySeconds * 1000;

function prepareFifo(
  ctx: QueueContext,
  queue: QueueRecord,
  message: OutgoingMessage,
  sender: SendContext,
  prefix: string,
): FifoMessage {
  // SQS accepts DelaySeconds=0 on a FIFO queue and refuses any other per-message delay: only the
  // queue's delay applies, so a group's messages become visible in their order.
  if (message.delaySeconds !== undefined && message.delaySeconds !== 0) {
    throw invalidParameter(
      `${prefix}delaySeconds`,
      message.delaySeconds,
      "absent or 0 on a FIFO queue: only the queue's delay applies to its messages",
    );
  }
  refusePriority(`${prefix}priority`, message.priority);
  const groupId = requireGroupId(`${prefix}groupId`, message.groupId);
  const { delaySeconds: _, ...rest } = message;
  const stored = prepare(ctx, queue, rest, sender, prefix);
  let deduplicationId: string;
  if (message.deduplicationId !== undefined) {
    deduplicationId = validateFifoId(`${prefix}deduplicationId`, message.deduplicationId);
  } else if (queue.contentBasedDeduplication) {
    deduplicationId = contentDeduplicationId(stored.body);
  } else {
    throw invalidParameter(
      `${prefix}deduplicationId`,
      undefined,
      'given (SQS MessageDeduplicationId) unless the queue has contentBasedDeduplication enabled',
    );
  }
  return {
    ...stored,
    groupId,
    deduplicationId,
    shard: groupShard(groupId, queue.shardCount),
    sequenceNumber: '',
  };
}

/** Appends every prepared message; returns, in the same order, the stored message or the error. */
async function appendAll(ctx: QueueContext, queue: QueueRecord, prepared: Prepared[]): Promise<Outcome[]> {
  const scope = queue.deduplicationScope ?? 'queue';
  const outcomes = new Map<number, Outcome>();
  // A deduplication id used twice in one request: the second is a duplicate of the first.
  const firstUse = new Map<string, number>();
  const repeats = new Map<number, number>();
  const byGroup = new Map<string, Prepared[]>();
  for (const item of prepared) {
    const { groupId, deduplicationId } = item.message;
    const key = scope === 'queue' ? deduplicationId : `${groupId}\n${deduplicationId}`;
    const first = firstUse.get(key);
    if (first !== undefined) {
      repeats.set(item.index, first);
      continue;
    }
    firstUse.set(key, item.index);
    byGroup.set(groupId, [...(byGroup.get(groupId) ?? []), item]);
  }
  await Promise.all(
    [...byGroup.entries()].map(async ([groupId, items]) => {
      try {
        for (const [index, message] of await appendToGroup(ctx, queue, groupId, items)) {
          outcomes.set(index, message);
        }
      } catch (error) {
        if (!isQueueError(error)) throw error;
        for (const { index } of items) outcomes.set(index, error);
      }
    }),
  );
  return prepared.map(({ index, message }) => {
    const first = repeats.get(index);
    if (first === undefined) return outcomes.get(index)!;
    const original = outcomes.get(first)!;
    return isQueueError(original)
      ? original
      : {
          message: { ...message, id: original.message.id, sequenceNumber: original.message.sequenceNumber },
          duplicate: true,
        };
  });
}

async function appendToGroup(
  ctx: QueueContext,
  queue: QueueRecord,
  groupId: string,
  items: Prepared[],
): Promise<Map<number, Appended>> {
  const store = fifoStore(ctx);
  const stored = new Map<number, Appended>();
  const guess = ctx.sequenceGuesses.get(queue.id, groupId);
  let last = guess.known ? guess.last : await store.lastSequence(queue.id, groupId);
  let pending = items;
  const deadline = performance.now() + retryBudgetMs;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (performance.now() > deadline) {
      throw new QueueError(
        'RequestThrottled',
        `The message group ${groupId} is receiving too many concurrent sends; send again with backoff`,
      );
    }
    const now = ctx.clock.now();
    const numbers = nextSequences(last, now, pending.length);
    const entries = pending.map((item, n) => ({
      message: { ...item.message, sequenceNumber: numbers[n]! },
      deduplicationScope: queue.deduplicationScope ?? ('queue' as const),
    }));
    const outcome = await store.append({
      queue,
      groupId,
      shard: groupShard(groupId, queue.shardCount),
      after: last,
      entries,
      now,
    });
    if (outcome.status === 'appended') {
      for (const [n, { message }] of entries.entries()) {
        stored.set(pending[n]!.index, { message, duplicate: false });
      }
      ctx.sequenceGuesses.set(queue.id, groupId, numbers.at(-1));
      return stored;
    }
    if (outcome.status === 'rejected') {
      for (const [n, original] of outcome.duplicates) {
        const item = pending[n]!;
        stored.set(item.index, {
          message: { ...item.message, id: original.messageId, sequenceNumber: original.sequenceNumber },
          duplicate: true,
        });
      }
      pending = pending.filter((_, n) => !outcome.duplicates.has(n));
      if (outcome.groupMoved) {
        last = outcome.lastSequence;
        ctx.sequenceGuesses.set(queue.id, groupId, last);
      }
    }
    // Lost races repeat quickly at first, then back off with jitter so a hot group drains.
    if (attempt >= 2) await pause(Math.random() * 2 ** Math.min(attempt, 6));
  }
  return stored;
}
