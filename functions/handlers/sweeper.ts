import { sweep } from '../queue/operations/dead-letters';
import { logError } from './log';
import { getRuntime } from './runtime';

/**
 * Lambda entry of the scheduled sweeper: dead-letters exhausted messages whose lease expired
 * and removes messages past retention, within the invocation's remaining time, and reports
 * what it did (counts only).
 */
export async function handler(_event: unknown, context?: { getRemainingTimeInMillis?: () => number }) {
  const budgetMs = Math.max(1_000, (context?.getRemainingTimeInMillis?.() ?? 60_000) - 10_000);
  try {
    const report = await sweep((await getRuntime()).queue, { budgetMs });
    if (report.deadLettered + report.expired > 0 || !report.complete) {
      console.log(JSON.stringify({ level: 'INFO', message: 'sweep', ...report }));
    }
    return report;
  } catch (error) {
    logError({ routeKey: 'schedule sweeper' }, error);
    throw error;
  }
}
