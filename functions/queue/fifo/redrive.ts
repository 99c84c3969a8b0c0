import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { archiveMessages } from '../archive/archive';
import type { QueueContext } from '../context';
import type { MoveTask, QueueRecord, StoredMessage } from '../model';
import type { FifoMessage } from '../ports/fifo-store';
import { pause } from '../shared/long-poll';
import { addSlice, emptySlice, progressed, type SliceCounts } from '../shared/move-progress';
import { finishMoveTask, saveProgress } from '../shared/move-task';
import type { RedriveSlice } from '../shared/queue-kind';
import { matchesRedriveFilter } from '../shared/redrive-filter';
import { fifoStore } from './groups';
import { transferToGroup } from './transfer';

/**
 * Redrive out of a FIFO dead-letter queue: group by group through its ready index, each group's
 * dead letters in order, each appended to the end of the same group in its destination (a FIFO
 * queue) as a new message, in one transaction per message. A dead letter a consumer holds (or a
 * later one of its group) stays for the next slice, so a group never overtakes itself. No lease
 * is taken: the move's condition (not received since read) decides between it and a consumer.
 */
interface Position {
  shard: number;
  groups?: string;
}

export async function redriveSlice(
  ctx: QueueContext,
  initial: MoveTask,
  source: QueueRecord,
  { deadline, destinationOf }: RedriveSlice,
): Promise<MoveTask> {
  let task = initial;
  const msPerMove = 1000 / task.maxPerSecond;
  while (performance.now() < deadline) {
    const position = decodePosition(task.cursor);
    const page = await fifoStore(ctx).findAvailableGroups(
      source.id,
      position.shard,
      ctx.clock.now(),
      10,
      position.groups,
    );
    let slice = emptySlice();
    for (const groupId of page.groupIds) {
      const result = await redriveGroup(ctx, task, source, groupId, destinationOf, msPerMove);
      ctx.stats.count(source.id, 'redriven', result.moved);
      slice = addSlice(slice, result);
    }
    const after: Position = page.cursor
      ? { shard: position.shard, groups: page.cursor }
      : { shard: position.shard + 1 };
    const next = progressed(task, slice, ctx.clock.now(), after.shard >= source.shardCount);
    if (after.shard >= source.shardCount) {
      delete next.cursor;
      return finishMoveTask(ctx, next, 'COMPLETED');
    }
    next.cursor = Buffer.from(JSON.stringify(after)).toString('base64url');
    const cancelled = await saveProgress(ctx, next);
    if (cancelled) return cancelled;
    task = next;
  }
  return task;
}

async function redriveGroup(
  ctx: QueueContext,
  task: MoveTask,
  source: QueueRecord,
  groupId: string,
  destinationOf: (message: StoredMessage) => Promise<QueueRecord | undefined>,
  msPerMove: number,
): Promise<SliceCounts> {
  const result = emptySlice();
  let after: string | undefined;
  for (;;) {
    const page = await fifoStore(ctx).readGroup(source.id, groupId, 10, after);
    for (const message of page) {
      after = message.sequenceNumber;
      if (message.visibleAt > ctx.clock.now()) return result;
      result.examined++;
      if (!matchesRedriveFilter(message, task.filter)) continue;
      result.matched++;
      const destination = await destinationOf(message);
      if (!destination?.fifo) {
        result.unroutable++;
        continue;
      }
      const started = performance.now();
      let built: FifoMessage | undefined;
      const outcome = await transferToGroup(ctx, destination, message, (sequenceNumber, now) => {
        built = redriven(message, destination, sequenceNumber, now);
        return built;
      });
      if (outcome === 'moved' && built) await archiveMessages(ctx, destination, [built]);
      if (outcome !== 'moved') {
        // Taken by a consumer meanwhile: it stays, like a dead letter found in flight.
        result.examined--;
        result.matched--;
        return result;
      }
      result.moved++;
      const wait = msPerMove - (performance.now() - started);
      if (wait > 0) await pause(wait);
    }
    if (page.length < 10) return result;
  }
}

/** A redriven message is a new message, as in SQS: new id, no receives, fresh retention. */
function redriven(
  message: FifoMessage,
  destination: QueueRecord,
  sequenceNumber: string,
  now: number,
): FifoMessage {
  return {
    id: randomUUID(),
    queueId: destination.id,
    shard: message.shard,
    body: message.body,
    attributes: message.attributes,
    senderId: message.senderId,
    sentAt: now,
    visibleAt: now,
    expiresAt: now + destination.retentionSeconds * 1000,
    receiveCount: 0,
    groupId: message.groupId,
    deduplicationId: message.deduplicationId,
    sequenceNumber,
    ...(message.traceHeader === undefined ? {} : { traceHeader: message.traceHeader }),
  };
}

function decodePosition(cursor: string | undefined): Position {
  if (!cursor) return { shard: 0 };
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof value.shard === 'number') return value;
  } catch {
    // a cursor from elsewhere: start over (moves are idempotent)
  }
  return { shard: 0 };
}
