import type { QueueContext } from '../context';
import type { MoveTask } from '../model';

/**
 * Saving a redrive task's progress, for both kinds. A save is refused when the task was
 * cancelled meanwhile; the task is then read back (and given the slice's counts, see
 * stoppedMeanwhile), so the caller reports what is stored.
 */
export async function saveProgress(ctx: QueueContext, next: MoveTask): Promise<MoveTask | undefined> {
  if (await ctx.deadLetters.saveMoveTask(next, 'RUNNING')) return undefined;
  return stoppedMeanwhile(ctx, next);
}

/**
 * The task was cancelled while a slice was moving messages: the cancel recorded the count of the
 * last save, so the moves made since are added to the cancelled task, which then tells exactly
 * how many messages moved.
 */
export async function stoppedMeanwhile(ctx: QueueContext, latest: MoveTask): Promise<MoveTask> {
  const stored = await ctx.deadLetters.getMoveTask(latest.sourceQueueId, latest.taskId, latest.kind);
  if (stored?.status !== 'CANCELLED' || stored.moved >= latest.moved) return stored ?? latest;
  const counted: MoveTask = {
    ...stored,
    moved: latest.moved,
    examined: latest.examined ?? 0,
    matched: latest.matched ?? 0,
    unroutable: latest.unroutable ?? 0,
    ...(latest.failureReason ? { failureReason: latest.failureReason } : {}),
  };
  delete counted.cursor;
  return (await ctx.deadLetters.saveMoveTask(counted, 'CANCELLED')) ? counted : stored;
}

export async function finishMoveTask(
  ctx: QueueContext,
  task: MoveTask,
  status: 'COMPLETED' | 'FAILED',
  reason?: string,
): Promise<MoveTask> {
  const done: MoveTask = {
    ...task,
    status,
    updatedAt: ctx.clock.now(),
    ...(reason ? { failureReason: reason } : {}),
  };
  delete done.cursor;
  return (await saveProgress(ctx, done)) ?? done;
}
