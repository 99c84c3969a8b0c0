import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { QueueContext } from '../context';
import { limits } from '../limits';
import type { MoveTask, QueueRecord } from '../model';
import { sendMessageBatch } from '../operations/send';
import type { ArchivedMessage } from '../ports/archive-store';
import { pause } from '../shared/long-poll';
import { addSlice, emptySlice, progressed } from '../shared/move-progress';
import { finishMoveTask, saveProgress } from '../shared/move-task';
import type { BatchEntry } from '../shared/queue-kind';
import { attributeMatches } from '../shared/redrive-filter';
import { archiveReader } from './archive';

/**
 * One slice of a replay: page by page through the archive's range, oldest first, each page's
 * messages sent to the destination in batches of up to 10, in archive order (so a FIFO group's
 * order holds), then the cursor saved. Each replayed message has an id made from the task and the
 * original (and, on FIFO queues, a deduplication id made the same way), so a page sent again after
 * a crash before its cursor was saved stores nothing twice: a standard send finds the item (or the
 * tombstone a deleted one leaves for 15 minutes), a FIFO send the deduplication id (5 minutes).
 */
export const replayOfAttribute = 'dq.ReplayOf';
export const originalSentAtAttribute = 'dq.OriginalSentAt';

export async function replaySlice(ctx: QueueContext, initial: MoveTask, deadline: number): Promise<MoveTask> {
  let task = initial;
  const source = await ctx.queues.find(task.source);
  if (!source || source.id !== task.sourceQueueId) {
    return finishMoveTask(ctx, task, 'FAILED', 'The archived queue was deleted');
  }
  const destination =
    task.destination === source.ref.name
      ? source
      : await ctx.queues.find({ ...task.source, name: task.destination! });
  if (!destination || destination.id !== task.replay!.destinationQueueId) {
    return finishMoveTask(ctx, task, 'FAILED', 'The destination queue was deleted');
  }
  if (!archiveReader(ctx)) return finishMoveTask(ctx, task, 'FAILED', 'This service keeps no archives');
  const msPerMessage = 1000 / task.maxPerSecond;
  const pageSize = Math.min(100, Math.max(10, task.maxPerSecond));
  while (performance.now() < deadline) {
    const page = await archiveReader(ctx)!.read({
      queueId: source.id,
      shards: source.shardCount,
      from: task.replay!.from,
      to: task.replay!.to,
      ...(task.cursor === undefined ? {} : { after: task.cursor }),
      limit: pageSize,
      now: ctx.clock.now(),
    });
    let slice = emptySlice();
    let cursor = page.next;
    let stalled = false;
    for (const chunk of chunks(page.messages)) {
      const started = performance.now();
      const selected = chunk.filter((m) => selects(task, m));
      const outcome = selected.length > 0 ? await send(ctx, task, destination, selected) : noFailures;
      if (outcome.stopAt !== undefined) {
        // Stop before the first message not stored for a passing reason (throttled, unavailable);
        // the next slice sends from there, and what this batch stored after it is recognised
        // then, not stored twice.
        const first = chunk.indexOf(selected[outcome.stopAt]!);
        slice = addSlice(slice, counted(chunk.slice(0, first), task, outcome.refused));
        cursor = chunk[first - 1]?.position ?? previous(page.messages, chunk[0]!) ?? task.cursor ?? '';
        stalled = true;
        break;
      }
      slice = addSlice(slice, counted(chunk, task, outcome.refused));
      const wait = selected.length * msPerMessage - (performance.now() - started);
      if (wait > 0) await pause(wait);
    }
    const finished = cursor === undefined;
    const next = progressed(task, slice, ctx.clock.now(), finished);
    const refused = (task.unroutable ?? 0) + slice.unroutable;
    if (refused > 0) {
      next.failureReason = `${refused} archived message(s) were refused by the destination queue (too large for it, or invalid there) and not replayed`;
    }
    if (finished) {
      delete next.cursor;
      return finishMoveTask(ctx, next, 'COMPLETED');
    }
    if (cursor === '') delete next.cursor;
    else next.cursor = cursor;
    const cancelled = await saveProgress(ctx, next);
    if (cancelled) return cancelled;
    task = next;
    // The destination refuses for now: the next scheduled slice tries again.
    if (stalled) break;
  }
  return task;
}

