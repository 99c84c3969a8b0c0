import type { QueueContext } from '../context';
import { kindOf } from '../kinds';
import { readyShards } from '../shared/priority';
import { afterPurge } from '../shared/purge-counts';

/**
 * The service's vital signs for its alarms, gathered by the scheduled sweeper: how many messages
 * wait in dead-letter queues, and how long the longest-waiting visible message has waited. Reads
 * only the ready index: 1 query per shard of every queue, plus the counts of dead-letter queues.
 */
export interface Gauges {
  deadLetterMessages: number;
  /** Seconds; 0 when no message is visible. */
  oldestMessageAgeSeconds: number;
  queues: number;
}

export async function measureGauges(ctx: QueueContext): Promise<Gauges> {
  const now = ctx.clock.now();
  const queues = [];
  let after: string | undefined;
  do {
    const page = await ctx.deadLetters.listAllQueues(after, 100);
    queues.push(...page.queues.map((q) => q.queue));
    after = page.next;
  } while (after);
  const deadLetterTargets = new Set(
    queues
      .filter((q) => q.deadLetterQueue !== undefined)
      .map((q) => `${q.ref.account}/${q.ref.region}/${q.deadLetterQueue}`),
  );
  let deadLetterMessages = 0;
  let oldestSince = now;
  for (const queue of queues) {
    if (deadLetterTargets.has(`${queue.ref.account}/${queue.ref.region}/${queue.ref.name}`)) {
      const counts = await kindOf(queue).countMessages(ctx, queue, now);
      deadLetterMessages += counts.visible + counts.inFlight + counts.delayed;
    }
    const since = await Promise.all(
      readyShards(queue).map((shard) =>
        ctx.store.oldestVisibleSince(queue.id, shard, now).then((since) => afterPurge(queue, since)),
      ),
    );
    for (const v of since) if (v !== undefined && v < oldestSince) oldestSince = v;
  }
  return {
    deadLetterMessages,
    oldestMessageAgeSeconds: Math.floor((now - oldestSince) / 1000),
    queues: queues.length,
  };
}
