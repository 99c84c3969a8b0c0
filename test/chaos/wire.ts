import { XMLParser } from 'fast-xml-parser';
import type { Dialect } from '../../chaos/clients';

/**
 * Calls over the wire in each dialect, without any SDK, so a test sees exactly what a client
 * gets: the status, the error code where each dialect puts it, and the retry hints.
 */
export interface WireReply {
  status: number;
  /** REST `code`, SQS JSON `__type` (after the #), SQS Query `Error/Code`. */
  code?: string;
  /** SQS: Sender or Receiver (JSON from x-amzn-query-error, Query from Error/Type). */
  fault?: string;
  retryAfter?: string | null;
  /** SQS JSON only: the x-amzn-query-error header. */
  queryError?: string | null;
  text: string;
}

export type WireAction =
  | { action: 'receive' }
  | { action: 'send'; body: string }
  | { action: 'delete'; receiptHandle: string };

const parser = new XMLParser({ parseTagValue: false });

export async function callOver(
  dialect: Dialect,
  url: string,
  queue: string,
  call: WireAction,
): Promise<WireReply> {
  const response = await request(dialect, url, queue, call);
  const text = await response.text();
  const reply: WireReply = { status: response.status, text };
  if (response.status < 400) return reply;
  if (dialect === 'rest') {
    reply.code = JSON.parse(text).code;
    reply.retryAfter = response.headers.get('retry-after');
  } else if (dialect === 'sqs-json') {
    reply.code = String(JSON.parse(text).__type).split('#')[1];
    reply.queryError = response.headers.get('x-amzn-query-error');
    reply.fault = reply.queryError?.split(';')[1];
  } else {
    const error = parser.parse(text).ErrorResponse.Error;
    reply.code = error.Code;
    reply.fault = error.Type;
  }
  return reply;
}

const sqsActions = { receive: 'ReceiveMessage', send: 'SendMessage', delete: 'DeleteMessage' } as const;

function request(dialect: Dialect, url: string, queue: string, call: WireAction): Promise<Response> {
  const timeout = AbortSignal.timeout(20_000);
  if (dialect === 'rest') {
    const base = `${url}/queues/${queue}/messages`;
    if (call.action === 'receive')
      return fetch(`${base}/receive`, { method: 'POST', body: '{}', signal: timeout });
    if (call.action === 'send')
      return fetch(base, { method: 'POST', body: JSON.stringify({ body: call.body }), signal: timeout });
    return fetch(`${base}/${encodeURIComponent(call.receiptHandle)}`, { method: 'DELETE', signal: timeout });
  }
  const params: Record<string, string> = { QueueUrl: `${url}/000000000000/${queue}` };
  if (call.action === 'send') params.MessageBody = call.body;
  if (call.action === 'delete') params.ReceiptHandle = call.receiptHandle;
  const action = sqsActions[call.action];
  if (dialect === 'sqs-json') {
    return fetch(`${url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${action}` },
      body: JSON.stringify(params),
      signal: timeout,
    });
  }
  return fetch(`${url}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ Action: action, Version: '2012-11-05', ...params }).toString(),
    signal: timeout,
  });
}

/** How each dialect reports a retryable failure of the queue's storage. */
export const expectedRetryable = {
  RequestThrottled: {
    rest: { status: 429, code: 'RequestThrottled', retryAfter: '1' },
    'sqs-json': {
      status: 400,
      code: 'RequestThrottled',
      fault: 'Sender',
      queryError: 'RequestThrottled;Sender',
    },
    'sqs-query': { status: 400, code: 'RequestThrottled', fault: 'Sender' },
  },
  ServiceUnavailable: {
    rest: { status: 503, code: 'ServiceUnavailable', retryAfter: '1' },
    'sqs-json': {
      status: 503,
      code: 'ServiceUnavailable',
      fault: 'Receiver',
      queryError: 'ServiceUnavailable;Receiver',
    },
    'sqs-query': { status: 503, code: 'ServiceUnavailable', fault: 'Receiver' },
  },
} as const;
