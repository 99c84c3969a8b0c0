import { isQueueError, QueueError } from '../../queue/errors';
import { isTopicError, type TopicError } from '../../topics/errors';
import { type HttpResult, json } from '../http';

/** Renders a queue error as an RFC 9457 problem body with the error's REST status. */
export function problemResponse(error: QueueError): HttpResult {
  const body: Record<string, unknown> = {
    type: `urn:serverless-queue:error:${error.code}`,
    title: error.kind.title,
    status: error.kind.status,
    detail: error.message,
    code: error.code,
  };
  if (error.details.field) body.field = error.details.field;
  if (error.details.allowed) body.allowed = error.details.allowed;
  const result = json(error.kind.status, body, 'application/problem+json');
  if (error.kind.retryable) result.headers = { ...result.headers, 'retry-after': '1' };
  return result;
}

/** A topic error, in the same problem shape (SNS's message as the detail). */
export function topicProblemResponse(error: TopicError): HttpResult {
  const body: Record<string, unknown> = {
    type: `urn:serverless-queue:error:${error.code}`,
    title: error.kind.title,
    status: error.kind.status,
    detail: error.message,
    code: error.code,
  };
  if (error.details.field) body.field = error.details.field;
  const result = json(error.kind.status, body, 'application/problem+json');
  if (error.kind.retryable) result.headers = { ...result.headers, 'retry-after': '1' };
  return result;
}

/** Anything that is not a queue error is our fault: it is logged by the caller, never shown. */
export function toProblem(error: unknown): HttpResult {
  if (isTopicError(error)) return topicProblemResponse(error);
  return problemResponse(
    isQueueError(error)
      ? error
      : new QueueError('InternalError', 'The service failed unexpectedly; retry the request'),
  );
}
