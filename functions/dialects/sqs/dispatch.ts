import { QueueError } from '../../queue/errors';
import type { HttpEvent, HttpResult } from '../http';
import type { Runtime } from '../runtime';
import { sqsActions } from './actions';
import { type Caller, callerOf } from './caller';
import { decodeRequest } from './protocol';
import { baseUrlOf } from './queue-url';
import { sqsResponse } from './responses';

/**
 * One SQS request: decode (either protocol), identify the caller, run the action, encode the
 * reply in the caller's protocol. Errors are rendered by the handler (see sqs-errors.ts).
 */
export interface SqsDispatchOptions {
  /**
   * Checks the request's SigV4 signature and returns the verified caller (see signature.ts;
   * the Lambda handler passes it). When absent, the credential scope is read but not verified.
   */
  verifySignature?: (event: HttpEvent) => Promise<Caller>;
}

export async function handleSqsRequest(
  event: HttpEvent,
  runtime: Runtime,
  options: SqsDispatchOptions = {},
): Promise<HttpResult> {
  // Who is calling is settled before the request is read, as in SQS.
  const caller = options.verifySignature ? await options.verifySignature(event) : callerOf(event);
  const request = decodeRequest(event);
  const action = Object.hasOwn(sqsActions, request.action) ? sqsActions[request.action] : undefined;
  if (!action) {
    throw new QueueError('InvalidAction', `The action ${request.action} is not valid for this web service.`, {
      given: request.action,
    });
  }
  const { accountId, queueName } = event.pathParameters ?? {};
  const output = await action({
    runtime,
    input: request.input,
    account: caller.account ?? runtime.account,
    region: caller.region ?? runtime.region,
    baseUrl: baseUrlOf(event),
    ...(accountId && queueName ? { pathQueue: { account: accountId, name: queueName } } : {}),
    senderId: caller.accessKeyId ?? runtime.account,
  });
  return sqsResponse(request.protocol, request.action, output, event.requestContext.requestId);
}
