import type { QueueContext } from '../context';
import type { QueueRecord } from '../model';
import { archiveOn, archiveReader } from './archive';

/**
 * The sweeper's share of archives: entries past their retention are removed where no TTL runs
 * (DynamoDB Local); deployed, DynamoDB's TTL removes them (usually within 48 hours), so this looks
 * only at a one-day window of sent times that ended two days before the archive's horizon, where
 * TTL has normally left nothing to read. Once an hour per queue and process.
 */
const dayMs = 86_400_000;
const everyMs = 3_600_000;
const lastSwept = new WeakMap<QueueContext, Map<string, number>>();

export async function sweepArchive(ctx: QueueContext, queue: QueueRecord): Promise<number> {
  if (!archiveReader(ctx) || !archiveOn(queue)) return 0;
  const now = ctx.clock.now();
  const swept = lastSwept.get(ctx) ?? new Map<string, number>();
  lastSwept.set(ctx, swept);
  const last = swept.get(queue.id);
  if (last !== undefined && now - last < everyMs && now >= last) return 0;
  swept.set(queue.id, now);
  const horizon = now - (queue.archiveRetentionSeconds ?? 0) * 1000 - 2 * dayMs;
  return archiveReader(ctx)!.removeExpired({
    queueId: queue.id,
    shards: queue.shardCount,
    from: Math.max(0, horizon - dayMs),
    to: horizon,
    now,
  });
}
