import { measureDepth } from '../queue/operations/depth';
import type { PushContext } from './context';

/**
 * Age in whole seconds of the oldest message waiting for an enabled consumer (0 when none waits):
 * the gauge the deployed dispatcher publishes after each scheduled pass, for the alarm on
 * deliveries falling behind. One depth measurement per queue with consumers.
 */
export async function oldestUndeliveredSeconds(ctx: PushContext): Promise<number> {
  const consumers = (await ctx.store.listAllConsumers()).filter((c) => c.enabled);
  let oldest = 0;
  for (const ref of new Map(consumers.map((c) => [c.queueId, c.queue])).values()) {
    const queue = await ctx.queue.queues.find(ref);
    if (!queue) continue;
    oldest = Math.max(oldest, (await measureDepth(ctx.queue, queue)).oldestMessageAgeSeconds);
  }
  return oldest;
}
