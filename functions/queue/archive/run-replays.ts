import { performance } from 'node:perf_hooks';
import type { QueueContext } from '../context';
import type { MoveTask } from '../model';
import { replaySlice } from './replay-slice';

/**
 * Continues every running replay for up to `budgetMs`; returns the replays it worked on. The
 * sweeper runs them (every minute deployed, every 10 seconds locally): replaying sends messages, and
 * the sweeper's bundle carries the send path already (topic outbox deliveries), where the redrive
 * function's (which serves the replay routes) would outgrow its budget.
 */
export async function runReplays(
  ctx: QueueContext,
  options: { budgetMs?: number } = {},
): Promise<MoveTask[]> {
  const deadline = performance.now() + (options.budgetMs ?? 50_000);
  const tasks = (await ctx.deadLetters.listRunningMoveTasks()).filter((task) => task.kind === 'replay');
  const results: MoveTask[] = [];
  for (const task of tasks) {
    if (performance.now() > deadline) break;
    results.push(await replaySlice(ctx, task, deadline));
  }
  await ctx.stats.flush();
  return results;
}
