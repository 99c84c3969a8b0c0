import { dispatch } from '../push/dispatch';
import { oldestUndeliveredSeconds } from '../push/gauges';
import { queuesWithNewMessages, type StreamRecord } from '../store/message-stream';
import { logError } from './log';
import { publishPushMetrics } from './push-metrics';
import { getPushRuntime } from './push-runtime';

/**
 * Lambda entry of the deployed push dispatcher, invoked two ways (infra/aws/push-dispatcher.ts):
 * - by the messages table's stream, filtered to inserted messages: it delivers to the consumers of
 *   the queues those messages are in, at once (messages visible when sent);
 * - every minute by its schedule: a pass over every consumer, for messages that became visible
 *   later (a delay, a lease that ran out after a failed batch), then the gauge of the oldest
 *   message waiting for a consumer.
 * It never throws on a stream batch: a message not delivered stays in its queue for the next pass,
 * and a stream retry would only hold the shard up.
 */
const streamBudgetMs = 20_000;

export async function handler(
  event: { Records?: StreamRecord[] } | undefined,
  context?: { getRemainingTimeInMillis?: () => number },
) {
  const remainingMs = context?.getRemainingTimeInMillis?.() ?? 60_000;
  const table = process.env.MESSAGES_TABLE ?? 'queue-messages';
  const stream = Array.isArray(event?.Records);
  try {
    const runtime = await getPushRuntime();
    if (stream) {
      const queueIds = queuesWithNewMessages(event!.Records!, runtime.queue.clock.now());
      if (queueIds.size === 0) return { delivered: 0, failedBatches: 0, batches: 0 };
      const report = await dispatch(runtime.push, {
        budgetMs: Math.max(1_000, Math.min(streamBudgetMs, remainingMs - 15_000)),
        queueIds,
      });
      if (process.env.AWS_LAMBDA_FUNCTION_NAME) publishPushMetrics(report, undefined, table);
      return report;
    }
    const report = await dispatch(runtime.push, { budgetMs: Math.max(1_000, remainingMs - 15_000) });
    const oldest = await oldestUndeliveredSeconds(runtime.push);
    if (process.env.AWS_LAMBDA_FUNCTION_NAME) publishPushMetrics(report, oldest, table);
    return { ...report, oldestUndeliveredSeconds: oldest };
  } catch (error) {
    logError({ routeKey: stream ? 'stream dispatcher' : 'schedule dispatcher' }, error);
    if (stream) return { delivered: 0, failedBatches: 0, batches: 0 };
    throw error;
  }
}
