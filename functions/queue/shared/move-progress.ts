import type { MoveTask } from '../model';

/**
 * A redrive task's progress, counted the same way for standard and FIFO dead-letter queues.
 *
 * `toMove` is what the filter selects: the dead letters already found to match, plus, while the
 * task runs, the ones not yet examined (each may still match; with message ids, no more than the
 * ids given). It starts at the dead-letter queue's size and only falls, and on completion it is
 * the exact number the filter selected, so a finished task reads "3/3", never "3/5". Knowing the
 * exact number at the start would mean reading every dead letter before moving one.
 */
export interface SliceCounts {
  /** Dead letters read and checked against the filter in this slice. */
  examined: number;
  /** Of those, the ones the filter selected (moved or not). */
  matched: number;
  moved: number;
  /** Selected, but with no destination queue to go to: they stay. */
  unroutable: number;
}

export function emptySlice(): SliceCounts {
  return { examined: 0, matched: 0, moved: 0, unroutable: 0 };
}

export function addSlice(sum: SliceCounts, more: SliceCounts): SliceCounts {
  return {
    examined: sum.examined + more.examined,
    matched: sum.matched + more.matched,
    moved: sum.moved + more.moved,
    unroutable: sum.unroutable + more.unroutable,
  };
}

/** The task after a slice: counts added up over the whole run, never only the last page's. */
export function progressed(task: MoveTask, slice: SliceCounts, now: number, finished: boolean): MoveTask {
  const examined = (task.examined ?? 0) + slice.examined;
  const matched = (task.matched ?? 0) + slice.matched;
  const unroutable = (task.unroutable ?? 0) + slice.unroutable;
  const notYetExamined = finished ? 0 : Math.max(0, (task.queued ?? task.toMove) - examined);
  const ids = task.filter.messageIds?.length ?? Number.POSITIVE_INFINITY;
  const next: MoveTask = {
    ...task,
    moved: task.moved + slice.moved,
    examined,
    matched,
    unroutable,
    toMove: Math.min(matched + notYetExamined, ids),
    updatedAt: now,
  };
  if (unroutable > 0) {
    next.failureReason = `${unroutable} selected message(s) had no destination queue and stayed in the dead-letter queue`;
  }
  return next;
}
