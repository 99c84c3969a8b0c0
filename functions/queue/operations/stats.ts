import type { QueueContext } from '../context';
import type { QueueRef } from '../model';
import { counterNames, type DepthSample, type MinuteCounts, minuteMs, minuteOf } from '../ports/stats-store';
import { integerInRange } from '../validation';

/**
 * Per-minute statistics of a queue: what the service counted (sent, received, deleted,
 * dead-lettered out of it, redriven out of it) and, where the sweeper sampled it, its depth.
 * One entry per minute of the window, oldest first, zeros where nothing was counted.
 */
export interface MinuteStats extends MinuteCounts {
  /** Start of the minute, epoch ms. */
  minute: number;
  depth?: DepthSample;
}

export const statsWindowLimits = { min: 1, max: 1_440, default: 60 } as const;

export async function readStats(
  ctx: QueueContext,
  ref: QueueRef,
  input: { minutes?: unknown } = {},
): Promise<MinuteStats[]> {
  const minutes = integerInRange('minutes', input.minutes ?? statsWindowLimits.default, statsWindowLimits);
  const queue = await ctx.queues.require(ref);
  // Counts this process has not written yet are part of the picture: write them first.
  await ctx.stats.flush();
  const to = minuteOf(ctx.clock.now());
  const from = to - (minutes - 1) * minuteMs;
  const stored = new Map(
    (await ctx.stats.readMinutes(queue.id, from, to)).map((entry) => [entry.minute, entry]),
  );
  return Array.from({ length: minutes }, (_, i) => {
    const minute = from + i * minuteMs;
    const entry = stored.get(minute);
    const counts = Object.fromEntries(counterNames.map((name) => [name, entry?.[name] ?? 0])) as MinuteCounts;
    return { minute, ...counts, ...(entry?.depth ? { depth: entry.depth } : {}) };
  });
}
