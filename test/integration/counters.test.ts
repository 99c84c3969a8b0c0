import { beforeAll, describe, expect, test } from 'vitest';
import type { QueueContext } from '../../functions/queue/context';
import type { QueueRef } from '../../functions/queue/model';
import { changeVisibility, deleteMessage } from '../../functions/queue/operations/acknowledge';
import { runMoveTasks, startMoveTask } from '../../functions/queue/operations/move-tasks';
import { createQueue, describeQueue, purgeQueue } from '../../functions/queue/operations/queues';
import { receiveMessages } from '../../functions/queue/operations/receive';
import { sendMessage, sendMessageBatch } from '../../functions/queue/operations/send';
import { sweep } from '../../functions/queue/operations/sweep';
import { DynamoBase } from '../../functions/store/base';
import { applyCounterRecords, type CounterStreamRecord } from '../../functions/store/counter-apply';
import type { TableNames } from '../../functions/store/table-layout';
import { fifoContext, newFifoQueue } from '../fifo/fifo-fixture';
import { type Fixture, freshTables, queueContext, queueRef } from '../support/queue-fixture';

/**
 * Counts come from counters the messages table's stream keeps (store/counter-*.ts; locally, the
 * stream of DynamoDB Local is read before each count). These tests drive real operations on
 * DynamoDB Local with a hand-moved clock and compare the counts with what the queue holds.
 */
let tables: TableNames;
beforeAll(async () => {
  tables = await freshTables();
});

const sender = { senderId: 'tester' };
const counts = async (f: { ctx: QueueContext }, ref: QueueRef) => (await describeQueue(f.ctx, ref)).counts;

async function sendMany(f: Fixture, ref: QueueRef, n: number, delaySeconds = 0) {
  for (let i = 0; i < n; i += 10) {
    const entries = Array.from({ length: Math.min(10, n - i) }, (_, j) => ({
      id: `m${j}`,
      body: `message ${i + j}`,
      delaySeconds,
    }));
    await sendMessageBatch(f.ctx, ref, entries, sender);
  }
}

async function receiveAll(f: Fixture, ref: QueueRef, n: number, visibilityTimeoutSeconds = 30) {
  const received = [];
  for (let attempt = 0; received.length < n && attempt < 200; attempt++) {
    received.push(
      ...(await receiveMessages(f.ctx, ref, {
        maxMessages: Math.min(10, n - received.length),
        visibilityTimeoutSeconds,
      })),
    );
  }
  expect(received).toHaveLength(n);
  return received;
}

