import { performance } from 'node:perf_hooks';
import { beforeAll, describe, expect, test } from 'vitest';
import { changeVisibility } from '../../functions/queue/operations/acknowledge';
import { createQueue } from '../../functions/queue/operations/queues';
import { receiveMessages } from '../../functions/queue/operations/receive';
import { sendMessage } from '../../functions/queue/operations/send';
import type { TableNames } from '../../functions/store/table-layout';
import { freshTables, queueContext, queueRef } from '../support/queue-fixture';

/**
 * Idle receivers (queue/shared/idle-poll.ts) on DynamoDB Local: what an idle long poll costs,
 * and that messages made visible during a wait are found: sent by another process (a separate
 * context: no shared in-process signal), due after a delay, or out of an expired lease.
 */
let tables: TableNames;
beforeAll(async () => {
  tables = await freshTables();
});

const sender = { senderId: 'tester' };
const operations = (entries: { operation: string }[]) => entries.map((e) => e.operation);

describe('an idle long poll', () => {
  test('costs at most 25 calls in 20 s, whatever the shard count (here 16 shards)', async () => {
    const receiver = queueContext(tables, { shards: 16 });
    const ref = queueRef('idle');
    await createQueue(receiver.ctx, { ref });
    // The first look at the queue reads every shard once and leaves an idle mark on the tick...
    receiver.capacity.clear();
    expect(await receiveMessages(receiver.ctx, ref)).toEqual([]);
    expect(operations(receiver.capacity.entries)).toEqual([
      'readArrivalTick',
      ...Array(16).fill('findVisible'),
      'markQueueIdle',
    ]);
    // ...which spares every other process's first look (here a fresh context)...
    const fresh = queueContext(tables, { shards: 16 });
    expect(await receiveMessages(fresh.ctx, ref)).toEqual([]);
    expect(operations(fresh.capacity.entries)).toEqual(['getQueue', 'readArrivalTick']);
    // ...later short polls on the empty queue read the tick only...
    receiver.capacity.clear();
    expect(await receiveMessages(receiver.ctx, ref)).toEqual([]);
    expect(operations(receiver.capacity.entries)).toEqual(['readArrivalTick']);
    // ...and a 20-s long poll reads it every 0.84 s: at most 24 calls (25 with a read of the
    // queue's settings, cached here), none a query of a shard.
    receiver.capacity.clear();
    expect(await receiveMessages(receiver.ctx, ref, { waitTimeSeconds: 20 })).toEqual([]);
    const calls = operations(receiver.capacity.entries);
    console.log(`idle 20-s long poll, 16 shards: ${calls.length} DynamoDB calls`);
    expect(calls.length).toBeLessThanOrEqual(24);
    expect(new Set(calls)).toEqual(new Set(['readArrivalTick']));
    // Each read is eventually consistent: 0.5 read unit.
    expect(receiver.capacity.total().table).toBeCloseTo(calls.length * 0.5);
  }, 40_000);

  test('a sending process bumps the tick at most once a second, nothing more per message', async () => {
    const { ctx, capacity } = queueContext(tables);
    const ref = queueRef('paced');
    await createQueue(ctx, { ref });
    capacity.clear();
    for (let i = 0; i < 10; i++) await sendMessage(ctx, ref, { body: `m${i}` }, sender);
    const bumps = operations(capacity.entries).filter((op) => op === 'bumpArrivalTick');
    // Ten sends well within a second: one bump (two if the loop straddles the pacing interval).
    expect(bumps.length).toBeGreaterThanOrEqual(1);
    expect(bumps.length).toBeLessThanOrEqual(2);
    expect(capacity.total((op) => op === 'bumpArrivalTick').table).toBe(bumps.length);
  });
});

