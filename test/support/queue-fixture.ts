import { randomBytes } from 'node:crypto';
import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { ManualClock } from '../../functions/queue/clock';
import type { QueueContext } from '../../functions/queue/context';
import type { QueueRef } from '../../functions/queue/model';
import type { BodyStore } from '../../functions/queue/ports/body-store';
import { createQueueContext } from '../../functions/queue/service';
import { DynamoArchiveStore } from '../../functions/store/archive-store';
import { createDynamoClient } from '../../functions/store/client';
import { DynamoDeadLetterStore } from '../../functions/store/dead-letter-store';
import { DynamoFairnessStore } from '../../functions/store/fairness-store';
import { DynamoQueueStore } from '../../functions/store/queue-store';
import { type TableNames, tableNames } from '../../functions/store/table-layout';
import { ensureTables } from '../../infra/local/tables';

/**
 * Test fixtures over the real DynamoDB Local: each test file gets its own tables, each test its
 * own queue names, and every context the same secret so handles are interchangeable.
 */
export const testSecret = 'test-secret-0123456789abcdef';

export const dynamoClient = () =>
  createDynamoClient({ DYNAMODB_ENDPOINT: inject('dynamodbEndpoint'), AWS_REGION: 'us-east-1' });

/** With `counters`, the messages table has its stream and contexts over it keep counters. */
export async function freshTables(options: { counters?: boolean } = {}): Promise<TableNames> {
  const names = tableNames(`t${randomBytes(4).toString('hex')}-`);
  await ensureTables(dynamoClient(), names, options);
  return names;
}

export interface CapacityLog {
  entries: { operation: string; table: number; index: number }[];
  total(filter?: (operation: string) => boolean): { table: number; index: number };
  clear(): void;
}

export function capacityLog(): CapacityLog & {
  record: (op: string, c: ConsumedCapacity | ConsumedCapacity[] | undefined) => void;
} {
  const entries: CapacityLog['entries'] = [];
  return {
    entries,
    record(operation, consumed) {
      for (const c of [consumed ?? []].flat()) {
        const index = Object.values(c.GlobalSecondaryIndexes ?? {}).reduce(
          (sum, i) => sum + (i.CapacityUnits ?? 0),
          0,
        );
        entries.push({ operation, table: c.Table?.CapacityUnits ?? 0, index });
      }
    },
    total(filter = () => true) {
      return entries
        .filter((e) => filter(e.operation))
        .reduce((sum, e) => ({ table: sum.table + e.table, index: sum.index + e.index }), {
          table: 0,
          index: 0,
        });
    },
    clear() {
      entries.length = 0;
    },
  };
}

export interface Fixture {
  ctx: QueueContext;
  deadLetters: DynamoDeadLetterStore;
  clock: ManualClock;
  store: DynamoQueueStore;
  capacity: ReturnType<typeof capacityLog>;
}

/** A queue context over the given tables, with a hand-moved clock. */
export function queueContext(
  tables: TableNames,
  options: { shards?: number; clock?: ManualClock; bodies?: BodyStore; counters?: boolean } = {},
): Fixture {
  const clock = options.clock ?? new ManualClock(Date.now());
  const capacity = capacityLog();
  const bodies = options.bodies ? { bodies: options.bodies } : {};
  const store = new DynamoQueueStore({
    client: dynamoClient(),
    tables,
    onConsumed: capacity.record,
    ...bodies,
    counters: options.counters ?? false,
  });
  const deadLetters = new DynamoDeadLetterStore({
    client: dynamoClient(),
    tables,
    onConsumed: capacity.record,
    ...bodies,
  });
  const ctx = createQueueContext({
    store,
    deadLetters,
    fairness: new DynamoFairnessStore({ client: dynamoClient(), tables, onConsumed: capacity.record }),
    archive: new DynamoArchiveStore({ client: dynamoClient(), tables, onConsumed: capacity.record }),
    clock,
    receiptHandleSecret: testSecret,
    defaultShardCount: options.shards ?? 4,
    pollIntervalMs: 50,
  });
  return { ctx, clock, store, deadLetters, capacity };
}

let counter = 0;
export function queueRef(prefix = 'q'): QueueRef {
  counter++;
  return {
    account: '000000000000',
    region: 'us-east-1',
    name: `${prefix}-${counter}-${randomBytes(3).toString('hex')}`,
  };
}
