import { type ErrorCode, isQueueError, QueueError } from '../../queue/errors';
import type { HttpResult } from '../http';
import type { SqsProtocol } from './protocol';
import { buildXml } from './xml';

/**
 * Queue errors as SQS sends them. JSON: the error's SQS status, `__type` naming the error shape
 * and `x-amzn-query-error: <query code>;<Sender|Receiver>` (SDKs that speak JSON read the code
 * from that header, so it matches what Query clients see). Query: an ErrorResponse document.
 */

/** Shapes SQS does not model under its own namespace; every other code is `com.amazonaws.sqs#<code>`. */
const jsonTypes: Partial<Record<ErrorCode, string>> = {
  // Recorded against AWS (localstack's SQS snapshots: QueryErrorCode InvalidParameterValueException).
  InvalidParameterValue: 'com.amazonaws.sqs#InvalidParameterValueException',
  MissingParameter: 'com.amazon.coral.service#MissingRequiredParameterException',
  InvalidAction: 'com.amazon.coral.service#UnknownOperationException',
  MalformedRequest: 'com.amazon.coral.service#SerializationException',
  // Authentication failures come from the service framework, not the SQS model; JSON SDKs take
  // the code from x-amzn-query-error, so clients see the Query codes (InvalidClientTokenId, ...).
  MissingAuthenticationToken: 'com.amazon.coral.service#MissingAuthenticationTokenException',
  InvalidClientTokenId: 'com.amazon.coral.service#UnrecognizedClientException',
  SignatureDoesNotMatch: 'com.amazon.coral.service#InvalidSignatureException',
  IncompleteSignature: 'com.amazon.coral.service#IncompleteSignatureException',
  RequestExpired: 'com.amazon.coral.service#RequestExpired',
};

/**
 * SQS's own text for errors the core raises in its own words (the core's texts serve the REST
 * dialect); every other error keeps its message, which the SQS dialect wrote in SQS's words.
 */
export function sqsMessage(
  error: Pick<QueueError, 'code' | 'message' | 'details'>,
  protocol: SqsProtocol,
): string {
  switch (error.code) {
    case 'QueueDoesNotExist':
      return protocol === 'json'
        ? 'The specified queue does not exist.'
        : 'The specified queue does not exist for this wsdl version.';
    case 'ReceiptHandleIsInvalid':
      return typeof error.details.given === 'string'
        ? `The input receipt handle "${error.details.given}" is not a valid receipt handle.`
        : error.message;
    default:
      return error.message;
  }
}

export function sqsErrorResponse(error: QueueError, protocol: SqsProtocol, requestId: string): HttpResult {
  const { kind } = error;
  const message = sqsMessage(error, protocol);
  if (protocol === 'json') {
    const headers: Record<string, string> = {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-requestid': requestId,
    };
    // An unknown operation has no Query counterpart a JSON SDK should map it to.
    if (error.code !== 'InvalidAction') headers['x-amzn-query-error'] = `${kind.queryCode};${kind.fault}`;
    return {
      statusCode: kind.sqsStatus,
      headers,
      body: JSON.stringify({
        __type: jsonTypes[error.code] ?? `com.amazonaws.sqs#${error.code}`,
        message,
      }),
    };
  }
  return {
    statusCode: kind.sqsStatus,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body: buildXml('ErrorResponse', {
      Error: { Type: kind.fault, Code: kind.queryCode, Message: message, Detail: '' },
      RequestId: requestId,
    }),
  };
}

/** Anything that is not a queue error is our fault: logged by the handler, never shown. */
export function toSqsError(error: unknown): QueueError {
  return isQueueError(error)
    ? error
    : new QueueError('InternalError', 'The service failed unexpectedly; retry the request');
}
