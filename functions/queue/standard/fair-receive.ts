import type { QueueContext } from '../context';
import { fairRules } from '../fair-groups';
import type { QueueRecord, ReceivedMessage } from '../model';
import type { GroupCandidate } from '../ports/fairness-store';
import { receiveOrderByPriority } from '../shared/priority';
import { shuffle } from '../shared/shuffle';

/** Takes a lease on one candidate (standard/receive.ts), counting purged messages it removed. */
export type LeaseOne = (
  messageId: string,
  now: number,
  tally: { purged: number },
) => Promise<ReceivedMessage | undefined>;

/**
 * A receive on a queue with noisy groups: quiet groups' messages first, read from the ready index
 * with the noisy groups filtered out (the filter skips their entries after reading them, so at
 * most `maxScannedPerShard` entries per shard are read past them); then, if the receive still has
 * room, the noisy groups' oldest messages, the group with the fewest in flight first (as SQS
 * does). Noisy messages wait while quiet ones are visible; they are never dropped. A quiet pass
 * that finds nothing is skipped for the next refreshMs (fair-groups.ts): a backlog of only noisy
 * messages then costs plain receives, not a filtered read of it each time.
 *
 * Priorities come before fairness: each priority, highest first, is served quiet groups first,
 * then noisy ones, before the next lower priority is read (a noisy group's urgent message still
 * goes before a quiet group's ordinary one, as the sender asked).
 */
export async function leaseQuietFirst(
  ctx: QueueContext,
  queue: QueueRecord,
  noisy: Map<string, number>,
  maxMessages: number,
  leaseOne: LeaseOne,
): Promise<ReceivedMessage[]> {
  const fair = ctx.fairness!;
  const store = fair.store;
  let quietFound = false;
  const received: ReceivedMessage[] = [];
  const tally = { purged: 0 };
  const tried = new Set<string>();
  const excluding = [...noisy.keys()];
  const leaseInTurn = async (candidates: string[], now: number) => {
    while (candidates.length > 0 && received.length < maxMessages) {
      const attempt = candidates.splice(0, maxMessages - received.length);
      const leased = await Promise.all(attempt.map((messageId) => leaseOne(messageId, now, tally)));
      for (const message of leased) if (message) received.push(message);
    }
  };
  const pass = async (
    partitions: number[],
    order: (found: GroupCandidate[]) => string[],
    quietOnly: boolean,
  ) => {
    for (const shard of partitions) {
      if (received.length >= maxMessages) break;
      const now = ctx.clock.now();
      const found = await store.findVisibleGroups({
        queueId: queue.id,
        shard,
        now,
        limit: Math.min(100, (maxMessages - received.length) * 3 + 2),
        ...(quietOnly ? { excluding, maxScanned: fairRules.maxScannedPerShard } : {}),
      });
      if (quietOnly && found.length > 0) quietFound = true;
      const candidates = order(found.filter((c) => !tried.has(c.messageId)));
      for (const id of candidates) tried.add(id);
      await leaseInTurn(candidates, now);
    }
  };
  const quietPasses = !fair.quietRecentlyEmpty(queue.id, ctx.clock.now());
  const load = (c: GroupCandidate) => (c.groupId === undefined ? 0 : (noisy.get(c.groupId) ?? 0));
  for (const partitions of receiveOrderByPriority(queue, ctx.shardCursor)) {
    if (received.length >= maxMessages) break;
    // Random order among quiet candidates, so concurrent receivers rarely race for one message.
    if (quietPasses) await pass(partitions, (found) => shuffle(found.map((c) => c.messageId)), true);
    if (received.length < maxMessages) {
      await pass(
        partitions,
        (found) => [...found].sort((a, b) => load(a) - load(b)).map((c) => c.messageId),
        false,
      );
    }
  }
  if (quietPasses) fair.noteQuiet(queue.id, quietFound || received.length >= maxMessages, ctx.clock.now());
  if (tally.purged > 0 && queue.purgePending !== undefined) {
    await ctx.store.notePurgedRemoved(queue, tally.purged);
  }
  return received;
}