describe('a waiting receiver finds what became visible during the wait', () => {
  test('a message sent by another process, within 1 s (p95 of 8 sends)', async () => {
    const receiver = queueContext(tables);
    // Another process (its own context: caches, signals), on the same clock as the receiver.
    const other = queueContext(tables, { clock: receiver.clock });
    const ref = queueRef('wake');
    await createQueue(receiver.ctx, { ref });
    const latencies: number[] = [];
    for (let i = 0; i < 8; i++) {
      const waiting = receiveMessages(receiver.ctx, ref, { waitTimeSeconds: 10 }).then((received) => ({
        received,
        at: performance.now(),
      }));
      // Sent once the receiver is idle again (past the 3-s hot window that follows a send), at
      // different moments of its 0.84-s cycle of tick reads.
      await new Promise((resolve) => setTimeout(resolve, 3_100 + i * 113));
      await sendMessage(other.ctx, ref, { body: `wake ${i}` }, sender);
      const sentAt = performance.now();
      const { received, at } = await waiting;
      expect(received.map((m) => m.body)).toEqual([`wake ${i}`]);
      latencies.push(at - sentAt);
    }
    latencies.sort((a, b) => a - b);
    const p95 = latencies[Math.ceil(latencies.length * 0.95) - 1]!;
    console.log(`cross-process wake-up latencies (ms): ${latencies.map((l) => Math.round(l)).join(', ')}`);
    expect(p95).toBeLessThan(1_000);
  }, 90_000);

  test('a second message sent within the sender’s pacing interval (no bump of its own)', async () => {
    const receiver = queueContext(tables);
    // Another process (its own context: caches, signals), on the same clock as the receiver.
    const other = queueContext(tables, { clock: receiver.clock });
    const ref = queueRef('paced-wake');
    await createQueue(receiver.ctx, { ref });
    expect(await receiveMessages(receiver.ctx, ref)).toEqual([]);
    await sendMessage(other.ctx, ref, { body: 'first' }, sender);
    const first = await receiveMessages(receiver.ctx, ref, { waitTimeSeconds: 5 });
    expect(first.map((m) => m.body)).toEqual(['first']);
    // The receiver is idle again; the next send comes within the sender's interval: no bump.
    const waiting = receiveMessages(receiver.ctx, ref, { waitTimeSeconds: 5 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    other.capacity.clear();
    await sendMessage(other.ctx, ref, { body: 'second' }, sender);
    expect(operations(other.capacity.entries)).toEqual(['putMessages']);
    const started = performance.now();
    expect((await waiting).map((m) => m.body)).toEqual(['second']);
    expect(performance.now() - started).toBeLessThan(1_500);
  }, 20_000);

  test('a delayed message as its delay ends (injected clock, no send during the wait)', async () => {
    const receiver = queueContext(tables);
    const other = queueContext(tables, { clock: receiver.clock });
    const ref = queueRef('delayed');
    await createQueue(receiver.ctx, { ref });
    await sendMessage(other.ctx, ref, { body: 'later', delaySeconds: 60 }, sender);
    expect(await receiveMessages(receiver.ctx, ref)).toEqual([]);
    const waiting = receiveMessages(receiver.ctx, ref, { waitTimeSeconds: 5 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    receiver.clock.advance(60_000);
    const started = performance.now();
    expect((await waiting).map((m) => m.body)).toEqual(['later']);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  test('a message whose lease ran out in another process (injected clock)', async () => {
    const receiver = queueContext(tables);
    const other = queueContext(tables, { clock: receiver.clock });
    const ref = queueRef('lease');
    await createQueue(receiver.ctx, { ref });
    await sendMessage(other.ctx, ref, { body: 'retry me' }, sender);
    const [taken] = await receiveMessages(other.ctx, ref, { visibilityTimeoutSeconds: 30 });
    expect(taken?.body).toBe('retry me');
    expect(await receiveMessages(receiver.ctx, ref)).toEqual([]);
    const waiting = receiveMessages(receiver.ctx, ref, { waitTimeSeconds: 5 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    receiver.clock.advance(30_000);
    const started = performance.now();
    expect((await waiting).map((m) => m.body)).toEqual(['retry me']);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  test('a lease cut short in another process (change visibility to 0)', async () => {
    const receiver = queueContext(tables);
    const other = queueContext(tables, { clock: receiver.clock });
    const ref = queueRef('released');
    await createQueue(receiver.ctx, { ref });
    await sendMessage(other.ctx, ref, { body: 'give back' }, sender);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const [taken] = await receiveMessages(other.ctx, ref, { visibilityTimeoutSeconds: 300 });
    expect(await receiveMessages(receiver.ctx, ref)).toEqual([]);
    const waiting = receiveMessages(receiver.ctx, ref, { waitTimeSeconds: 5 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await changeVisibility(other.ctx, ref, taken!.receiptHandle, 0);
    const started = performance.now();
    expect((await waiting).map((m) => m.body)).toEqual(['give back']);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
