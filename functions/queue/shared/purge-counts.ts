import type { QueueRecord } from '../model';
import type { MessageCounts } from '../states';

/**
 * Counts with purged messages left out at once. A FIFO count skips messages sent before the purge
 * mark as it reads them; a standard queue's count comes from its ready index, which cannot tell
 * purged entries apart, so the messages the purge cut off and the background removal has not yet
 * removed (`purgePending`) are subtracted. The purge removes its in-flight and delayed messages at
 * once (there are usually few), and the rest can no longer be leased, so they stay visible: they
 * are taken from the visible count (the others only if a purge could not remove its hidden
 * messages within its budget).
 */
export function withoutPurged(counts: MessageCounts, pending: number): MessageCounts {
  let left = Math.max(0, pending);
  const take = (n: number) => {
    const taken = Math.min(n, left);
    left -= taken;
    return n - taken;
  };
  const visible = take(counts.visible);
  const inFlight = take(counts.inFlight);
  const delayed = take(counts.delayed);
  return { visible, inFlight, delayed };
}

/**
 * When the longest-visible message became visible, never earlier than the purge mark: messages
 * from before it are purged, even while they still wait in the index for their removal.
 */
export function afterPurge(queue: QueueRecord, since: number | undefined): number | undefined {
  if (since === undefined || queue.purgedAt === undefined) return since;
  return Math.max(since, queue.purgedAt);
}
