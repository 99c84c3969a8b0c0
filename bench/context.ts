import { randomBytes } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { QueueContext } from '../functions/queue/context';
import type { BodyStore } from '../functions/queue/ports/body-store';
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
  /** Large bodies in S3 (a local s3rver in the bench); without it, in DynamoDB body parts. */
  bodies?: BodyStore;
  /** Counters kept from the table's stream, as deployed (the tables need their stream). */
  counters?: boolean;
}): QueueContext {
  const stores = {
    client: options.client,
    tables: options.tables,
    ...(options.onConsumed ? { onConsumed: options.onConsumed } : {}),
    ...(options.bodies ? { bodies: options.bodies } : {}),
    counters: options.counters ?? false,
  };
  return createQueueContext({
    store: new DynamoQueueStore(stores),
    deadLetters: new DynamoDeadLetterStore(stores),
    fairness: new DynamoFairnessStore(stores),
    receiptHandleSecret: randomBytes(32).toString('base64url'),
    defaultShardCount: options.shards,
  });
}
