import { isQueueError } from '../queue/errors';
import { isTopicError } from '../topics/errors';

/**
 * Structured log lines (JSON, one per line, as CloudWatch Logs Insights reads them). Message
 * bodies, receipt handles and secrets never go in: only codes, names and ids.
 */
export function logError(context: { requestId?: string; routeKey?: string }, error: unknown): void {
  if (isQueueError(error) && !error.kind.retryable) return; // the caller's mistake, answered with a 4xx
  if (isTopicError(error) && !error.kind.retryable) return;
  const cause = isQueueError(error) ? error.cause : error;
  const line = {
    level: isQueueError(error) ? 'WARN' : 'ERROR',
    message: isQueueError(error) ? `retryable failure: ${error.code}` : 'unexpected failure',
    ...context,
    error: describe(cause),
  };
  console.error(JSON.stringify(line));
}

function describe(error: unknown): Record<string, unknown> | undefined {
  if (!(error instanceof Error)) return error === undefined ? undefined : { value: typeof error };
  return { name: error.name, stack: error.stack?.split('\n').slice(0, 6).join('\n') };
}
