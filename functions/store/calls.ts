import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import { isConditionFailure, translateSdkError } from './sdk-errors';

export type CapacityReport = (
  operation: string,
  consumed: ConsumedCapacity | ConsumedCapacity[] | undefined,
) => void;

/**
 * Runs one DynamoDB call: asks for consumed capacity when someone listens, passes condition
 * failures through (callers decide what they mean) and translates every other SDK error.
 */
export async function runCall<O extends { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] }>(
  report: CapacityReport | undefined,
  operation: string,
  send: (capacity: { ReturnConsumedCapacity?: 'INDEXES' }) => Promise<O>,
): Promise<O> {
  try {
    const out = await send(report ? { ReturnConsumedCapacity: 'INDEXES' } : {});
    report?.(operation, out.ConsumedCapacity);
    return out;
  } catch (error) {
    if (isConditionFailure(error) || isConditionCancellation(error)) throw error;
    throw translateSdkError(error, operation);
  }
}

/** True when a transaction was cancelled only because one of its conditions failed. */
export function isConditionCancellation(error: unknown): boolean {
  const e = error as { name?: string; CancellationReasons?: { Code?: string }[] };
  if (e?.name !== 'TransactionCanceledException') return false;
  const codes = (e.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
  return (
    codes.includes('ConditionalCheckFailed') &&
    codes.every((c) => c === 'ConditionalCheckFailed' || c === 'None')
  );
}

/** True when a transaction was cancelled because another one was changing the same items. */
export function isTransactionConflict(error: unknown): boolean {
  const e = error as { name?: string; CancellationReasons?: { Code?: string }[]; cause?: unknown };
  if (e?.name === 'TransactionConflictException') return true;
  if (e?.name === 'TransactionCanceledException') {
    return (e.CancellationReasons ?? []).some((r) => r.Code === 'TransactionConflict');
  }
  return e?.cause !== undefined && e.cause !== error && isTransactionConflict(e.cause);
}
