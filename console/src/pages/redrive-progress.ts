import type { RedriveTask } from '../../../functions/dialects/rest/client-types';
import { announce } from '../announcer';
import { api } from '../api';
import { h } from '../dom';
import { count } from '../format';
import { problemText } from '../problem-view';

/**
 * A redrive task's progress: a progress bar polled every second until the task ends, its status
 * in words for screen readers, and a button that cancels it.
 */
const pollMs = 1000;
const finished = new Set(['COMPLETED', 'CANCELLED', 'FAILED']);

export interface RedriveProgress {
  element: HTMLElement;
  /** `expected`: how many the console asked for, when it knows (a selection). */
  follow(task: RedriveTask, expected?: number): void;
  stop(): void;
}

export function redriveProgress(queueName: string, onFinished: () => void): RedriveProgress {
  let timer: number | undefined;
  let current: RedriveTask | undefined;
  let expected: number | undefined;
  const bar = h('progress', { id: 'redrive-progress', max: 1, value: 0 });
  const label = h('label', { for: 'redrive-progress' }, 'Redrive progress');
  const status = h('p', { role: 'status', class: 'progress-status' });
  const cancel = h('button', { type: 'button', class: 'secondary' }, 'Cancel redrive');
  const element = h('div', { class: 'progress', hidden: true }, label, bar, status, cancel);

  cancel.addEventListener('click', async () => {
    if (!current) return;
    cancel.disabled = true;
    try {
      paint(await api.cancelRedrive(queueName, current.taskId));
    } catch (error) {
      status.textContent = problemText(error);
      cancel.disabled = false;
    }
  });

  function paint(task: RedriveTask): void {
    const wasRunning = current !== undefined && !finished.has(current.status);
    current = task;
    element.hidden = false;
    // toMove is an upper bound while the task runs (exact once it completed): see the README.
    const total = Math.max(1, expected === undefined ? task.toMove : Math.min(expected, task.toMove));
    bar.max = total;
    bar.value = task.status === 'COMPLETED' ? total : Math.min(task.moved, total);
    const destination = task.destination ? ` to ${task.destination}` : ' to their source queues';
    const moved = `${count(task.moved)} ${task.moved === 1 ? 'message' : 'messages'} moved${destination}`;
    const words: Record<string, string> = {
      RUNNING: `Redriving: ${count(task.moved)} of ${expected === undefined ? 'about ' : ''}${count(total)} moved${destination}.`,
      CANCELLING: `Cancelling: ${moved} so far.`,
      COMPLETED: `Redrive complete: ${moved}.`,
      CANCELLED: `Redrive cancelled: ${moved}.`,
      FAILED: `Redrive failed after ${moved}: ${task.failureReason ?? 'no reason given'}.`,
    };
    status.textContent = words[task.status] ?? task.status;
    cancel.hidden = finished.has(task.status);
    cancel.disabled = task.status === 'CANCELLING';
    if (finished.has(task.status)) {
      stop();
      if (wasRunning) {
        announce(status.textContent);
        onFinished();
      }
    }
  }

  function stop(): void {
    if (timer !== undefined) window.clearTimeout(timer);
    timer = undefined;
  }

  async function poll(): Promise<void> {
    if (!current) return;
    try {
      paint(await api.getRedrive(queueName, current.taskId));
    } catch (error) {
      status.textContent = problemText(error);
    }
    if (current && !finished.has(current.status)) timer = window.setTimeout(() => void poll(), pollMs);
  }

  return {
    element,
    follow(task, expectedCount) {
      stop();
      current = undefined;
      expected = expectedCount;
      paint(task);
      if (!finished.has(task.status)) timer = window.setTimeout(() => void poll(), pollMs);
    },
    stop,
  };
}