/** The position just before `message` in the page, if it is not the first. */
function previous(messages: ArchivedMessage[], message: ArchivedMessage): string | undefined {
  const index = messages.indexOf(message);
  return index > 0 ? messages[index - 1]!.position : undefined;
}

/** Counts a part of the page that was sent; `refused`: ids of messages the destination refused for good. */
function counted(messages: ArchivedMessage[], task: MoveTask, refused: Set<string>) {
  const matched = messages.filter((m) => selects(task, m));
  const notStored = matched.filter((m) => refused.has(m.id)).length;
  return {
    examined: messages.length,
    matched: matched.length,
    moved: matched.length - notStored,
    unroutable: notStored,
  };
}

const noFailures: { stopAt?: number; refused: Set<string> } = { refused: new Set<string>() };

/** The filter's choice; never a copy this very task made (a replay into its own queue). */
function selects(task: MoveTask, m: ArchivedMessage): boolean {
  const original = m.attributes[replayOfAttribute]?.stringValue;
  if (original !== undefined && m.id === replayId(task.taskId, original)) return false;
  return !task.filter.attribute || attributeMatches(m.attributes, task.filter.attribute);
}

/** Batches of up to 10 messages and at most the batch size limit. */
function chunks(messages: ArchivedMessage[]): ArchivedMessage[][] {
  const out: ArchivedMessage[][] = [];
  let current: ArchivedMessage[] = [];
  let bytes = 0;
  for (const m of messages) {
    const size = Buffer.byteLength(m.body) + JSON.stringify(m.attributes).length;
    if (
      current.length === limits.batchEntries ||
      (current.length > 0 && bytes + size > limits.batchTotalBytes)
    ) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(m);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/**
 * Sends the messages in one batch. `stopAt`: the index of the first one not stored for a passing
 * reason; `refused`: original ids of those the destination refuses for good (sender faults).
 */
async function send(
  ctx: QueueContext,
  task: MoveTask,
  destination: QueueRecord,
  messages: ArchivedMessage[],
): Promise<{ stopAt?: number; refused: Set<string> }> {
  const entries: BatchEntry[] = messages.map((m, n) => {
    const id = replayId(task.taskId, m.id);
    const { [replayOfAttribute]: _, [originalSentAtAttribute]: __, ...attributes } = m.attributes;
    return {
      id: `e${n}`,
      body: m.body,
      attributes,
      messageId: id,
      ...(m.groupId === undefined ? {} : { groupId: m.groupId }),
      ...(m.traceHeader === undefined ? {} : { traceHeader: m.traceHeader }),
      ...(destination.fifo ? { deduplicationId: `replay-${id}` } : {}),
      systemAttributes: {
        [replayOfAttribute]: { dataType: 'String', stringValue: m.id },
        [originalSentAtAttribute]: { dataType: 'Number', stringValue: String(m.sentAt) },
      },
    };
  });
  const result = await sendMessageBatch(ctx, destination.ref, entries, { senderId: 'dq-replay' });
  const refused = new Set<string>();
  const passing = new Set<string>();
  for (const failure of result.failed) {
    const original = messages[Number(failure.id.slice(1))]!.id;
    if (failure.senderFault) refused.add(original);
    else passing.add(failure.id);
  }
  const stopAt = entries.findIndex((entry) => passing.has(entry.id));
  return stopAt === -1 ? { refused } : { stopAt, refused };
}

/** The replayed copy's id: the same for the same task and original, so a resend is recognised. */
export function replayId(taskId: string, originalId: string): string {
  const hex = createHash('sha256').update(`${taskId}\n${originalId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
