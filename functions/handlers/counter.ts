import { DynamoBase } from '../store/base';
import { createDynamoClient } from '../store/client';
import { applyCounterRecords, type CounterStreamRecord } from '../store/counter-apply';
import { tableNames } from '../store/table-layout';
import { logError } from './log';

/**
 * Lambda entry of the counter function: the messages table's stream, filtered to message items
 * (infra/aws/queue-counters.ts), hands it batches of changes, which it applies to the queues'
 * counters (store/counter-apply.ts). A failure throws, so Lambda retries the batch; the counter
 * writes are idempotent per batch, so a retry never counts twice.
 */
let base: DynamoBase | undefined;

export async function handler(event: { Records?: CounterStreamRecord[] } | undefined) {
  base ??= new DynamoBase({
    client: createDynamoClient(process.env),
    tables: { messages: process.env.MESSAGES_TABLE ?? tableNames().messages },
  });
  const records = event?.Records ?? [];
  try {
    await applyCounterRecords(base, records);
    return { records: records.length };
  } catch (error) {
    logError({ routeKey: 'counter stream' }, error);
    throw error;
  }
}
