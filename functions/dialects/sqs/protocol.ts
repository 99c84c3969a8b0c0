import { describeGiven, QueueError } from '../../queue/errors';
import { bodyText, formPairs, type HttpEvent } from '../http';
import type { ActionInput } from './params';
import { isObject } from './params';
import { decodeQueryParameters } from './query-params';

/**
 * Which SQS wire protocol a request speaks, and its action and input in the JSON protocol's
 * shape. AWS JSON 1.0 names the action in `X-Amz-Target: AmazonSQS.<Action>`; the Query protocol
 * in an `Action` parameter of a form-encoded body or of the query string.
 */
export type SqsProtocol = 'json' | 'query';

export interface SqsRequest {
  protocol: SqsProtocol;
  action: string;
  input: ActionInput;
}

const targetPrefix = 'AmazonSQS.';

/** Cheap, never throws: also used to pick the error format when decoding fails. */
export function protocolOf(event: HttpEvent): SqsProtocol {
  const target = event.headers?.['x-amz-target'];
  const contentType = event.headers?.['content-type'] ?? '';
  return target !== undefined || contentType.includes('application/x-amz-json') ? 'json' : 'query';
}

export function decodeRequest(event: HttpEvent): SqsRequest {
  return protocolOf(event) === 'json' ? decodeJson(event) : decodeQuery(event);
}

function decodeJson(event: HttpEvent): SqsRequest {
  const target = event.headers?.['x-amz-target'] ?? '';
  if (!target.startsWith(targetPrefix)) {
    throw new QueueError(
      'InvalidAction',
      `The X-Amz-Target header must be ${targetPrefix}<Action>, but ${describeGiven(target)} was given`,
    );
  }
  const text = bodyText(event).trim();
  let input: unknown = {};
  if (text !== '') {
    try {
      input = JSON.parse(text);
    } catch (error) {
      throw new QueueError(
        'MalformedRequest',
        `The request body is not valid JSON: ${(error as Error).message}`,
      );
    }
  }
  if (!isObject(input)) {
    throw new QueueError('MalformedRequest', 'The request body must be a JSON object');
  }
  return { protocol: 'json', action: target.slice(targetPrefix.length), input };
}

function decodeQuery(event: HttpEvent): SqsRequest {
  const pairs = formPairs(event.rawQueryString ?? '');
  if (event.requestContext.http.method === 'POST') pairs.push(...formPairs(bodyText(event)));
  const input = decodeQueryParameters(pairs);
  const action = input.Action;
  if (typeof action !== 'string' || action === '') {
    throw new QueueError(
      'InvalidAction',
      'The request names no action: send Action=<Action>&Version=2012-11-05 (form-encoded), ' +
        'or the X-Amz-Target header with an AWS JSON 1.0 body',
    );
  }
  delete input.Action;
  delete input.Version;
  return { protocol: 'query', action, input };
}
