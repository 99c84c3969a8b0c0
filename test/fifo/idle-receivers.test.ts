import { performance } from 'node:perf_hooks';
import { beforeAll, describe, expect, test } from 'vitest';
import { changeVisibility, deleteMessage } from '../../functions/queue/operations/acknowledge';
import { receiveMessages } from '../../functions/queue/operations/receive';
import { sendMessage } from '../../functions/queue/operations/send';
import type { TableNames } from '../../functions/store/table-layout';
import { freshTables } from '../support/queue-fixture';
import { fifoContext, newFifoQueue, sender } from './fifo-fixture';

/**
 * Idle receivers of FIFO queues (queue/shared/idle-poll.ts) on DynamoDB Local: what an idle long
 * poll costs, and that a group becoming available during a wait is found by a receiver in another
 * process (a separate context: no shared in-process signal): a message sent, a group handed on by a
 * delete or a visibility change, a lease running out, a scheduled message falling due.
 */
let tables: TableNames;
beforeAll(async () => {
  tables = await freshTables();
});

type Ctx = ReturnType<typeof fifoContext>['ctx'];
const operations = (entries: { operation: string }[]) => entries.map((e) => e.operation);
const send = (ctx: Ctx, ref: Parameters<typeof sendMessage>[1], body: string, groupId: string) =>
  sendMessage(ctx, ref, { body, groupId, deduplicationId: `${groupId}-${body}` }, sender);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Two processes on one clock: `other` sends and acknowledges, `receiver` waits. */
function twoProcesses(shards?: number) {
  const receiver = fifoContext(tables, shards === undefined ? {} : { shards });
  const other = fifoContext(tables, { clock: receiver.clock });
  return { receiver, other };
}

/** Starts a long poll; resolves with what it got and when. */
function waitFor(ctx: Ctx, ref: Parameters<typeof receiveMessages>[1], waitTimeSeconds = 5) {
  return receiveMessages(ctx, ref, { waitTimeSeconds, maxMessages: 10 }).then((received) => ({
    bodies: received.map((m) => m.body),
    at: performance.now(),
  }));
}

describe('an idle FIFO long poll', () => {
  test('costs at most 25 calls in 20 s at 16 shards; a short poll on the empty queue costs 1 read', async () => {
    const { ctx, capacity } = fifoContext(tables, { shards: 16 });
    const ref = await newFifoQueue(ctx);
    // The first look at the queue reads every shard once and leaves an idle mark on the tick...
    capacity.clear();
    expect(await receiveMessages(ctx, ref)).toEqual([]);
    expect(operations(capacity.entries)).toEqual([
      'readArrivalTick',
      ...Array(16).fill('fifoFindGroups'),
      'markQueueIdle',
    ]);
    // ...a later short poll on the empty queue reads the tick only...
    capacity.clear();
    expect(await receiveMessages(ctx, ref)).toEqual([]);
    expect(operations(capacity.entries)).toEqual(['readArrivalTick']);
    expect(capacity.total().table).toBeCloseTo(0.5);
    // ...and a 20-s long poll reads it every 0.84 s, no shard queried: at most 24 calls.
    capacity.clear();
    expect(await receiveMessages(ctx, ref, { waitTimeSeconds: 20 })).toEqual([]);
    const calls = operations(capacity.entries);
    console.log(`idle 20-s FIFO long poll, 16 shards: ${calls.length} DynamoDB calls`);
    expect(calls.length).toBeLessThanOrEqual(24);
    expect(new Set(calls)).toEqual(new Set(['readArrivalTick']));
    // Another process's first 20-s poll of the queue: the mark spares its look at the shards, and
    // with the read of the queue's settings it makes at most 25 calls.
    const fresh = fifoContext(tables, { shards: 16 });
    expect(await receiveMessages(fresh.ctx, ref, { waitTimeSeconds: 20 })).toEqual([]);
    const freshCalls = operations(fresh.capacity.entries);
    console.log(
      `a fresh process's first idle 20-s FIFO long poll, 16 shards: ${freshCalls.length} DynamoDB calls`,
    );
    expect(freshCalls.length).toBeLessThanOrEqual(25);
    expect(new Set(freshCalls)).toEqual(new Set(['getQueue', 'readArrivalTick']));
  }, 60_000);
});

