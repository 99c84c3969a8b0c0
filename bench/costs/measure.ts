import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { QueueContext } from '../../functions/queue/context';
import type { QueueRef } from '../../functions/queue/model';
import { deleteMessage } from '../../functions/queue/operations/acknowledge';
import { createQueue, describeQueue } from '../../functions/queue/operations/queues';
import { receiveMessages } from '../../functions/queue/operations/receive';
import { sendMessageBatch } from '../../functions/queue/operations/send';
import { readStats } from '../../functions/queue/operations/stats';
import { createDynamoClient } from '../../functions/store/client';
import type { TableNames } from '../../functions/store/table-layout';
import { DynamoTopicStore } from '../../functions/store/topic-store';
import { createTopicsContext } from '../../functions/topics/context';
import { publish } from '../../functions/topics/publish';
import { subscribe } from '../../functions/topics/subscriptions';
import { createTopic } from '../../functions/topics/topics';
import { benchQueueContext } from '../context';
import { type DynamoMeter, type MeterEntry, meterClient } from '../dynamo-meter';

/**
 * The work the cost table prices that the lifecycle rows (capacity.ts) do not cover, measured on
 * DynamoDB Local with ReturnConsumedCapacity: an idle long poll, the console's refresh of a queue
 * page on a backlog, and a publish fanned out to three queues and consumed there.
 */
export interface Work {
  calls: number;
  readUnits: number;
  writeUnits: number;
}

export interface CostMeasurements {
  /** One 20-s long poll on an empty queue. */
  idleLongPoll: Work & { waitSeconds: number; shards: number };
  /** One refresh of the console's queue page (GET /queues/{name} and its statistics) on `backlog` messages. */
  consoleRefresh: Work & { backlog: number; counterWriteUnitsPerMessage: number };
  /** One publish to a topic with three queue subscriptions, then a receive and a delete in each queue. */
  fanOutToThree: Work;
}

const account = '000000000000';
const region = 'us-east-1';
const sender = { senderId: account };
const ref = (label: string): QueueRef => ({
  account,
  region,
  name: `cost-${label}-${randomUUID().slice(0, 8)}`,
});

/**
 * DynamoDB bills a read that finds nothing too (a Query or GetItem costs at least 0.5 read unit
 * eventually consistent, 1 strongly), but DynamoDB Local reports 0 for it: such reads count 0.5
 * here, the lower bound.
 */
const minimumReadUnits = 0.5;

function workOf(entries: MeterEntry[], repeats = 1): Work {
  let readUnits = 0;
  let writeUnits = 0;
  for (const e of entries) {
    if (e.kind === 'read') readUnits += Math.max(minimumReadUnits, e.table + e.index);
    else writeUnits += e.table + e.index;
  }
  return {
    calls: entries.length / repeats,
    readUnits: readUnits / repeats,
    writeUnits: writeUnits / repeats,
  };
}

async function measured(meter: DynamoMeter, run: () => Promise<unknown>, repeats = 1): Promise<Work> {
  meter.clear();
  await run();
  return workOf(meter.entries, repeats);
}

export async function measureCostWork(options: {
  dynamodbEndpoint: string;
  tables: TableNames;
  shards: number;
  backlog: number;
  waitSeconds: number;
}): Promise<CostMeasurements> {
  const client = createDynamoClient({ DYNAMODB_ENDPOINT: options.dynamodbEndpoint, AWS_REGION: region });
  const meter = meterClient(client, { askCapacity: true });
  const ctx = benchQueueContext({ client, tables: options.tables, shards: options.shards });
  try {
    const idle = ref('idle');
    await createQueue(ctx, { ref: idle });
    await receiveMessages(ctx, idle); // the settings read is cached afterwards, as in a warm function
    const started = performance.now();
    const idleWork = await measured(meter, () =>
      receiveMessages(ctx, idle, { waitTimeSeconds: options.waitSeconds }),
    );
    const waited = (performance.now() - started) / 1000;

    const consoleRefresh = await measureConsoleRefresh(ctx, meter, options.backlog);
    const fanOutToThree = await measureFanOut(ctx, meter, client, options.tables);
    return {
      idleLongPoll: { ...idleWork, waitSeconds: waited, shards: options.shards },
      consoleRefresh,
      fanOutToThree,
    };
  } finally {
    client.destroy();
  }
}

async function measureConsoleRefresh(ctx: QueueContext, meter: DynamoMeter, backlog: number) {
  const queue = ref('console');
  await createQueue(ctx, { ref: queue });
  for (let sent = 0; sent < backlog; sent += 10) {
    const entries = Array.from({ length: Math.min(10, backlog - sent) }, (_, i) => ({
      id: `m${i}`,
      body: `backlog message ${sent + i}`.padEnd(200, '.'),
    }));
    await sendMessageBatch(ctx, queue, entries, sender);
  }
  // The first count applies the backlog's stream records to the counters (locally; deployed, the
  // counter function does it as they come): their write units are the counters' upkeep.
  const upkeep = await measured(meter, () => describeQueue(ctx, queue).then(() => undefined), 1);
  const refreshes = 3;
  const work = await measured(
    meter,
    async () => {
      for (let i = 0; i < refreshes; i++) {
        await Promise.all([describeQueue(ctx, queue), readStats(ctx, queue, { minutes: 60 })]);
      }
    },
    refreshes,
  );
  return { ...work, backlog, counterWriteUnitsPerMessage: upkeep.writeUnits / backlog };
}

async function measureFanOut(
  ctx: QueueContext,
  meter: DynamoMeter,
  client: ReturnType<typeof createDynamoClient>,
  tables: TableNames,
) {
  const topics = createTopicsContext({
    store: new DynamoTopicStore({ client, table: tables.messages }),
    queue: ctx,
  });
  const topic = { account, region, name: `cost-topic-${randomUUID().slice(0, 8)}` };
  await createTopic(topics, topic, { attributes: {} });
  const queues: QueueRef[] = [];
  for (let i = 0; i < 3; i++) {
    const queue = ref(`fan${i}`);
    await createQueue(ctx, { ref: queue, settings: { visibilityTimeoutSeconds: 300 } });
    await subscribe(topics, topic, {
      protocol: 'sqs',
      endpoint: `arn:aws:sqs:${region}:${account}:${queue.name}`,
      owner: account,
      attributes: { RawMessageDelivery: 'true' },
    });
    await receiveMessages(ctx, queue);
    queues.push(queue);
  }
  const publishes = 3;
  return measured(
    meter,
    async () => {
      for (let i = 0; i < publishes; i++) {
        await publish(topics, topic, { body: `order ${i}`.padEnd(800, '.') }, 'http://localhost');
        for (const queue of queues) {
          await deleteMessage(ctx, queue, (await receiveOne(ctx, queue)).receiptHandle);
        }
      }
    },
    publishes,
  );
}

/** A standard receive reads some shards per call: an empty answer is not the end. */
async function receiveOne(ctx: QueueContext, queue: QueueRef) {
  for (let attempt = 0; attempt < 20; attempt++) {
    const [message] = await receiveMessages(ctx, queue);
    if (message) return message;
  }
  throw new Error('cost run: a fanned-out message did not arrive');
}