describe('counters', () => {
  test('sends, receives, visibility changes, deletes and lease expiry: counts follow each step', async () => {
    const f = queueContext(tables, { shards: 3 });
    const ref = queueRef('steps');
    await createQueue(f.ctx, { ref });
    await sendMany(f, ref, 20);
    await sendMany(f, ref, 5, 120);
    expect(await counts(f, ref)).toEqual({ visible: 20, inFlight: 0, delayed: 5 });

    const received = await receiveAll(f, ref, 8);
    expect(await counts(f, ref)).toEqual({ visible: 12, inFlight: 8, delayed: 5 });

    for (const message of received.slice(0, 3)) await deleteMessage(f.ctx, ref, message.receiptHandle);
    await changeVisibility(f.ctx, ref, received[3]!.receiptHandle, 0);
    await changeVisibility(f.ctx, ref, received[4]!.receiptHandle, 600);
    expect(await counts(f, ref)).toEqual({ visible: 13, inFlight: 4, delayed: 5 });

    // 31 s on: three leases of 30 s ran out (the 600-s one did not); nothing was written for that.
    f.clock.advance(31_000);
    expect(await counts(f, ref)).toEqual({ visible: 16, inFlight: 1, delayed: 5 });
    // 121 s on: the delayed messages are due.
    f.clock.advance(90_000);
    expect(await counts(f, ref)).toEqual({ visible: 21, inFlight: 1, delayed: 0 });
  });

  test('a purge empties the counts at once; messages sent after it are counted', async () => {
    const f = queueContext(tables);
    const ref = queueRef('purge');
    await createQueue(f.ctx, { ref });
    await sendMany(f, ref, 30);
    await receiveAll(f, ref, 5);
    f.clock.advance(1_000);
    expect((await purgeQueue(f.ctx, ref)).purged).toBe(30);
    expect(await counts(f, ref)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    f.clock.advance(1_000);
    await sendMany(f, ref, 4);
    expect(await counts(f, ref)).toEqual({ visible: 4, inFlight: 0, delayed: 0 });
    // The background removal of the purged messages changes no count.
    await sweep(f.ctx);
    await sweep(f.ctx);
    expect(await counts(f, ref)).toEqual({ visible: 4, inFlight: 0, delayed: 0 });
  });

  test('dead-lettering, redrive and expiry move the counts of both queues', async () => {
    const f = queueContext(tables);
    const dlq = queueRef('dlq');
    const source = queueRef('src');
    await createQueue(f.ctx, { ref: dlq });
    await createQueue(f.ctx, {
      ref: source,
      settings: {
        deadLetterQueue: dlq.name,
        maxReceiveCount: 1,
        visibilityTimeoutSeconds: 10,
        retentionSeconds: 600,
      },
    });
    await sendMany(f, source, 12);
    await receiveAll(f, source, 12, 10);
    f.clock.advance(11_000);
    await sweep(f.ctx);
    expect(await counts(f, source)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    expect(await counts(f, dlq)).toEqual({ visible: 12, inFlight: 0, delayed: 0 });

    const task = await startMoveTask(f.ctx, { source: dlq });
    for (let round = 0; round < 20; round++) {
      const [run] = await runMoveTasks(f.ctx);
      if (run?.status !== 'RUNNING') break;
    }
    expect(task).toBeDefined();
    expect(await counts(f, dlq)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    expect(await counts(f, source)).toEqual({ visible: 12, inFlight: 0, delayed: 0 });

    // Past the source's retention, the sweeper removes them: the counts follow.
    f.clock.advance(700_000);
    await sweep(f.ctx);
    expect(await counts(f, source)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  test('a count costs the same two reads at 10 messages as at 1,000', async () => {
    const f = queueContext(tables, { shards: 8 });
    const small = queueRef('small');
    const large = queueRef('large');
    await createQueue(f.ctx, { ref: small });
    await createQueue(f.ctx, { ref: large });
    await sendMany(f, small, 10);
    await sendMany(f, large, 1_000);
    await receiveAll(f, large, 30);
    const cost = async (ref: QueueRef) => {
      await counts(f, ref); // the local stream catch-up happens here, not in the measured count
      f.capacity.clear();
      await counts(f, ref);
      const reads = f.capacity.entries.filter((e) => e.operation === 'readCounters');
      return { calls: f.capacity.entries.length, reads: reads.length, units: f.capacity.total().table };
    };
    const atSmall = await cost(small);
    const atLarge = await cost(large);
    expect(atSmall.reads).toBe(2);
    expect(atLarge).toEqual(atSmall);
    expect(await counts(f, large)).toEqual({ visible: 970, inFlight: 30, delayed: 0 });
  });

  test('FIFO queues are counted the same way', async () => {
    const f = fifoContext(tables);
    const ref = await newFifoQueue(f.ctx, { contentBasedDeduplication: true });
    for (let i = 0; i < 6; i++) {
      await sendMessage(f.ctx, ref, { body: `m${i}`, groupId: `g${i % 3}` }, sender);
    }
    expect(await counts(f, ref)).toEqual({ visible: 6, inFlight: 0, delayed: 0 });
    const received = await receiveMessages(f.ctx, ref, { maxMessages: 10, visibilityTimeoutSeconds: 30 });
    expect(received.length).toBeGreaterThan(0);
    expect(await counts(f, ref)).toEqual({
      visible: 6 - received.length,
      inFlight: received.length,
      delayed: 0,
    });
    for (const message of received) await deleteMessage(f.ctx, ref, message.receiptHandle);
    expect(await counts(f, ref)).toEqual({ visible: 6 - received.length, inFlight: 0, delayed: 0 });
  });
});

describe('applying stream records', () => {
  test('a batch applied twice (a Lambda retry) counts once; a stale checkpoint applies nothing', async () => {
    const f = queueContext(tables);
    const ref = queueRef('retry');
    const { queue } = await createQueue(f.ctx, { ref });
    const base = new DynamoBase({ client: f.store.client, tables });
    const now = f.clock.now();
    const image = (id: string, extra: Record<string, { S?: string; N?: string }> = {}) => ({
      pk: { S: `m#${queue.id}#${id}` },
      sk: { S: 'm' },
      g: { S: `${queue.id}#0` },
      s: { N: String(now) },
      v: { N: String(now) },
      ...extra,
    });
    const records: CounterStreamRecord[] = [
      { eventID: 'e1', dynamodb: { NewImage: image('a') } },
      { eventID: 'e2', dynamodb: { NewImage: image('b') } },
      {
        eventID: 'e3',
        dynamodb: {
          OldImage: image('a'),
          NewImage: image('a', { v: { N: String(now + 60_000) }, rc: { N: '1' } }),
        },
      },
    ];
    await applyCounterRecords(base, records);
    await applyCounterRecords(base, records);
    expect(await counts(f, ref)).toEqual({ visible: 1, inFlight: 1, delayed: 0 });

    const key = { pk: { S: `sc#test-${queue.id}` }, sk: { S: 'c' } };
    const more: CounterStreamRecord[] = [{ eventID: 'e4', dynamodb: { NewImage: image('c') } }];
    expect((await applyCounterRecords(base, more, { key, upTo: '10' })).applied).toBe(true);
    // Another reader of the shard that did not see that checkpoint move: refused, nothing counted.
    const other: CounterStreamRecord[] = [{ eventID: 'e5', dynamodb: { NewImage: image('d') } }];
    expect((await applyCounterRecords(base, other, { key, upTo: '11' })).applied).toBe(false);
    expect((await applyCounterRecords(base, other, { key, after: '10', upTo: '11' })).applied).toBe(true);
    expect(await counts(f, ref)).toEqual({ visible: 3, inFlight: 1, delayed: 0 });
  });
});
