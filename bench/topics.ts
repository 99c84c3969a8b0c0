/**
 * `npm run bench:topics`: what a publish costs per subscription. For a topic with 1, 5, 10 and 25
 * raw queue subscriptions (no filter), in-process over DynamoDB Local: publishes per second (until
 * Publish answered), deliveries per second (until every queue had its copy, the sweeper's share
 * included for the subscriptions past Publish's inline 20), and DynamoDB calls and write units
 * (table + index) per publish and per delivery, counted by a middleware on the client.
 * `--publishes N` (default 300), `--concurrency N` (default 8).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { ConsumedCapacity, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createQueue } from '../functions/queue/operations/queues';
import { createDynamoClient } from '../functions/store/client';
import { tableNames } from '../functions/store/table-layout';
import { DynamoTopicStore } from '../functions/store/topic-store';
import { createTopicsContext } from '../functions/topics/context';
import { publish } from '../functions/topics/publish';
import { subscribe } from '../functions/topics/subscriptions';
import { sweepOutbox } from '../functions/topics/sweep';
import { createTopic } from '../functions/topics/topics';
import { startDynamoDbLocal } from '../infra/local/dynamodb-local';
import { ensureTables } from '../infra/local/tables';
import { benchQueueContext } from './context';
import { sumCapacity } from './dynamo-meter';

const { values } = parseArgs({
  options: { publishes: { type: 'string' }, concurrency: { type: 'string' }, out: { type: 'string' } },
});
const publishes = Number(values.publishes ?? 300);
const concurrency = Number(values.concurrency ?? 8);
const account = '000000000000';
const region = 'us-east-1';

interface TopicRow {
  subscriptions: number;
  publishesPerSecond: number;
  deliveriesPerSecond: number;
  callsPerPublish: number;
  writeUnitsPerPublish: number;
  writeUnitsPerDelivery: number;
  outboxWriteUnitsPerPublish: number;
}

async function main(): Promise<void> {
  const dynamodb = await startDynamoDbLocal({ inMemory: true });
  const client = createDynamoClient({ DYNAMODB_ENDPOINT: dynamodb.endpoint, AWS_REGION: region });
  try {
    const meter = outboxAwareMeter(client);
    const tables = tableNames('bench-topics-');
    await ensureTables(client, tables);
    const queue = benchQueueContext({ client, tables, shards: 4 });
    const topics = createTopicsContext({
      store: new DynamoTopicStore({ client, table: tables.messages }),
      queue,
    });
    const rows: TopicRow[] = [];
    for (const count of [1, 5, 10, 25]) {
      const ref = { account, region, name: `bench-${count}` };
      await createTopic(topics, ref, {});
      for (let i = 0; i < count; i++) {
        const name = `bench-${count}-q${i}`;
        await createQueue(queue, { ref: { account, region, name } });
        await subscribe(topics, ref, {
          protocol: 'sqs',
          endpoint: `arn:aws:sqs:${region}:${account}:${name}`,
          owner: account,
          attributes: { RawMessageDelivery: 'true' },
        });
      }
      const body = 'x'.repeat(300);
      await run(20, () => publish(topics, ref, { body }, 'http://bench'));
      await sweepOutbox(topics, { budgetMs: 60_000 });
      meter.clear();
      const started = performance.now();
      await run(publishes, () => publish(topics, ref, { body }, 'http://bench'));
      const answered = performance.now();
      while (!(await sweepOutbox(topics, { budgetMs: 60_000 })).complete || (await pending(topics)) > 0) {
        // deliveries past the inline ones: the sweeper's share
      }
      const delivered = performance.now();
      const writes = meter.entries.filter((e) => e.write);
      const units = (entries: typeof writes) => entries.reduce((sum, e) => sum + e.units, 0);
      const outboxUnits = units(writes.filter((e) => e.outbox));
      rows.push({
        subscriptions: count,
        publishesPerSecond: publishes / ((answered - started) / 1000),
        deliveriesPerSecond: (publishes * count) / ((delivered - started) / 1000),
        callsPerPublish: meter.entries.length / publishes,
        writeUnitsPerPublish: units(writes) / publishes,
        writeUnitsPerDelivery: (units(writes) - outboxUnits) / (publishes * count),
        outboxWriteUnitsPerPublish: outboxUnits / publishes,
      });
    }
    const text = formatRows(rows);
    console.log(text);
    const out = values.out ?? 'bench-results';
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'topics.json'), `${JSON.stringify({ publishes, concurrency, rows }, null, 2)}\n`);
    writeFileSync(join(out, 'topics.txt'), `${text}\n`);
  } finally {
    client.destroy();
    await dynamodb.stop();
  }
}

/**
 * Every call with the write units it consumed (table + index), and whether it wrote the outbox
 * (`ob#` keys) or something else (the queues' messages, the topic's records).
 */
function outboxAwareMeter(client: DynamoDBClient) {
  const entries: { write: boolean; outbox: boolean; units: number }[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as {
        Item?: { pk?: unknown };
        Key?: { pk?: unknown };
        ReturnConsumedCapacity?: string;
      };
      input.ReturnConsumedCapacity = 'INDEXES';
      const result = await next(args);
      const command = context.commandName ?? '';
      const key = JSON.stringify(input.Item?.pk ?? input.Key?.pk ?? '');
      const { table, index } = sumCapacity(
        (result.output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] }).ConsumedCapacity,
      );
      entries.push({
        write: !/^(Get|Query|Scan|BatchGet|TransactGet)/.test(command),
        outbox: key.includes('ob#'),
        units: table + index,
      });
      return result;
    },
    { step: 'initialize', name: 'benchTopicMeter' },
  );
  return {
    entries,
    clear: () => {
      entries.length = 0;
    },
  };
}

/** Outbox entries left (due or not). */
async function pending(topics: ReturnType<typeof createTopicsContext>): Promise<number> {
  return (await topics.store.listStaleOutbox(Number.MAX_SAFE_INTEGER, 1)).length;
}

async function run(count: number, one: () => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < count) await one();
    }),
  );
}

function formatRows(rows: TopicRow[]): string {
  const header = [
    'subscriptions',
    'publishes/s',
    'deliveries/s',
    'calls/publish',
    'write units/publish',
    'of which outbox',
    'write units/delivery',
  ];
  const lines = rows.map((r) => [
    String(r.subscriptions),
    r.publishesPerSecond.toFixed(0),
    r.deliveriesPerSecond.toFixed(0),
    r.callsPerPublish.toFixed(1),
    r.writeUnitsPerPublish.toFixed(1),
    r.outboxWriteUnitsPerPublish.toFixed(1),
    r.writeUnitsPerDelivery.toFixed(2),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const render = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  return [
    `topic publish cost (300-byte body, raw delivery, no filter; ${publishes} publishes, concurrency ${concurrency}, DynamoDB Local)`,
    render(header),
    ...lines.map(render),
  ].join('\n');
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
