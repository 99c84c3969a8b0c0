import { pathToFileURL } from 'node:url';
import type { QueueContext } from '../functions/queue/context';
import type { QueueRef } from '../functions/queue/model';
import { deleteMessageBatch } from '../functions/queue/operations/acknowledge';
import { createQueue } from '../functions/queue/operations/queues';
import { receiveMessages } from '../functions/queue/operations/receive';
import { sendMessageBatch } from '../functions/queue/operations/send';
import { createDynamoClient } from '../functions/store/client';
import { type TableNames, tableNames } from '../functions/store/table-layout';
import { startDynamoDbLocal } from '../infra/local/dynamodb-local';
import { ensureTables } from '../infra/local/tables';
import { benchQueueContext } from './context';
import { percentile, round } from './stats';

/**
 * On-time delivery of scheduled messages: `messages` messages all due at the same instant, taken by
 * `consumers` long-polling receivers (each receive up to 10, deleted at once) through the queue core
 * over DynamoDB Local. Lateness is when a receive returned a message minus its deliverAt; none may
 * be early. Nothing runs per message: they are found by the receives' index queries (`v <= now`).
 */
export interface ScheduleSpread {
  messages: number;
  consumers: number;
  shards: number;
  delivered: number;
  early: number;
  lateMs: { min: number; p50: number; p95: number; max: number };
  /** From the due time until the last message was received. */
  drainedMs: number;
  /** The same consumers draining as many messages sent without a schedule (visible from the start). */
  baselineDrainMs: number;
}

export async function measureScheduleSpread(options: {
  dynamodbEndpoint: string;
  tables: TableNames;
  messages?: number;
  consumers?: number;
  shards?: number;
}): Promise<ScheduleSpread> {
  const messages = options.messages ?? 1_000;
  const consumers = options.consumers ?? 8;
  const shards = options.shards ?? 4;
  const client = createDynamoClient({ DYNAMODB_ENDPOINT: options.dynamodbEndpoint, AWS_REGION: 'us-east-1' });
  const ctx = benchQueueContext({ client, tables: options.tables, shards });
  const ref = { account: '000000000000', region: 'us-east-1', name: `bench-schedule-${Date.now()}` };
  await createQueue(ctx, { ref, settings: { visibilityTimeoutSeconds: 600 } });
  // Due once every send is surely stored (DynamoDB Local takes a few hundred writes a second).
  const due = Math.ceil((Date.now() + 10_000 + messages * 5) / 1000) * 1000;
  const deliverAt = new Date(due).toISOString();
  await sendAll(ctx, ref, messages, deliverAt);
  if (Date.now() >= due) throw new Error('sending took longer than the lead time: lower --messages');
  const { lateness, early, last } = await drain(ctx, ref, messages, consumers, due);
  // The baseline: the same number of messages, deliverable at once, drained the same way.
  const plainRef = { ...ref, name: `${ref.name}-plain` };
  await createQueue(ctx, { ref: plainRef, settings: { visibilityTimeoutSeconds: 600 } });
  await sendAll(ctx, plainRef, messages, undefined);
  const start = Date.now();
  const baseline = await drain(ctx, plainRef, messages, consumers, start);
  await ctx.stats.flush();
  client.destroy();
  const sorted = Float64Array.from(lateness).sort();
  return {
    messages,
    consumers,
    shards,
    delivered: lateness.length + early,
    early,
    lateMs: {
      min: round(sorted[0] ?? 0, 0),
      p50: round(percentile(sorted, 0.5), 0),
      p95: round(percentile(sorted, 0.95), 0),
      max: round(sorted.at(-1) ?? 0, 0),
    },
    drainedMs: last - due,
    baselineDrainMs: baseline.last - start,
  };
}

async function drain(ctx: QueueContext, ref: QueueRef, messages: number, consumers: number, due: number) {
  const lateness: number[] = [];
  let early = 0;
  let last = due;
  await Promise.all(
    Array.from({ length: consumers }, async () => {
      while (lateness.length + early < messages && Date.now() < due + 60_000) {
        const got = await receiveMessages(ctx, ref, { maxMessages: 10, waitTimeSeconds: 20 });
        const now = Date.now();
        for (const _ of got) {
          if (now < due) early++;
          else lateness.push(now - due);
        }
        if (got.length > 0) {
          last = Math.max(last, now);
          await deleteMessageBatch(
            ctx,
            ref,
            got.map((m, i) => ({ id: String(i), receiptHandle: m.receiptHandle })),
          );
        }
      }
    }),
  );
  return { lateness, early, last };
}

/** Sends in batches of 10, 8 batches at a time. */
async function sendAll(ctx: QueueContext, ref: QueueRef, messages: number, deliverAt: string | undefined) {
  for (let at = 0; at < messages; at += 80) {
    await Promise.all(
      Array.from({ length: Math.min(8, Math.ceil((messages - at) / 10)) }, (_, b) =>
        sendMessageBatch(
          ctx,
          ref,
          Array.from({ length: Math.min(10, messages - at - b * 10) }, (_, i) => ({
            id: String(i),
            body: `message ${at + b * 10 + i}`,
            ...(deliverAt === undefined ? {} : { deliverAt }),
          })),
          { senderId: 'bench' },
        ),
      ),
    );
  }
}

export function scheduleSpreadTable(spread: ScheduleSpread): string {
  return [
    `On-time delivery: ${spread.messages} messages due at the same second, ${spread.consumers} long-polling ` +
      `consumers (receive 10, delete), ${spread.shards} shards, queue core over DynamoDB Local`,
    `  delivered ${spread.delivered}, early ${spread.early}; lateness p50 ${spread.lateMs.p50} ms, ` +
      `p95 ${spread.lateMs.p95} ms, max ${spread.lateMs.max} ms (first after ${spread.lateMs.min} ms)`,
    `  all received ${spread.drainedMs} ms after the due time; the same consumers drain as many unscheduled ` +
      `messages in ${spread.baselineDrainMs} ms (DynamoDB Local's write rate bounds both)`,
  ].join('\n');
}

// `npx tsx bench/schedule-spread.ts [messages]`: this measurement alone, on its own DynamoDB Local.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const dynamo = await startDynamoDbLocal({ inMemory: true });
  try {
    const tables = tableNames('bench-schedule-');
    const setup = createDynamoClient({ DYNAMODB_ENDPOINT: dynamo.endpoint, AWS_REGION: 'us-east-1' });
    await ensureTables(setup, tables);
    setup.destroy();
    const spread = await measureScheduleSpread({
      dynamodbEndpoint: dynamo.endpoint,
      tables,
      messages: Number(process.argv[2] ?? 1_000),
    });
    console.log(scheduleSpreadTable(spread));
  } finally {
    await dynamo.stop();
  }
}
