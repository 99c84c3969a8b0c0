import './topics-runtime';
import { measureGauges } from '../queue/operations/gauges';
import { sweep } from '../queue/operations/sweep';
import { sweepOutbox } from '../topics/sweep';
import { logError } from './log';
import { publishGauges } from './metrics';
import { getRuntime } from './runtime';

/**
 * Lambda entry of the scheduled sweeper: dead-letters exhausted messages whose lease expired
 * and removes messages past retention, within the invocation's remaining time, reports what it
 * did (counts only), and publishes the gauges the alarms watch.
 */
export async function handler(_event: unknown, context?: { getRemainingTimeInMillis?: () => number }) {
  const budgetMs = Math.max(1_000, (context?.getRemainingTimeInMillis?.() ?? 60_000) - 10_000);
  try {
    const { queue, topics } = await getRuntime();
    const started = Date.now();
    const report = await sweep(queue, { budgetMs });
    if (report.deadLettered + report.expired > 0 || !report.complete) {
      console.log(JSON.stringify({ level: 'INFO', message: 'sweep', ...report }));
    }
    // Publishes acknowledged but not fully delivered (a publisher died mid-fan-out): finish them.
    const outbox = await sweepOutbox(topics, { budgetMs: Math.max(500, budgetMs - (Date.now() - started)) });
    if (outbox.entries > 0 || !outbox.complete) {
      console.log(JSON.stringify({ level: 'INFO', message: 'topic outbox sweep', ...outbox }));
    }
    // On Lambda, the gauges the alarms watch (locally nothing reads them, so nothing is printed).
    if (report.complete && process.env.AWS_LAMBDA_FUNCTION_NAME) {
      publishGauges(await measureGauges(queue), process.env.MESSAGES_TABLE ?? 'queue-messages');
    }
    return report;
  } catch (error) {
    logError({ routeKey: 'schedule sweeper' }, error);
    throw error;
  }
}
