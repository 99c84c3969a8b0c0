import type { Output } from './output';
import { createProgressBar } from './progress-bar';

/** What the follower needs of a task (a redrive or a replay): where it is and whether it ended. */
export interface FollowedTask {
  taskId: string;
  status: string;
  done: number;
  total: number;
}

/**
 * Polls a task every half second, drawing its progress on stderr, until it is no longer RUNNING or
 * CANCELLING. Ctrl-C stops watching only: the task goes on, and `cancelHint` says how to stop it.
 */
export async function followTask<T>(
  out: Output,
  first: T,
  view: (task: T) => FollowedTask,
  fetchAgain: (taskId: string) => Promise<T>,
  cancelHint: (taskId: string) => string,
): Promise<T> {
  const bar = out.json ? undefined : createProgressBar();
  const onInterrupt = () => {
    bar?.stop();
    process.stderr.write(`Stopped watching; the task goes on. ${cancelHint(view(first).taskId)}\n`);
    process.exit(0);
  };
  process.once('SIGINT', onInterrupt);
  let task = first;
  for (;;) {
    const { status, done, total, taskId } = view(task);
    const running = status === 'RUNNING' || status === 'CANCELLING';
    bar?.update(done, total, status === 'RUNNING' ? '' : status.toLowerCase());
    if (!running) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
    task = await fetchAgain(taskId);
  }
  process.off('SIGINT', onInterrupt);
  bar?.stop();
  return task;
}
