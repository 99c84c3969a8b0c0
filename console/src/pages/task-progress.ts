import { announce } from '../announcer';
import { h } from '../dom';
import { problemText } from '../problem-view';

/**
 * A move task's progress (a redrive or a replay): a progress bar polled every second until the
 * task ends, its status in words for screen readers, and a button that cancels it. What differs
 * between the kinds (calls, counts, words) comes in a TaskKind.
 */
const pollMs = 1000;
const finished = new Set(['COMPLETED', 'CANCELLED', 'FAILED']);

export interface TaskKind<T> {
  /** `redrive` or `replay`: the element ids and the labels ("Redrive progress", "Cancel redrive"). */
  id: string;
  noun: string;
  get(taskId: string): Promise<T>;
  cancel(taskId: string): Promise<T>;
  view(task: T): { taskId: string; status: string; done: number; total: number };
  /** The status in words; `total` is what the bar counts to. */
  words(task: T, total: number, expected: number | undefined): string;
}

export interface TaskProgress<T> {
  element: HTMLElement;
  /** `expected`: how many the console asked for, when it knows (a selection). */
  follow(task: T, expected?: number): void;
  stop(): void;
}

export function taskProgress<T>(kind: TaskKind<T>, onFinished: () => void): TaskProgress<T> {
  let timer: number | undefined;
  let current: T | undefined;
  let expected: number | undefined;
  const bar = h('progress', { id: `${kind.id}-progress`, max: 1, value: 0 });
  const label = h('label', { for: `${kind.id}-progress` }, `${kind.noun} progress`);
  const status = h('p', { role: 'status', class: 'progress-status' });
  const cancel = h('button', { type: 'button', class: 'secondary' }, `Cancel ${kind.id}`);
  const element = h('div', { class: 'progress', hidden: true }, label, bar, status, cancel);

  cancel.addEventListener('click', async () => {
    if (!current) return;
    cancel.disabled = true;
    try {
      paint(await kind.cancel(kind.view(current).taskId));
    } catch (error) {
      status.textContent = problemText(error);
      cancel.disabled = false;
    }
  });

  function paint(task: T): void {
    const wasRunning = current !== undefined && !finished.has(kind.view(current).status);
    current = task;
    const { status: state, done, total: upperBound } = kind.view(task);
    element.hidden = false;
    // The total is an upper bound while the task runs (exact once it completed): see the README.
    const total = Math.max(1, expected === undefined ? upperBound : Math.min(expected, upperBound));
    bar.max = total;
    bar.value = state === 'COMPLETED' ? total : Math.min(done, total);
    status.textContent = kind.words(task, total, expected);
    cancel.hidden = finished.has(state);
    cancel.disabled = state === 'CANCELLING';
    if (finished.has(state)) {
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
      paint(await kind.get(kind.view(current).taskId));
    } catch (error) {
      status.textContent = problemText(error);
    }
    if (current && !finished.has(kind.view(current).status))
      timer = window.setTimeout(() => void poll(), pollMs);
  }

  return {
    element,
    follow(task, expectedCount) {
      stop();
      current = undefined;
      expected = expectedCount;
      paint(task);
      if (!finished.has(kind.view(task).status)) timer = window.setTimeout(() => void poll(), pollMs);
    },
    stop,
  };
}
