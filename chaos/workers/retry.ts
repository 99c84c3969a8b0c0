import { CallError } from '../clients/queue-client';
import { sleepReal } from '../clock';
import type { Ledger } from '../ledger';

/**
 * How workers retry, as a well-behaved client of a queue does: on retryable answers only, with
 * jittered exponential backoff, a bounded number of times. Every repeat is counted.
 */
export interface RetryPolicy {
  attempts: number;
  baseMs: number;
  capMs: number;
}

export const defaultRetry: RetryPolicy = { attempts: 8, baseMs: 40, capMs: 1_000 };

export function backoff(policy: RetryPolicy, attempt: number, signal?: AbortSignal): Promise<void> {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** attempt);
  return sleepReal(ceiling / 2 + Math.random() * (ceiling / 2), signal);
}

/**
 * Runs `call` until it succeeds, fails for good, or the attempts run out; returns the result or
 * the last error (never throws a CallError), and how many attempts it took.
 */
export async function withRetries<T>(
  operation: string,
  ledger: Ledger,
  policy: RetryPolicy,
  call: () => Promise<T>,
): Promise<{ result?: T; error?: CallError; attempts: number }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return { result: await call(), attempts: attempt };
    } catch (error) {
      if (!(error instanceof CallError)) throw error;
      ledger.failed(operation, error.code);
      if (!error.retryable || attempt >= policy.attempts) return { error, attempts: attempt };
      ledger.retried(operation);
      await backoff(policy, attempt);
    }
  }
}
