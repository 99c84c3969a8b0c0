import type { HttpEvent, HttpResult } from '../dialects/http';
import { redriveOperations } from '../dialects/rest/redrive-operations';
import { runMoveTasks } from '../queue/operations/move-tasks';
import { logError } from './log';
import { restHandlerOf } from './rest-chain';
import { getRuntime } from './runtime';

/**
 * Lambda entry of the `redrive` function: the dead-letter routes over HTTP, and, when invoked by
 * its schedule, a slice of every running move task (within the function's remaining time).
 */
// Only the dead-letter operations: the bundle carries neither queue administration nor topics.
const http = restHandlerOf('redrive', redriveOperations);

export async function handler(
  event: HttpEvent | { source?: string },
  context: { getRemainingTimeInMillis?: () => number },
) {
  if ('routeKey' in event) return http(event as HttpEvent, context as never) as Promise<HttpResult>;
  const budgetMs = Math.max(1_000, (context?.getRemainingTimeInMillis?.() ?? 60_000) - 10_000);
  try {
    const tasks = await runMoveTasks((await getRuntime()).queue, { budgetMs });
    const summary = tasks.map((t) => ({
      taskId: t.taskId,
      status: t.status,
      moved: t.moved,
      toMove: t.toMove,
    }));
    if (summary.length > 0)
      console.log(JSON.stringify({ level: 'INFO', message: 'redrive slice', tasks: summary }));
    return { tasks: summary };
  } catch (error) {
    logError({ routeKey: 'schedule redrive' }, error);
    throw error;
  }
}
