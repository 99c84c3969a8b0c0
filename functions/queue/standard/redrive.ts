import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { QueueContext } from '../context';
import type { MoveTask, QueueRecord } from '../model';
import { pause } from '../shared/long-poll';
import { addSlice, emptySlice, progressed } from '../shared/move-progress';
import { finishMoveTask, saveProgress } from '../shared/move-task';
import { readyShards } from '../shared/priority';
import type { RedriveSlice } from '../shared/queue-kind';

/**
 * Redrive out of a standard dead-letter queue: page by page through its ready index, each dead
 * letter moved back as a new message in one transaction (the store checks the task's filter and
 * that no consumer holds it). Paced in real time: at most maxPerSecond moves, in chunks of up to
 * 10 in parallel.
 */
export async function redriveSlice(
  ctx: QueueContext,
  initial: MoveTask,
  source: QueueRecord,
  { deadline, destinationOf }: RedriveSlice,
): Promise<MoveTask> {
  let task = initial;
  const msPerMove = 1000 / task.maxPerSecond;
  const batch = Math.min(100, Math.max(1, task.maxPerSecond));
  while (performance.now() < deadline) {
    const page = await ctx.deadLetters.scanDeadLetterQueue(
      source.id,
      readyShards(source),
      ctx.clock.now(),
      task.cursor,
      batch,
    );
    let slice = emptySlice();
    for (let i = 0; i < page.messageIds.length; i += 10) {
      const started = performance.now();
      const chunk = page.messageIds.slice(i, i + 10);
      const outcomes = await Promise.all(
        chunk.map((messageId) =>
          ctx.deadLetters.redriveMessage({
            deadLetterQueue: source,
            messageId,
            now: ctx.clock.now(),
            filter: task.filter,
            destination: destinationOf,
            newMessageId: randomUUID(),
          }),
        ),
      );
      const movedNow = outcomes.filter((o) => o === 'moved').length;
      const unroutable = outcomes.filter((o) => o === 'noDestination').length;
      ctx.stats.count(source.id, 'redriven', movedNow);
      slice = addSlice(slice, {
        examined: chunk.length,
        matched: movedNow + unroutable,
        moved: movedNow,
        unroutable,
      });
      const wait = chunk.length * msPerMove - (performance.now() - started);
      if (wait > 0) await pause(wait);
    }
    const next = progressed(task, slice, ctx.clock.now(), page.cursor === undefined);
    if (page.cursor === undefined) delete next.cursor;
    else next.cursor = page.cursor;
    if (page.cursor === undefined) return finishMoveTask(ctx, next, 'COMPLETED');
    const cancelled = await saveProgress(ctx, next);
    if (cancelled) return cancelled;
    task = next;
  }
  return task;
}
