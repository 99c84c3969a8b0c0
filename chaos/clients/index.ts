import type { Dialect, QueueClient } from './queue-client';
import { RestQueueClient } from './rest-client';
import { SqsJsonQueueClient } from './sqs-json-client';
import { SqsQueryQueueClient } from './sqs-query-client';

export * from './queue-client';
export { RestQueueClient } from './rest-client';

/** A client of one queue in the given dialect; SQS dialects address it by its queue URL. */
export function createQueueClient(
  dialect: Dialect,
  serviceUrl: string,
  account: string,
  queue: string,
): QueueClient {
  const queueUrl = `${serviceUrl}/${account}/${queue}`;
  switch (dialect) {
    case 'rest':
      return new RestQueueClient(serviceUrl, queue);
    case 'sqs-json':
      return new SqsJsonQueueClient(serviceUrl, queueUrl);
    case 'sqs-query':
      return new SqsQueryQueueClient(serviceUrl, queueUrl);
  }
}
