import type { QueueContext } from '../context';
import { fairnessActive } from '../fair-groups';
import type { MessageCounts, QueueRecord, StoredMessage } from '../model';
import { readyShards } from './priority';

/**
 * Fair queues on standard queues, as the operations use them: sends record which groups sent
 * (at most once a minute per group and process), receives ask for the noisy groups (only on queues
 * with a group send in the last 5 minutes: any other queue pays nothing), and statistics report
 * the noisy count and the quiet groups' messages. Rules and per-process state: ../fair-groups.ts;
 * the quiet-first receive: ../standard/fair-receive.ts.
 */

/** Records the groups of stored messages; best effort (a lost record only makes a group quiet sooner). */
export async function noteGroupSends(ctx: QueueContext, queue: QueueRecord, messages: StoredMessage[]) {
  const fair = ctx.fairness;
  if (!fair || queue.fifo) return;
  const groups = messages.flatMap((m) => (m.groupId === undefined ? [] : [m.groupId]));
  if (groups.length === 0) return;
  const now = ctx.clock.now();
  const due = fair.due(queue, groups, now);
  if (due.groups.length === 0 && !due.markQueue) return;
  try {
    await fair.store.recordGroupSends(queue, due.groups, now, due.markQueue);
    // This process's receives see the mark at once; others within the queue cache's 2 seconds.
    if (due.markQueue) ctx.queues.remember(queue.ref, { ...queue, groupsSentAt: now });
  } catch {
    fair.undo(queue, due.groups, due.markQueue);
  }
}

/**
 * The queue's noisy groups (with their in-flight counts) when there are any; undefined when none,
 * when the queue has no recent group sends (no read at all), or when they could not be read (the
 * receive then serves the queue in its plain order).
 */
export async function noisyGroupsNow(
  ctx: QueueContext,
  queue: QueueRecord,
): Promise<Map<string, number> | undefined> {
  const fair = ctx.fairness;
  const now = ctx.clock.now();
  if (!fair || !fairnessActive(queue, now)) return undefined;
  try {
    const { noisy } = await fair.noisyGroups(queue, readyShards(queue), now);
    return noisy.size > 0 ? noisy : undefined;
  } catch {
    return undefined;
  }
}

/** SQS's fair-queue figures (ApproximateNumberOfNoisyGroups, ...InQuietGroups). */
export interface FairnessDepth {
  noisyGroups: number;
  quietVisible: number;
  quietInFlight: number;
  /** Whole seconds; 0 when no quiet message is visible. */
  quietOldestMessageAgeSeconds: number;
}

/**
 * The fair-queue figures of a standard queue that has had group sends (undefined otherwise),
 * from its plain counts: with no noisy group they are the same; with noisy ones, 1 more filtered
 * read of the visible entries per shard.
 */
export async function measureFairness(
  ctx: QueueContext,
  queue: QueueRecord,
  counts: MessageCounts,
  oldestMessageAgeSeconds: number,
): Promise<FairnessDepth | undefined> {
  const fair = ctx.fairness;
  if (!fair || queue.fifo || queue.groupsSentAt === undefined) return undefined;
  const plain = {
    noisyGroups: 0,
    quietVisible: counts.visible,
    quietInFlight: counts.inFlight,
    quietOldestMessageAgeSeconds: oldestMessageAgeSeconds,
  };
  const now = ctx.clock.now();
  if (!fairnessActive(queue, now)) return plain;
  const { noisy } = await fair.noisyGroups(queue, readyShards(queue), now, true);
  if (noisy.size === 0) return plain;
  const quiet = await fair.store.countVisibleOutside(queue.id, readyShards(queue), now, [...noisy.keys()]);
  const noisyInFlight = [...noisy.values()].reduce((sum, n) => sum + n, 0);
  return {
    noisyGroups: noisy.size,
    quietVisible: Math.min(quiet.count, counts.visible),
    quietInFlight: Math.max(0, counts.inFlight - noisyInFlight),
    quietOldestMessageAgeSeconds:
      quiet.oldestSince === undefined ? 0 : Math.max(0, Math.floor((now - quiet.oldestSince) / 1000)),
  };
}
