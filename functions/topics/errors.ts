/**
 * The errors of topics, defined once: the SNS dialect renders `snsCode` with `snsStatus` (as AWS
 * does: InvalidParameter 400, NotFound 404, ...), the REST dialect renders `status` as a problem.
 */
export interface TopicErrorKind {
  status: number;
  snsStatus: number;
  snsCode: string;
  fault: 'Sender' | 'Receiver';
  title: string;
  retryable: boolean;
}

const sender = (status: number, snsCode: string, title: string, snsStatus = 400): TopicErrorKind => ({
  status,
  snsStatus,
  snsCode,
  fault: 'Sender',
  title,
  retryable: false,
});

export const topicErrorKinds = {
  InvalidParameter: sender(400, 'InvalidParameter', 'Invalid parameter'),
  InvalidParameterValue: sender(400, 'InvalidParameterValue', 'Invalid parameter value'),
  NotFound: sender(404, 'NotFound', 'Not found', 404),
  TopicExists: sender(409, 'InvalidParameter', 'Topic exists with other settings'),
  AuthorizationError: sender(403, 'AuthorizationError', 'Not authorized', 403),
  TooManyEntriesInBatchRequest: sender(400, 'TooManyEntriesInBatchRequest', 'Too many entries in batch'),
  EmptyBatchRequest: sender(400, 'EmptyBatchRequest', 'Empty batch'),
  BatchEntryIdsNotDistinct: sender(400, 'BatchEntryIdsNotDistinct', 'Batch entry ids are not distinct'),
  InvalidBatchEntryId: sender(400, 'InvalidBatchEntryId', 'Invalid batch entry id'),
  BatchRequestTooLong: sender(413, 'BatchRequestTooLong', 'Batch request too long'),
  InvalidAction: sender(400, 'InvalidAction', 'Unknown action'),
  TagLimitExceeded: sender(400, 'TagLimitExceeded', 'Too many tags'),
  /** SMS, mobile push and email: not part of this service. */
  Unsupported: sender(400, 'InvalidParameter', 'Not supported by this service'),
  Throttled: {
    status: 429,
    snsStatus: 400,
    snsCode: 'Throttled',
    fault: 'Sender',
    title: 'Throttled',
    retryable: true,
  },
  InternalError: {
    status: 503,
    snsStatus: 500,
    snsCode: 'InternalError',
    fault: 'Receiver',
    title: 'Internal error',
    retryable: true,
  },
} satisfies Record<string, TopicErrorKind>;

export type TopicErrorCode = keyof typeof topicErrorKinds;

export class TopicError extends Error {
  readonly kind: TopicErrorKind;
  constructor(
    readonly code: TopicErrorCode,
    message: string,
    readonly details: { field?: string; allowed?: string } = {},
  ) {
    super(message);
    this.name = 'TopicError';
    this.kind = topicErrorKinds[code];
  }
}

export const isTopicError = (error: unknown): error is TopicError => error instanceof TopicError;

export const invalidParameter = (message: string, field?: string) =>
  new TopicError('InvalidParameter', message, field ? { field } : {});

export const topicNotFound = () => new TopicError('NotFound', 'Topic does not exist');
export const subscriptionNotFound = () => new TopicError('NotFound', 'Subscription does not exist');
