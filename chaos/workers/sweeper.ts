import type { QueueContext } from '../../functions/queue/context';
import { sweep } from '../../functions/queue/operations/sweep';
import type { ScaledClock } from '../clock';

/**
 * The scheduled sweeper, run on a short period beside the traffic, through the same faulty
 * storage: a sweep that fails is simply tried again next period, as the schedule would.
 */
export interface SweeperStats {
  runs: number;
  failed: number;
  deadLettered: number;
  expired: number;
  failures: Record<string, number>;
}

export async function runSweeper(
  queue: QueueContext,
  clock: ScaledClock,
  everySeconds: number,
  signal: AbortSignal,
): Promise<SweeperStats> {
  const stats: SweeperStats = { runs: 0, failed: 0, deadLettered: 0, expired: 0, failures: {} };
  while (!signal.aborted) {
    stats.runs++;
    try {
      const report = await sweep(queue, { budgetMs: 5_000 });
      stats.deadLettered += report.deadLettered;
      stats.expired += report.expired;
    } catch (error) {
      stats.failed++;
      const code = (error as { code?: string }).code ?? (error as Error).name;
      stats.failures[code] = (stats.failures[code] ?? 0) + 1;
    }
    await clock.sleep(everySeconds * 1000, signal);
  }
  return stats;
}
