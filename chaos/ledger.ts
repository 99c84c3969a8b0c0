import type { Dialect } from './clients/queue-client';

/**
 * What the workers saw, as they saw it: every send attempt (and whether it was acknowledged),
 * every delivery with its receipt handle and lease, every delete and its answer, and every
 * retry. The checks compare this with the storage oracle and the final state.
 */
export interface SendAttempt {
  queue: string;
  /** `<producer>-<sequence>.<attempt>`: also the first word of the body, to recognise it anywhere. */
  key: string;
  body: string;
  poison: boolean;
  worker: string;
  dialect: Dialect;
  startedAt: number;
  endedAt?: number;
  /** Set when the service acknowledged this attempt. */
  messageId?: string;
  /** The error code when it did not (the message may still have been stored). */
  failure?: string;
}

export interface Delivery {
  queue: string;
  messageId: string;
  receiptHandle: string;
  /** The lease token inside the handle (undefined if the handle did not decode: a violation). */
  token?: string;
  body: string;
  receiveCount: number;
  sentAt: number;
  visibilityMs: number;
  requestStart: number;
  responseEnd: number;
  worker: string;
  dialect: Dialect;
}

export interface DeleteCall {
  queue: string;
  messageId: string;
  token?: string;
  via: 'single' | 'batch';
  worker: string;
  dialect: Dialect;
  startedAt: number;
  endedAt: number;
  /** deleted: acknowledged; invalid: ReceiptHandleIsInvalid; failed: gave up or another error. */
  outcome: 'deleted' | 'invalid' | 'failed';
  code?: string;
  attempts: number;
}

export class Ledger {
  readonly sends: SendAttempt[] = [];
  readonly deliveries: Delivery[] = [];
  readonly deletes: DeleteCall[] = [];
  /** Calls repeated after a retryable error, by operation. */
  readonly retries: Record<string, number> = {};
  /** Error codes the workers met, by operation and code. */
  readonly errors: Record<string, number> = {};
  /** Receives that returned nothing. */
  emptyReceives = 0;
  receiveCalls = 0;
  crashes = 0;
  stalls = 0;
  lateDeletes = 0;

  private readonly sendsByKey = new Map<string, SendAttempt>();

  attemptSend(attempt: SendAttempt): void {
    this.sends.push(attempt);
    this.sendsByKey.set(attempt.key, attempt);
  }

  sendByKey(key: string): SendAttempt | undefined {
    return this.sendsByKey.get(key);
  }

  retried(operation: string): void {
    this.retries[operation] = (this.retries[operation] ?? 0) + 1;
  }

  failed(operation: string, code: string): void {
    const key = `${operation} ${code}`;
    this.errors[key] = (this.errors[key] ?? 0) + 1;
  }

  acknowledgedSends(queue?: string): SendAttempt[] {
    return this.sends.filter((s) => s.messageId !== undefined && (queue === undefined || s.queue === queue));
  }
}

/** The send key a body carries as its first word. */
export const keyOfBody = (body: string): string => body.slice(0, body.indexOf(' '));
