/**
 * Every error the queue can report, defined once. Both dialects render these same objects:
 * the REST dialect as a problem+json body with `status`, the SQS dialect with `code` (the
 * AWS JSON `__type` short name) and `queryCode` (the legacy Query protocol code).
 */
export interface ErrorKind {
  /** HTTP status for the REST dialect. */
  status: number;
  /** HTTP status SQS uses for this error. */
  sqsStatus: number;
  /** Code used by the Query protocol and the x-amzn-query-error header. */
  queryCode: string;
  /** Whose fault: the caller's (Sender) or ours (Receiver). */
  fault: 'Sender' | 'Receiver';
  /** A client may retry the same request later. */
  retryable: boolean;
  title: string;
}

const sender = (status: number, queryCode: string, title: string, sqsStatus = 400): ErrorKind => ({
  status,
  sqsStatus,
  queryCode,
  fault: 'Sender',
  retryable: false,
  title,
});

/**
 * SQS codes and statuses (queryCode, sqsStatus) are AWS's, checked against responses recorded
 * against AWS (localstack's SQS snapshot files) and the SQS API Reference, except where a comment
 * says "AWS's unknown": there AWS's answer was not found recorded, and ours stands.
 */
export const errorKinds = {
  InvalidParameterValue: sender(400, 'InvalidParameterValue', 'Invalid parameter value'),
  MissingParameter: sender(400, 'MissingParameter', 'Missing parameter'),
  InvalidAttributeName: sender(400, 'InvalidAttributeName', 'Invalid attribute name'),
  InvalidAttributeValue: sender(400, 'InvalidAttributeValue', 'Invalid attribute value'),
  /** AWS's code; its text for bad characters is unknown (ours names the character). */
  InvalidMessageContents: sender(400, 'InvalidMessageContents', 'Invalid message contents'),
  /** AWS's unknown for a body no protocol can read; MalformedQueryString is the Query code. */
  MalformedRequest: sender(400, 'MalformedQueryString', 'Malformed request'),
  QueueDoesNotExist: sender(404, 'AWS.SimpleQueueService.NonExistentQueue', 'Queue does not exist'),
  QueueNameExists: sender(409, 'QueueAlreadyExists', 'Queue already exists with other attributes'),
  /** SQS answers an invalid receipt handle with HTTP 404. */
  ReceiptHandleIsInvalid: sender(410, 'ReceiptHandleIsInvalid', 'Receipt handle is invalid', 404),
  /** AWS's code; the SQS dialect no longer raises it (a lease that ran out can still be changed). */
  MessageNotInflight: sender(409, 'AWS.SimpleQueueService.MessageNotInflight', 'Message is not in flight'),
  EmptyBatchRequest: sender(400, 'AWS.SimpleQueueService.EmptyBatchRequest', 'Empty batch'),
  TooManyEntriesInBatchRequest: sender(
    400,
    'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
    'Too many entries in batch',
  ),
  BatchEntryIdsNotDistinct: sender(
    400,
    'AWS.SimpleQueueService.BatchEntryIdsNotDistinct',
    'Batch entry ids are not distinct',
  ),
  InvalidBatchEntryId: sender(400, 'AWS.SimpleQueueService.InvalidBatchEntryId', 'Invalid batch entry id'),
  BatchRequestTooLong: sender(413, 'AWS.SimpleQueueService.BatchRequestTooLong', 'Batch request too long'),
  /** AWS's code; our texts (list-valued attributes, FIFO without a runtime) are ours. */
  UnsupportedOperation: sender(400, 'AWS.SimpleQueueService.UnsupportedOperation', 'Unsupported operation'),
  /** An SQS action name the service does not know (AWS's code and text). */
  InvalidAction: sender(400, 'InvalidAction', 'Unknown action'),
  /** AWS's code for an unusable queue address; the SQS dialect resolves every QueueUrl now. */
  InvalidAddress: sender(400, 'InvalidAddress', 'Invalid queue address'),
  /** More of something than SQS allows (actions in a permission, tags on a queue). */
  OverLimit: sender(400, 'OverLimit', 'Over limit', 403),
  /** REST routes only. */
  NotFound: sender(404, 'InvalidAction', 'Not found'),
  /** Cancelling a scheduled message (REST only; our codes: SQS has no such action). */
  MessageNotFound: sender(404, 'MessageNotFound', 'Message not found'),
  MessageNotScheduled: sender(409, 'MessageNotScheduled', 'Message is not scheduled'),
  /** Move tasks (AWS's code and status; texts ours where AWS's unknown). */
  ResourceNotFoundException: sender(404, 'ResourceNotFoundException', 'Resource not found', 404),
  /** REST routes only. */
  MethodNotAllowed: sender(405, 'InvalidAction', 'Method not allowed'),
  /** AWS's unknown: API Gateway and SQS front doors answer this before the service. */
  UnsupportedMediaType: sender(415, 'InvalidParameterValue', 'Unsupported media type'),
  /**
   * SigV4 authentication, with the codes and statuses SQS uses (sqsStatus) and API Gateway's IAM
   * authorizer uses for REST routes (status; checked by the local host, deployed by API Gateway). A header-signed request outside the 15-minute clock window
   * is SignatureDoesNotMatch, as SQS answers it; RequestExpired is for presigned URLs past expiry.
   */
  MissingAuthenticationToken: sender(401, 'MissingAuthenticationToken', 'Missing authentication', 403),
  InvalidClientTokenId: sender(403, 'InvalidClientTokenId', 'Unknown access key', 403),
  SignatureDoesNotMatch: sender(403, 'SignatureDoesNotMatch', 'Signature does not match', 403),
  IncompleteSignature: sender(400, 'IncompleteSignature', 'Incomplete signature'),
  RequestExpired: sender(400, 'RequestExpired', 'Request expired'),
  /** AWS's code; SQS's status for it is 400 (its text is ours). */
  RequestThrottled: {
    status: 429,
    sqsStatus: 400,
    queryCode: 'RequestThrottled',
    fault: 'Sender',
    retryable: true,
    title: 'Request throttled',
  },
  /** AWS's code and status; the texts are ours. */
  ServiceUnavailable: {
    status: 503,
    sqsStatus: 503,
    queryCode: 'ServiceUnavailable',
    fault: 'Receiver',
    retryable: true,
    title: 'Service unavailable',
  },
  InternalError: {
    status: 500,
    sqsStatus: 500,
    queryCode: 'InternalError',
    fault: 'Receiver',
    retryable: true,
    title: 'Internal error',
  },
} satisfies Record<string, ErrorKind>;

export type ErrorCode = keyof typeof errorKinds;

/** Context that helps a caller fix the request: which field, what was given, what is allowed. */
export interface ErrorDetails {
  field?: string;
  given?: unknown;
  allowed?: string;
  /** Which case of the error it is, for a dialect that words the cases apart (e.g. `gone`). */
  reason?: string;
}

export class QueueError extends Error {
  readonly kind: ErrorKind;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetails = {},
  ) {
    super(message);
    this.name = 'QueueError';
    this.kind = errorKinds[code];
  }
}

export const isQueueError = (error: unknown): error is QueueError => error instanceof QueueError;

/** Renders a given value for an error message without echoing huge or sensitive input. */
export function describeGiven(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function invalidParameter(field: string, given: unknown, allowed: string): QueueError {
  return new QueueError(
    'InvalidParameterValue',
    `${field} must be ${allowed}, but ${describeGiven(given)} was given`,
    { field, given, allowed },
  );
}

export function missingParameter(field: string, allowed: string): QueueError {
  return new QueueError('MissingParameter', `${field} is required: ${allowed}`, { field, allowed });
}
