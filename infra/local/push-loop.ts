import type { PushContext } from '../../functions/push/context';
import { dispatch } from '../../functions/push/dispatch';

/**
 * The local dispatcher: a pass over every consumer, then, when the pass delivered nothing, a wait
 * of at most `idleMs` that a send to a consumer's queue (in this process: the local service is
 * one process) cuts short. Messages that become visible later (delay, a lease that ran out) are
 * found by the next pass.
 */
export function startPushLoop(
  ctx: PushContext,
  options: { idleMs?: number; log?: (line: string) => void } = {},
) {
  const idleMs = options.idleMs ?? 500;
  let stopped = false;
  let wakeEarly: (() => void) | undefined;
  const run = async () => {
    while (!stopped) {
      let delivered = 0;
      try {
        delivered = (await dispatch(ctx, { budgetMs: 2_000 })).batches;
      } catch (error) {
        options.log?.(`push dispatch failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (stopped || delivered > 0) continue;
      const queues = [...new Set((await ctx.store.listAllConsumers().catch(() => [])).map((c) => c.queueId))];
      await Promise.race([
        ...queues.map((queueId) => ctx.queue.arrivals.wait(queueId, idleMs)),
        new Promise<void>((resolve) => {
          wakeEarly = resolve;
          setTimeout(resolve, idleMs);
        }),
      ]);
    }
  };
  const done = run();
  return async () => {
    stopped = true;
    wakeEarly?.();
    await done;
  };
}
