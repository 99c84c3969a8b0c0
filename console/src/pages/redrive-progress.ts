import type { RedriveTask } from '../../../functions/dialects/rest/client-types';
import { api } from '../api';
import { count } from '../format';
import { type TaskProgress, taskProgress } from './task-progress';

/** A redrive task's progress bar, status in words and cancel button (see taskProgress). */
export type RedriveProgress = TaskProgress<RedriveTask>;

export function redriveProgress(queueName: string, onFinished: () => void): RedriveProgress {
  return taskProgress<RedriveTask>(
    {
      id: 'redrive',
      noun: 'Redrive',
      get: (taskId) => api.getRedrive(queueName, taskId),
      cancel: (taskId) => api.cancelRedrive(queueName, taskId),
      view: (task) => ({ taskId: task.taskId, status: task.status, done: task.moved, total: task.toMove }),
      words(task, total, expected) {
        const destination = task.destination ? ` to ${task.destination}` : ' to their source queues';
        const moved = `${count(task.moved)} ${task.moved === 1 ? 'message' : 'messages'} moved${destination}`;
        const words: Record<string, string> = {
          RUNNING: `Redriving: ${count(task.moved)} of ${expected === undefined ? 'about ' : ''}${count(total)} moved${destination}.`,
          CANCELLING: `Cancelling: ${moved} so far.`,
          COMPLETED: `Redrive complete: ${moved}.`,
          CANCELLED: `Redrive cancelled: ${moved}.`,
          FAILED: `Redrive failed after ${moved}: ${task.failureReason ?? 'no reason given'}.`,
        };
        return words[task.status] ?? task.status;
      },
    },
    onFinished,
  );
}
