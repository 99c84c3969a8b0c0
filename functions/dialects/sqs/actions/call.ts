import { QueueError } from '../../../queue/errors';
import type { QueueRef } from '../../../queue/model';
import type { Runtime } from '../../runtime';
import type { ActionInput } from '../params';
import { optionalString } from '../params';
import { parseQueueUrl, queueUrl } from '../queue-url';
import type { ActionOutput } from '../responses';

/** One decoded SQS call, as every action receives it. */
export interface SqsCall {
  runtime: Runtime;
  input: ActionInput;
  /**
   * Queues are namespaced by account and region: the account is the verified access key's (else
   * the configured one), the region the one the request was signed for (else the configured one).
   */
  account: string;
  region: string;
  /** `<scheme>://<host>` of the request, for the queue URLs in replies. */
  baseUrl: string;
  /** The queue named by the request path (`/<account>/<name>`), for Query clients that post there. */
  pathQueue?: { account: string; name: string };
  /** Who sent the messages of this call (SQS SenderId). */
  senderId: string;
}

export type SqsAction = (call: SqsCall) => Promise<ActionOutput>;

/** A queue in the caller's namespace, by name. */
export const refFor = (call: SqsCall, name: string): QueueRef => ({
  account: call.account,
  region: call.region,
  name,
});

export const urlOf = (call: SqsCall, ref: QueueRef) => queueUrl(call.baseUrl, ref);

/**
 * The queue a call acts on: its QueueUrl parameter (a URL, or a bare queue name as SQS allows),
 * else the request path. A URL naming another account, or no queue at all, names a queue that
 * does not exist here.
 */
export function targetQueue(call: SqsCall): QueueRef {
  const url = optionalString(call.input, 'QueueUrl');
  if (!url && !call.pathQueue) {
    throw new QueueError('MissingParameter', 'The request must contain the parameter QueueUrl.', {
      field: 'QueueUrl',
    });
  }
  const named = url ? parseQueueUrl(url) : call.pathQueue;
  const ref = refFor(call, named?.name ?? '');
  if (!named || (named.account ?? call.account) !== call.account) {
    throw new QueueError('QueueDoesNotExist', 'The specified queue does not exist.', {
      field: 'QueueUrl',
      given: url,
    });
  }
  return ref;
}
