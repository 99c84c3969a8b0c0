import { randomBytes } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { QueueContext } from '../functions/queue/context';
import { createQueueContext } from '../functions/queue/service';
import type { CapacityReport } from '../functions/store/calls';
import { DynamoDeadLetterStore } from '../functions/store/dead-letter-store';
import { DynamoFairnessStore } from '../functions/store/fairness-store';
import { DynamoQueueStore } from '../functions/store/queue-store';
import type { TableNames } from '../functions/store/table-layout';

/**
 * A queue context wired as functions/handlers/runtime.ts wires it, plus the stores' onConsumed
 * hook (which turns on ReturnConsumedCapacity INDEXES) for the capacity measurements.
 */
export function benchQueueContext(options: {
  client: DynamoDBClient;
  tables: TableNames;
  shards: number;
  onConsumed?: CapacityReport;
}): QueueContext {
  const stores = {
    client: options.client,
    tables: options.tables,
    ...(options.onConsumed ? { onConsumed: options.onConsumed } : {}),
  };
  return createQueueContext({
    store: new DynamoQueueStore(stores),
    deadLetters: new DynamoDeadLetterStore(stores),
    fairness: new DynamoFairnessStore(stores),
    receiptHandleSecret: randomBytes(32).toString('base64url'),
    defaultShardCount: options.shards,
  });
}
