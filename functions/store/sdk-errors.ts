import { QueueError } from '../queue/errors';

/**
 * Turns an SDK failure into a queue error, so no DynamoDB error escapes this layer: throttling
 * becomes RequestThrottled, everything transient becomes ServiceUnavailable (both retryable),
 * and the original is kept as `cause` for the logs.
 */
const throttles = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'LimitExceededException',
  // S3's answer to too many requests on a prefix.
  'SlowDown',
]);

export function translateSdkError(error: unknown, action: string): QueueError {
  const name = (error as { name?: string })?.name ?? 'Error';
  if (throttles.has(name)) {
    const translated = new QueueError(
      'RequestThrottled',
      'The queue is receiving too many requests; retry with backoff',
    );
    translated.cause = error;
    return translated;
  }
  const translated = new QueueError(
    'ServiceUnavailable',
    `The queue's storage could not complete ${action} (${name}); retry the request`,
  );
  translated.cause = error;
  return translated;
}

export const isConditionFailure = (
  error: unknown,
): error is { name: string; Item?: Record<string, unknown> } =>
  (error as { name?: string })?.name === 'ConditionalCheckFailedException';
