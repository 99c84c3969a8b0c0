import { performance } from 'node:perf_hooks';
import type { QueueContext } from '../context';

/**
 * Long polling, for both kinds: tries until something is received or the wait is over, woken
 * early by sends in this process (other processes' sends are found by the next poll).
 */
export async function longPoll<T>(
  ctx: QueueContext,
  queueId: string,
  waitTimeSeconds: number,
  attempt: () => Promise<T[]>,
): Promise<T[]> {
  // Long polling waits in real time (it is bounded by 20 s), while message times use the clock.
  const deadline = performance.now() + waitTimeSeconds * 1000;
  for (;;) {
    const received = await attempt();
    const remaining = deadline - performance.now();
    if (received.length > 0 || remaining <= 0) return received;
    await ctx.arrivals.wait(queueId, Math.min(remaining, ctx.pollIntervalMs));
  }
}

/** Waits in real time (backoff between lost races, pacing of redrives). */
export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
