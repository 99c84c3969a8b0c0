import type { DynamoBase } from './base';

/**
 * Before a count, the local service catches the counters up with DynamoDB Local's stream, so a
 * count right after a write sees it (infra/local/counter-stream.ts registers that). Deployed,
 * nothing is registered: Lambda's stream mapping applies the records as they come, a second or so
 * behind the writes.
 */
type Settle = (base: DynamoBase) => Promise<void>;

let settle: Settle | undefined;

export function registerCounterSettle(fn: Settle | undefined): void {
  settle = fn;
}

export async function settleCounters(base: DynamoBase): Promise<void> {
  await settle?.(base);
}
