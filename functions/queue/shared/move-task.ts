import type { QueueContext } from '../context';
import type { MoveTask } from '../model';

/**
 * Saving a redrive task's progress, for both kinds. A save is refused when the task was
 * cancelled meanwhile; the task is then read back, so the caller reports what is stored.
 */
export async function saveProgress(ctx: QueueContext, next: MoveTask): Promise<MoveTask | undefined> {
  if (await ctx.deadLetters.saveMoveTask(next, 'RUNNING')) return undefined;
  return (await ctx.deadLetters.getMoveTask(next.sourceQueueId, next.taskId)) ?? next;
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
