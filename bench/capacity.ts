import { randomUUID } from 'node:crypto';
import {
  type ConsumedCapacity,
  DeleteItemCommand,
  type DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { QueueContext } from '../functions/queue/context';
import type { QueueRef, StoredMessage } from '../functions/queue/model';
import { deleteMessage, deleteMessageBatch } from '../functions/queue/operations/acknowledge';
import { createQueue, purgeQueue } from '../functions/queue/operations/queues';
import { receiveMessages } from '../functions/queue/operations/receive';
import { sendMessage, sendMessageBatch } from '../functions/queue/operations/send';
import { createDynamoClient } from '../functions/store/client';
import { conditions, takeLease } from '../functions/store/conditions';
import { messageKey, messageToItems } from '../functions/store/items';
import type { TableNames } from '../functions/store/table-layout';
import { benchQueueContext } from './context';
import { type DynamoMeter, type MeterEntry, meterClient, sumCapacity } from './dynamo-meter';

/**
 * Capacity units per message lifecycle, as DynamoDB Local reports them (ReturnConsumedCapacity:
 * INDEXES): for the queue through the store's onConsumed hook, and for the raw ceiling on each
 * call. Also the DynamoDB calls (round trips) of each step, counted on the client.
 */
export interface Units {
  /** Write units on the table / on the ready index. */
  writeTable: number;
  writeIndex: number;
  /** Read units (table and index together). */
  read: number;
  /** Read units the store's onConsumed hook never reports (its batch reads); included in `read`. */
  readUnhooked: number;
  /** DynamoDB calls, and by command. */
  calls: number;
  commands: Record<string, number>;
}

export interface CapacityScenario {
  subject: 'queue' | 'raw ceiling';
  bodyBytes: number;
  /** Messages per send / receive / delete call: 1, or the batch size. */
  batch: number;
  messages: number;
  /** Per message, averaged over `messages`. */
  perMessage: { send: Units; receive: Units; delete: Units; lifecycle: Units };
  /** Calls of each queue operation (a receive may return fewer than asked and is repeated). */
  operationCalls: { send: number; receive: number; delete: number };
  /** DynamoDB calls per call of each queue operation (a batch of `batch` is one call). */
  roundTripsPerCall: { send: number; receive: number; delete: number };
  /** Write units (table + index) of one lease change, per message. */
  leaseWriteUnits: number;
  /** Units the hook reported minus what the client saw for the same calls (0 when they agree). */
  hookMismatch: number;
  note?: string;
}

const empty = (): Units => ({
  writeTable: 0,
  writeIndex: 0,
  read: 0,
  readUnhooked: 0,
  calls: 0,
  commands: {},
});

function unitsOf(entries: MeterEntry[]): Units {
  const units = empty();
  for (const e of entries) {
    if (e.kind === 'write') {
      units.writeTable += e.table;
      units.writeIndex += e.index;
    } else {
      units.read += e.table + e.index;
      if (e.unhooked) units.readUnhooked += e.table + e.index;
    }
    units.calls++;
    units.commands[e.command] = (units.commands[e.command] ?? 0) + 1;
  }
  return units;
}

function scale(units: Units, divisor: number): Units {
  const commands: Record<string, number> = {};
  for (const [k, v] of Object.entries(units.commands)) commands[k] = v / divisor;
  return {
    writeTable: units.writeTable / divisor,
    writeIndex: units.writeIndex / divisor,
    read: units.read / divisor,
    readUnhooked: units.readUnhooked / divisor,
    calls: units.calls / divisor,
    commands,
  };
}

function add(...all: Units[]): Units {
  const sum = empty();
  for (const u of all) {
    sum.writeTable += u.writeTable;
    sum.writeIndex += u.writeIndex;
    sum.read += u.read;
    sum.readUnhooked += u.readUnhooked;
    sum.calls += u.calls;
    for (const [k, v] of Object.entries(u.commands)) sum.commands[k] = (sum.commands[k] ?? 0) + v;
  }
  return sum;
}

/** 200 KB bodies: ten of them exceed the 1 MiB batch limit, so batches hold five. */
const batchTotalLimit = 1_048_576;

export async function measureCapacity(options: {
  dynamodbEndpoint: string;
  tables: TableNames;
  shards: number;
  bodies: number[];
}): Promise<CapacityResult> {
  const client = createDynamoClient({ DYNAMODB_ENDPOINT: options.dynamodbEndpoint, AWS_REGION: 'us-east-1' });
  const meter = meterClient(client, { askCapacity: true });
  let hookTotal = 0;
  const onConsumed = (_operation: string, consumed: ConsumedCapacity | ConsumedCapacity[] | undefined) => {
    const { table, index } = sumCapacity(consumed);
    hookTotal += table + index;
  };
  const ctx = benchQueueContext({ client, tables: options.tables, shards: options.shards, onConsumed });
  const scenarios: CapacityScenario[] = [];

  for (const bodyBytes of options.bodies) {
    for (const wanted of [1, 10]) {
      const batch = Math.min(wanted, Math.floor(batchTotalLimit / bodyBytes));
      const rounds = batch === 1 ? 5 : 2;
      const ref = benchRef(`cost-${bodyBytes}-${batch}`);
      await createQueue(ctx, { ref, settings: { visibilityTimeoutSeconds: 300 } });
      await receiveMessages(ctx, ref); // settings are cached: their read is not per message
      const steps = { send: [] as MeterEntry[], receive: [] as MeterEntry[], delete: [] as MeterEntry[] };
      const stepCalls = { send: 0, receive: 0, delete: 0 };
      let hookSeen = 0;
      let clientSeen = 0;
      const step = async (name: keyof typeof steps, run: () => Promise<unknown>) => {
        meter.clear();
        hookTotal = 0;
        await run();
        steps[name].push(...meter.entries);
        stepCalls[name]++;
        hookSeen += hookTotal;
        clientSeen += meter.entries.filter((e) => !e.unhooked).reduce((s, e) => s + e.table + e.index, 0);
      };
      const body = (n: number) => `${n}:`.padEnd(bodyBytes, 'x');
      for (let round = 0; round < rounds; round++) {
        if (batch === 1) {
          await step('send', () => sendMessage(ctx, ref, { body: body(round) }, sender));
          let handle = '';
          await step('receive', async () => {
            const [received] = await receiveMessages(ctx, ref);
            handle = received?.receiptHandle ?? '';
          });
          if (!handle) throw new Error('capacity run: the message was not received');
          await step('delete', () => deleteMessage(ctx, ref, handle));
        } else {
          const entries = Array.from({ length: batch }, (_, i) => ({ id: `m${i}`, body: body(i) }));
          await step('send', async () => {
            const result = await sendMessageBatch(ctx, ref, entries, sender);
            if (result.failed.length > 0) throw new Error(`batch send failed: ${result.failed[0]!.code}`);
          });
          const handles: string[] = [];
          for (let attempt = 0; handles.length < batch && attempt < 10; attempt++) {
            await step('receive', async () => {
              const got = await receiveMessages(ctx, ref, {
                maxMessages: Math.min(10, batch - handles.length),
              });
              handles.push(...got.map((m) => m.receiptHandle));
            });
          }
          if (handles.length < batch) throw new Error('capacity run: the batch was not received');
          await step('delete', async () => {
            const result = await deleteMessageBatch(
              ctx,
              ref,
              handles.map((receiptHandle, i) => ({ id: `d${i}`, receiptHandle })),
            );
            if (result.failed.length > 0) throw new Error(`batch delete failed: ${result.failed[0]!.code}`);
          });
        }
      }
      const messages = rounds * batch;
      const send = scale(unitsOf(steps.send), messages);
      const receive = scale(unitsOf(steps.receive), messages);
      const remove = scale(unitsOf(steps.delete), messages);
      const leases = steps.receive.filter((e) => e.command === 'UpdateItem');
      scenarios.push({
        subject: 'queue',
        bodyBytes,
        batch,
        messages,
        perMessage: { send, receive, delete: remove, lifecycle: add(send, receive, remove) },
        operationCalls: { ...stepCalls },
        roundTripsPerCall: {
          send: steps.send.length / stepCalls.send,
          receive: steps.receive.length / stepCalls.receive,
          delete: steps.delete.length / stepCalls.delete,
        },
        leaseWriteUnits: leases.reduce((s, e) => s + e.table + e.index, 0) / Math.max(1, leases.length),
        hookMismatch: hookSeen - clientSeen,
        ...(batch !== wanted
          ? {
              note: `a batch of ${wanted} x ${bodyBytes} B exceeds the 1 MiB batch limit: batches of ${batch}`,
            }
          : {}),
      });
    }
    scenarios.push(await rawCeilingCapacity(client, options.tables.messages, bodyBytes));
  }
  const backlogReceive = await receiveFromBacklog(ctx, meter, 100);
  const largestSevenUnitBody = await largestBodyAt(ctx, meter, 7);
  client.destroy();
  return { scenarios, backlogReceive, largestSevenUnitBody };
}

export interface CapacityResult {
  scenarios: CapacityScenario[];
  /** One receive of 10 from a queue holding `backlog` visible messages: its DynamoDB calls. */
  backlogReceive: { backlog: number; shards: number; received: number; queries: number; leaseWrites: number };
  /** The largest body (bytes, ASCII, no attributes) whose whole lifecycle costs at most 7 write units. */
  largestSevenUnitBody: number;
}

const benchRef = (label: string): QueueRef => ({
  account: '000000000000',
  region: 'us-east-1',
  name: `bench-${label}-${randomUUID().slice(0, 8)}`,
});
const sender = { senderId: '000000000000' };

async function receiveFromBacklog(ctx: QueueContext, meter: DynamoMeter, backlog: number) {
  const ref = benchRef('backlog');
  const { queue } = await createQueue(ctx, { ref, settings: { visibilityTimeoutSeconds: 300 } });
  for (let sent = 0; sent < backlog; sent += 10) {
    const entries = Array.from({ length: 10 }, (_, i) => ({ id: `m${i}`, body: `backlog ${sent + i}` }));
    await sendMessageBatch(ctx, ref, entries, sender);
  }
  meter.clear();
  const received = await receiveMessages(ctx, ref, { maxMessages: 10 });
  const result = {
    backlog,
    shards: queue.shardCount,
    received: received.length,
    queries: meter.calls((c) => c === 'Query'),
    leaseWrites: meter.calls((c) => c === 'UpdateItem'),
  };
  await purgeQueue(ctx, ref);
  return result;
}

/** Binary search over body sizes for the largest whose send + lease + delete stays within `units`. */
async function largestBodyAt(ctx: QueueContext, meter: DynamoMeter, units: number): Promise<number> {
  const ref = benchRef('fit');
  await createQueue(ctx, { ref, settings: { visibilityTimeoutSeconds: 300 } });
  await receiveMessages(ctx, ref);
  const cost = async (bytes: number) => {
    meter.clear();
    await sendMessage(ctx, ref, { body: 'x'.repeat(bytes) }, sender);
    const [message] = await receiveMessages(ctx, ref);
    if (!message) throw new Error('capacity run: the message was not received');
    await deleteMessage(ctx, ref, message.receiptHandle);
    return meter.entries.filter((e) => e.kind === 'write').reduce((sum, e) => sum + e.table + e.index, 0);
  };
  let low = 1;
  let high = 2_048;
  if ((await cost(low)) > units) return 0;
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if ((await cost(mid)) <= units) low = mid;
    else high = mid;
  }
  return low;
}