describe('idle marks: a first look shared', () => {
  test('a send after the mark makes a fresh process look for itself', async () => {
    const { receiver, other } = twoProcesses();
    const ref = await newFifoQueue(receiver.ctx);
    expect(await receiveMessages(receiver.ctx, ref)).toEqual([]);
    expect(operations(receiver.capacity.entries)).toContain('markQueueIdle');
    await send(other.ctx, ref, 'after-the-mark', 'g');
    const fresh = fifoContext(tables, { clock: receiver.clock });
    expect((await receiveMessages(fresh.ctx, ref)).map((m) => m.body)).toEqual(['after-the-mark']);
  });

  test('a fresh process that took the mark as its look still finds a lease running out', async () => {
    const { receiver, other } = twoProcesses();
    const ref = await newFifoQueue(receiver.ctx, { visibilityTimeoutSeconds: 30 });
    await send(other.ctx, ref, 'leased', 'g');
    const [taken] = await receiveMessages(other.ctx, ref);
    expect(taken?.body).toBe('leased');
    // Past the hot window of the send: the look finds the group leased and marks the queue idle
    // until the lease's end.
    receiver.clock.advance(5_000);
    expect(await receiveMessages(receiver.ctx, ref)).toEqual([]);
    expect(operations(receiver.capacity.entries)).toContain('markQueueIdle');
    const fresh = fifoContext(tables, { clock: receiver.clock });
    expect(await receiveMessages(fresh.ctx, ref)).toEqual([]);
    expect(operations(fresh.capacity.entries)).toEqual(['getQueue', 'readArrivalTick']);
    receiver.clock.advance(25_000);
    expect((await receiveMessages(fresh.ctx, ref)).map((m) => m.body)).toEqual(['leased']);
  });

  test('no mark from a look soon after a send: paced sends may follow unannounced', async () => {
    const { receiver, other } = twoProcesses();
    const ref = await newFifoQueue(receiver.ctx);
    await send(other.ctx, ref, 'first', 'a');
    expect((await receiveMessages(receiver.ctx, ref)).map((m) => m.body)).toEqual(['first']);
    receiver.capacity.clear();
    expect(await receiveMessages(receiver.ctx, ref)).toEqual([]);
    expect(operations(receiver.capacity.entries)).not.toContain('markQueueIdle');
    // Within the sender's pacing interval: stored, no bump.
    other.capacity.clear();
    await send(other.ctx, ref, 'second', 'b');
    expect(operations(other.capacity.entries)).not.toContain('bumpArrivalTick');
    const fresh = fifoContext(tables, { clock: receiver.clock });
    expect((await receiveMessages(fresh.ctx, ref)).map((m) => m.body)).toEqual(['second']);
  });
});

