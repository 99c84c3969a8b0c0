import { isQueueError } from '../../queue/errors';
import { isTopicError, TopicError } from '../../topics/errors';
import type { HttpResult } from '../http';
import { snsXml } from './xml';

/**
 * Errors as SNS sends them: an ErrorResponse document with Type, Code and Message, and the
 * status SNS uses. Queue errors reach here too (authentication, storage faults, bad UTF-8): the
 * authentication ones keep their codes (SNS uses the same), the rest map to SNS's.
 */
const authenticationCodes = new Set([
  'MissingAuthenticationToken',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'RequestExpired',
]);

export interface SnsErrorShape {
  status: number;
  type: 'Sender' | 'Receiver';
  code: string;
  message: string;
}

export function toSnsError(error: unknown): SnsErrorShape {
  if (isTopicError(error)) {
    return {
      status: error.kind.snsStatus,
      type: error.kind.fault,
      code: error.kind.snsCode,
      message: error.message,
    };
  }
  if (isQueueError(error)) {
    if (authenticationCodes.has(error.code)) {
      return {
        status: error.kind.sqsStatus,
        type: 'Sender',
        code: error.kind.queryCode,
        message: error.message,
      };
    }
    if (error.code === 'RequestThrottled') {
      return { status: 400, type: 'Sender', code: 'Throttled', message: error.message };
    }
    if (error.code === 'InvalidAction') {
      return { status: 400, type: 'Sender', code: 'InvalidAction', message: error.message };
    }
    if (error.kind.fault === 'Receiver') {
      return { status: 500, type: 'Receiver', code: 'InternalError', message: error.message };
    }
    return { status: 400, type: 'Sender', code: 'InvalidParameter', message: error.message };
  }
  const internal = new TopicError('InternalError', 'The service failed unexpectedly; retry the request');
  return { status: 500, type: 'Receiver', code: internal.kind.snsCode, message: internal.message };
}

export function snsErrorResponse(error: unknown, requestId: string): HttpResult {
  const shape = toSnsError(error);
  return {
    statusCode: shape.status,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body: snsXml('ErrorResponse', {
      Error: { Type: shape.type, Code: shape.code, Message: shape.message },
      RequestId: requestId,
    }),
  };
}
