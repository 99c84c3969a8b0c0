import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { ManualClock } from '../../functions/queue/clock';
import type { QueueContext } from '../../functions/queue/context';
import { QueueError } from '../../functions/queue/errors';
import type { QueueRef } from '../../functions/queue/model';
import { createQueue } from '../../functions/queue/operations/queues';
import type { BodyStore } from '../../functions/queue/ports/body-store';
import { createQueueContext } from '../../functions/queue/service';
import { DynamoDeadLetterStore } from '../../functions/store/dead-letter-store';
import { DynamoFifoStore } from '../../functions/store/fifo-store';
import { DynamoQueueStore } from '../../functions/store/queue-store';
import type { TableNames } from '../../functions/store/table-layout';
import { capacityLog, dynamoClient, testSecret } from '../support/queue-fixture';

/** A queue context with FIFO storage over DynamoDB Local and a hand-moved clock. */
export function fifoContext(
  tables: TableNames,
  options: {
    shards?: number;
    clock?: ManualClock;
    countedGroups?: number;
    bodies?: BodyStore;
    counters?: boolean;
  } = {},
) {
  const clock = options.clock ?? new ManualClock(Date.now());
  const capacity = capacityLog();
  const client = dynamoClient();
  const storeOptions = {
    client,
    tables,
    onConsumed: capacity.record,
    ...(options.bodies ? { bodies: options.bodies } : {}),
    counters: options.counters ?? false,
  };
  const ctx: QueueContext = createQueueContext({
    store: new DynamoQueueStore(storeOptions),
    deadLetters: new DynamoDeadLetterStore(storeOptions),
    fifo: new DynamoFifoStore(storeOptions, options.countedGroups),
    clock,
    receiptHandleSecret: testSecret,
    defaultShardCount: options.shards ?? 4,
    pollIntervalMs: 50,
  });
  return { ctx, clock, capacity };
}

let counter = 0;
export function fifoRef(prefix = 'f'): QueueRef {
  counter++;
  return {
    account: '000000000000',
    region: 'us-east-1',
    name: `${prefix}-${counter}-${randomBytes(3).toString('hex')}.fifo`,
  };
}

export async function newFifoQueue(
  ctx: QueueContext,
  settings: Parameters<typeof createQueue>[1]['settings'] = {},
  options: { prefix?: string; shardCount?: number } = {},
): Promise<QueueRef> {
  const ref = fifoRef(options.prefix);
  await createQueue(ctx, { ref, fifo: true, settings, shardCount: options.shardCount });
  return ref;
}

export const sender = { senderId: 'tester' };

export async function expectError(promise: Promise<unknown>, code: string): Promise<QueueError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(QueueError);
  expect((error as QueueError).code).toBe(code);
  return error as QueueError;
}