describe('a waiting FIFO receiver finds what became available during the wait', () => {
  test('a message sent by another process, within 1 s (p95 of 6 sends)', async () => {
    const { receiver, other } = twoProcesses(16);
    const ref = await newFifoQueue(receiver.ctx);
    const latencies: number[] = [];
    for (let i = 0; i < 6; i++) {
      const waiting = waitFor(receiver.ctx, ref, 10);
      // Sent once the receiver is idle again (past the 3-s hot window that follows a send), at
      // different moments of its 0.84-s cycle of tick reads.
      await sleep(3_100 + i * 131);
      await send(other.ctx, ref, `wake-${i}`, `g${i}`);
      const sentAt = performance.now();
      const { bodies, at } = await waiting;
      expect(bodies).toEqual([`wake-${i}`]);
      latencies.push(at - sentAt);
    }
    latencies.sort((a, b) => a - b);
    const p95 = latencies[Math.ceil(latencies.length * 0.95) - 1]!;
    console.log(
      `FIFO cross-process wake-up latencies (ms): ${latencies.map((l) => Math.round(l)).join(', ')}`,
    );
    expect(p95).toBeLessThan(1_000);
  }, 90_000);

  test('the rest of a group whose head another process deleted', async () => {
    const { receiver, other } = twoProcesses();
    const ref = await newFifoQueue(receiver.ctx, { visibilityTimeoutSeconds: 300 });
    await send(other.ctx, ref, 'head', 'g');
    await send(other.ctx, ref, 'next', 'g');
    await sleep(1_000);
    const [head] = await receiveMessages(other.ctx, ref, { maxMessages: 1 });
    expect(head?.body).toBe('head');
    // The group is leased for 5 minutes: the receiver sees nothing and waits.
    expect(await receiveMessages(receiver.ctx, ref)).toEqual([]);
    const waiting = waitFor(receiver.ctx, ref);
    await sleep(3_100);
    await deleteMessage(other.ctx, ref, head!.receiptHandle);
    const deletedAt = performance.now();
    const { bodies, at } = await waiting;
    expect(bodies).toEqual(['next']);
    expect(at - deletedAt).toBeLessThan(1_000);
  }, 20_000);

  test('a group another process handed back (change visibility to 0)', async () => {
    const { receiver, other } = twoProcesses();
    const ref = await newFifoQueue(receiver.ctx, { visibilityTimeoutSeconds: 300 });
    await send(other.ctx, ref, 'one', 'g');
    await send(other.ctx, ref, 'two', 'g');
    await sleep(1_000);
    const taken = await receiveMessages(other.ctx, ref, { maxMessages: 1 });
    expect(taken.map((m) => m.body)).toEqual(['one']);
    expect(await receiveMessages(receiver.ctx, ref)).toEqual([]);
    const waiting = waitFor(receiver.ctx, ref);
    await sleep(3_100);
    await changeVisibility(other.ctx, ref, taken[0]!.receiptHandle, 0);
    const releasedAt = performance.now();
    const { bodies, at } = await waiting;
    expect(bodies).toEqual(['one', 'two']);
    expect(at - releasedAt).toBeLessThan(1_000);
  }, 20_000);

  test('a group whose lease ran out in another process (injected clock)', async () => {
    const { receiver, other } = twoProcesses();
    const ref = await newFifoQueue(receiver.ctx, { visibilityTimeoutSeconds: 30 });
    await send(other.ctx, ref, 'retry-me', 'g');
    const [taken] = await receiveMessages(other.ctx, ref);
    expect(taken?.body).toBe('retry-me');
    expect(await receiveMessages(receiver.ctx, ref)).toEqual([]);
    const waiting = waitFor(receiver.ctx, ref);
    await sleep(3_100);
    receiver.clock.advance(30_000);
    const advancedAt = performance.now();
    const { bodies, at } = await waiting;
    expect(bodies).toEqual(['retry-me']);
    expect(at - advancedAt).toBeLessThan(1_000);
  }, 20_000);

  test('a scheduled message as it falls due (injected clock, no send during the wait)', async () => {
    const { receiver, other } = twoProcesses();
    const ref = await newFifoQueue(receiver.ctx);
    const deliverAt = new Date(receiver.clock.now() + 120_000).toISOString();
    await sendMessage(
      other.ctx,
      ref,
      { body: 'later', groupId: 'g', deduplicationId: 'later', deliverAt },
      sender,
    );
    // The receiver's cached queue record predates the first scheduled send; once it is
    // refreshed (its cache keeps it 2 s), a receive looks at the schedule too, though nothing moved since.
    await sleep(3_100);
    receiver.clock.advance(4_000);
    receiver.capacity.clear();
    expect(await receiveMessages(receiver.ctx, ref)).toEqual([]);
    expect(operations(receiver.capacity.entries)).toContain('fifoFindDue');
    const waiting = waitFor(receiver.ctx, ref);
    // Idle: the receiver reads the tick only, knowing when the scheduled message is due.
    receiver.capacity.clear();
    await sleep(1_000);
    expect(new Set(operations(receiver.capacity.entries))).toEqual(new Set(['readArrivalTick']));
    receiver.clock.advance(120_000);
    const dueAt = performance.now();
    const { bodies, at } = await waiting;
    expect(bodies).toEqual(['later']);
    expect(at - dueAt).toBeLessThan(1_000);
  }, 20_000);
});
