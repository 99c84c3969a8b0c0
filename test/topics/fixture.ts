import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ManualClock } from '../../functions/queue/clock';
import type { QueueRef } from '../../functions/queue/model';
import { createQueue } from '../../functions/queue/operations/queues';
import { receiveMessages } from '../../functions/queue/operations/receive';
import { createQueueContext } from '../../functions/queue/service';
import { DynamoDeadLetterStore } from '../../functions/store/dead-letter-store';
import { DynamoFifoStore } from '../../functions/store/fifo-store';
import { DynamoQueueStore } from '../../functions/store/queue-store';
import type { TableNames } from '../../functions/store/table-layout';
import { DynamoTopicStore } from '../../functions/store/topic-store';
import { createTopicsContext, type TopicsContext } from '../../functions/topics/context';
import type { FunctionInvoker, HttpEndpoints } from '../../functions/topics/port';
import { capacityLog, dynamoClient, testSecret } from '../support/queue-fixture';

/**
 * Topics over the real DynamoDB Local, for tests that call the domain directly: a queue context
 * (standard and FIFO), a topics context over it, a hand-moved clock and a log of the write units
 * every call consumed. `client` lets a test put faults in front of DynamoDB Local.
 */
export interface TopicsFixture {
  topics: TopicsContext;
  clock: ManualClock;
  capacity: ReturnType<typeof capacityLog>;
}

export function topicsFixture(
  tables: TableNames,
  options: {
    client?: DynamoDBClient;
    clock?: ManualClock;
    endpoints?: HttpEndpoints;
    functions?: FunctionInvoker;
  } = {},
): TopicsFixture {
  const client = options.client ?? dynamoClient();
  const clock = options.clock ?? new ManualClock(Date.now());
  const capacity = capacityLog();
  const storeOptions = { client, tables, onConsumed: capacity.record };
  const queue = createQueueContext({
    store: new DynamoQueueStore(storeOptions),
    deadLetters: new DynamoDeadLetterStore(storeOptions),
    fifo: new DynamoFifoStore(storeOptions),
    clock,
    receiptHandleSecret: testSecret,
    defaultShardCount: 2,
    pollIntervalMs: 50,
    queueCacheMs: 0,
  });
  const topics = createTopicsContext({
    store: new DynamoTopicStore({ client, table: tables.messages, onConsumed: capacity.record }),
    queue,
    clock,
    cacheMs: 0,
    ...(options.endpoints ? { endpoints: options.endpoints } : {}),
    ...(options.functions ? { functions: options.functions } : {}),
  });
  return { topics, clock, capacity };
}

export const account = '000000000000';
export const region = 'us-east-1';
export const queueArn = (name: string) => `arn:aws:sqs:${region}:${account}:${name}`;

export async function newQueue(ctx: TopicsContext, name: string): Promise<QueueRef> {
  const ref = { account, region, name };
  await createQueue(ctx.queue, { ref, ...(name.endsWith('.fifo') ? { fifo: true } : {}) });
  return ref;
}

/** Every message in a queue now (leased for long enough that none comes back during the test). */
export async function receiveAll(ctx: TopicsContext, ref: QueueRef) {
  const all = [];
  for (let i = 0; i < 50; i++) {
    const batch = await receiveMessages(ctx.queue, ref, { maxMessages: 10, visibilityTimeoutSeconds: 3600 });
    if (batch.length === 0) break;
    all.push(...batch);
  }
  return all;
}
