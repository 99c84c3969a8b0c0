/**
 * What a chaos worker needs from the service, whatever dialect it speaks. Each implementation
 * is a plain client of the public API; none of them retries: the workers retry, and count it.
 */
export type Dialect = 'rest' | 'sqs-json' | 'sqs-query';

export const dialects: Dialect[] = ['rest', 'sqs-json', 'sqs-query'];

export interface SendEntry {
  id: string;
  body: string;
  /** 1..9, or absent for the default 0: REST `priority`, SQS attribute dq.Priority. */
  priority?: number;
  /** A fair-queue tenant (REST groupId, SQS MessageGroupId on a standard queue). */
  groupId?: string;
}

export type EntryResult = { id: string; messageId?: string; error?: CallError };

export interface DeliveredMessage {
  messageId: string;
  body: string;
  receiptHandle: string;
  receiveCount: number;
  /** Epoch ms, from the reply. */
  sentAt: number;
}

export interface ReceiveOptions {
  maxMessages: number;
  waitSeconds: number;
  /** Overrides the queue's visibility timeout for this receive. */
  visibilitySeconds?: number;
}

export interface QueueClient {
  readonly dialect: Dialect;
  /** One entry is sent alone, more as a batch; each entry gets its own result. */
  send(entries: SendEntry[]): Promise<EntryResult[]>;
  receive(options: ReceiveOptions): Promise<DeliveredMessage[]>;
  delete(receiptHandle: string): Promise<void>;
  deleteBatch(entries: { id: string; receiptHandle: string }[]): Promise<EntryResult[]>;
  close(): void;
}

/**
 * A failed call as the caller sees it. `retryable` follows the service's answer (429, 5xx,
 * RequestThrottled, ServiceUnavailable) or a transport failure whose outcome is unknown.
 */
export class CallError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    readonly retryable: boolean,
    message: string,
  ) {
    super(`${code} (${status}): ${message}`);
    this.name = 'CallError';
  }
}

export const retryableCodes = new Set([
  'RequestThrottled',
  'ServiceUnavailable',
  'InternalError',
  'ThrottlingException',
]);

/** Timeouts and broken connections: the service may have applied the request. */
export function transportError(error: unknown): CallError {
  const name = (error as { name?: string })?.name ?? 'Error';
  const timedOut = name === 'TimeoutError' || name === 'AbortError';
  return new CallError(
    timedOut ? 'ClientTimeout' : 'NetworkError',
    0,
    true,
    (error as Error)?.message ?? String(error),
  );
}
