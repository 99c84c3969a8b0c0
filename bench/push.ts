import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { lambdaInvoker } from '../functions/dialects/push/lambda-invoker';
import { pushTargets } from '../functions/dialects/push/targets';
import { createConsumer } from '../functions/push/consumers';
import { createPushContext } from '../functions/push/context';
import { createQueue } from '../functions/queue/operations/queues';
import { sendMessage } from '../functions/queue/operations/send';
import { createDynamoClient } from '../functions/store/client';
import { DynamoConsumerStore } from '../functions/store/consumer-store';
import type { TableNames } from '../functions/store/table-layout';
import { startPushLoop } from '../infra/local/push-loop';
import { benchQueueContext } from './context';
import { meterClient } from './dynamo-meter';
import { textTable } from './table';

/**
 * Push delivery (issue 19), in-process over DynamoDB Local, to a real HTTP target on loopback
 * that answers 200 at once: (1) a backlog of `backlog` messages drained by one consumer (batches
 * of 10, 5 in flight): deliveries per second, and DynamoDB calls and units per delivered message
 * (the dispatcher's share only: slots, receive, delete); (2) `probes` messages sent one at a time,
 * 20 ms apart, to the idle queue: latency from send to the target's receipt, p50 and p95.
 */
export interface PushBenchResult {
  backlog: number;
  deliveriesPerSecond: number;
  batches: number;
  callsPerMessage: number;
  readUnitsPerMessage: number;
  writeUnitsPerMessage: number;
  probes: number;
  latencyP50Ms: number;
  latencyP95Ms: number;
}

const account = '000000000000';
const region = 'us-east-1';

export async function measurePush(options: {
  dynamodbEndpoint: string;
  tables: TableNames;
  shards: number;
  backlog?: number;
  probes?: number;
}): Promise<PushBenchResult> {
  const backlog = options.backlog ?? 2_000;
  const probes = options.probes ?? 200;
  const client = createDynamoClient({ DYNAMODB_ENDPOINT: options.dynamodbEndpoint, AWS_REGION: region });
  const meter = meterClient(client, { askCapacity: true });
  const queue = benchQueueContext({ client, tables: options.tables, shards: options.shards });
  const push = createPushContext({
    store: new DynamoConsumerStore({ client, table: options.tables.messages }),
    queue,
    targets: pushTargets({ lambda: lambdaInvoker() }),
    local: true,
  });
  // The target: every record's body is the sender's clock reading; latency is taken on arrival.
  const latencies: number[] = [];
  let delivered = 0;
  let batches = 0;
  let lastAt = 0;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const now = performance.now();
      const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Records: { body: string }[] };
      batches++;
      for (const record of event.Records) {
        const sent = Number(record.body.split(':')[1]);
        if (record.body.startsWith('probe:')) latencies.push(now - sent);
        delivered++;
      }
      lastAt = now;
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/bench`;
  const ref = { account, region, name: `bench-push-${Date.now().toString(36)}` };
  let stop: (() => Promise<void>) | undefined;
  try {
    await createQueue(queue, { ref });
    await createConsumer(push, ref, { target: { url }, batchSize: 10, maximumConcurrency: 5 });
    // (1) The backlog, sent before the dispatcher starts.
    let next = 0;
    const sender = async () => {
      for (let n = next++; n < backlog; n = next++) {
        await sendMessage(queue, ref, { body: `backlog:${n}`.padEnd(800, 'x') }, { senderId: 'bench' });
      }
    };
    await Promise.all(Array.from({ length: 8 }, sender));
    meter.clear();
    const started = performance.now();
    stop = startPushLoop(push, { idleMs: 200 });
    await until(() => delivered >= backlog, 300_000);
    const seconds = (lastAt - started) / 1000;
    const entries = [...meter.entries];
    const drainBatches = batches;
    // (2) The probes, to the idle queue (the dispatcher waiting for arrivals).
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (let i = 0; i < probes; i++) {
      await sendMessage(queue, ref, { body: `probe:${performance.now()}` }, { senderId: 'bench' });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await until(() => latencies.length >= probes, 60_000);
    latencies.sort((a, b) => a - b);
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
    const units = (kind: 'read' | 'write') =>
      entries.filter((e) => e.kind === kind).reduce((sum, e) => sum + e.table + e.index, 0) / backlog;
    return {
      backlog,
      deliveriesPerSecond: backlog / seconds,
      batches: drainBatches,
      callsPerMessage: entries.length / backlog,
      readUnitsPerMessage: units('read'),
      writeUnitsPerMessage: units('write'),
      probes,
      latencyP50Ms: at(0.5),
      latencyP95Ms: at(0.95),
    };
  } finally {
    await stop?.();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    client.destroy();
  }
}

async function until(done: () => boolean, ms: number): Promise<void> {
  const deadline = performance.now() + ms;
  while (!done()) {
    if (performance.now() > deadline) throw new Error('push bench: deliveries did not arrive in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export function pushTable(result: PushBenchResult): string {
  return [
    'Push delivery to a local HTTP target (one consumer, batches of 10, 5 in flight, 800-byte bodies)',
    textTable(
      ['measure', 'value'],
      [
        [`backlog of ${result.backlog} drained`, `${result.deliveriesPerSecond.toFixed(0)} deliveries/s`],
        ['batches', String(result.batches)],
        ['DynamoDB calls per delivered message', result.callsPerMessage.toFixed(2)],
        [
          'units per delivered message (read / write)',
          `${result.readUnitsPerMessage.toFixed(2)} / ${result.writeUnitsPerMessage.toFixed(2)}`,
        ],
        [
          `send to delivery, idle queue (${result.probes} messages 20 ms apart)`,
          `p50 ${result.latencyP50Ms.toFixed(0)} ms, p95 ${result.latencyP95Ms.toFixed(0)} ms`,
        ],
      ],
    ),
  ].join('\n');
}