/** The plain design: one item with the body inline, put, leased and deleted by the minimal calls. */
async function rawCeilingCapacity(
  client: DynamoDBClient,
  table: string,
  bodyBytes: number,
): Promise<CapacityScenario> {
  const now = Date.now();
  const message: StoredMessage = {
    id: randomUUID(),
    queueId: `ceilingcost${randomUUID().slice(0, 6)}`,
    shard: 0,
    body: '',
    attributes: {},
    senderId: '000000000000',
    sentAt: now,
    visibleAt: now,
    expiresAt: now + 345_600_000,
    receiveCount: 0,
  };
  const item = messageToItems(message).message;
  delete item.p;
  item.b = { S: 'x'.repeat(bodyBytes) };
  const key = messageKey(message.queueId, message.id);
  const put = await client.send(
    new PutItemCommand({ TableName: table, Item: item, ReturnConsumedCapacity: 'INDEXES' }),
  );
  const lease = await client.send(
    new UpdateItemCommand({
      TableName: table,
      Key: key,
      ConditionExpression: conditions.deliverable(false, false),
      UpdateExpression: takeLease,
      ExpressionAttributeValues: {
        ':now': { N: String(now + 1) },
        ':visibleUntil': { N: String(now + 300_000) },
        ':token': { S: 'token' },
        ':one': { N: '1' },
      },
      ReturnValues: 'ALL_NEW',
      ReturnConsumedCapacity: 'INDEXES',
    }),
  );
  const remove = await client.send(
    new DeleteItemCommand({
      TableName: table,
      Key: key,
      ConditionExpression: conditions.holdsLease,
      ExpressionAttributeValues: { ':token': { S: 'token' } },
      ReturnConsumedCapacity: 'INDEXES',
    }),
  );
  const units = (consumed: ConsumedCapacity | undefined, command: string): Units => {
    const { table: writeTable, index: writeIndex } = sumCapacity(consumed);
    return { ...empty(), writeTable, writeIndex, calls: 1, commands: { [command]: 1 } };
  };
  const send = units(put.ConsumedCapacity, 'PutItem');
  const receive = units(lease.ConsumedCapacity, 'UpdateItem');
  const del = units(remove.ConsumedCapacity, 'DeleteItem');
  return {
    subject: 'raw ceiling',
    bodyBytes,
    batch: 1,
    messages: 1,
    perMessage: { send, receive, delete: del, lifecycle: add(send, receive, del) },
    operationCalls: { send: 1, receive: 1, delete: 1 },
    roundTripsPerCall: { send: 1, receive: 1, delete: 1 },
    leaseWriteUnits: receive.writeTable + receive.writeIndex,
    hookMismatch: 0,
    note: 'one item, body inline, no index query (a receive must also find the message)',
  };
}
