import { beforeAll, describe, expect, test } from 'vitest';
import { ManualClock } from '../../functions/queue/clock';
import { deleteMessage } from '../../functions/queue/operations/acknowledge';
import { browseDeadLetters } from '../../functions/queue/operations/dead-letters';
import { describeQueueDepth } from '../../functions/queue/operations/depth';
import { runMoveTasks, startMoveTask } from '../../functions/queue/operations/move-tasks';
import { peekMessages } from '../../functions/queue/operations/peek';
import {
  createQueue,
  deleteQueue,
  describeQueue,
  getQueue,
  purgeQueue,
  updateQueue,
} from '../../functions/queue/operations/queues';
import { receiveMessages } from '../../functions/queue/operations/receive';
import { sendMessage, sendMessageBatch } from '../../functions/queue/operations/send';
import { sweep } from '../../functions/queue/operations/sweep';
import { createQueueContext } from '../../functions/queue/service';
import { priorityOf, readyShards } from '../../functions/queue/shared/priority';
import { DynamoInspectionStore } from '../../functions/store/inspection-store';
import type { TableNames } from '../../functions/store/table-layout';
import { fifoContext, newFifoQueue } from '../fifo/fifo-fixture';
import { dynamoClient, freshTables, queueContext, queueRef } from '../support/queue-fixture';

/**
 * Message priorities on DynamoDB Local with a hand-moved clock: delivery order, what a queue
 * without priorities pays, and every walk over a queue's ready index seeing prioritised messages.
 */
let tables: TableNames;
beforeAll(async () => {
  tables = await freshTables();
});
const sender = { senderId: 'tester' };

/** A context that can also peek, over the same tables and clock as a fixture. */
function withInspection(fixture: ReturnType<typeof queueContext>) {
  return createQueueContext({
    store: fixture.store,
    deadLetters: fixture.deadLetters,
    inspection: new DynamoInspectionStore({ client: dynamoClient(), tables }),
    clock: fixture.clock,
    receiptHandleSecret: 'test-secret-0123456789abcdef',
    defaultShardCount: 4,
    pollIntervalMs: 50,
  });
}

/** Receives until the queue answers empty; returns everything in the order received. */
async function drain(fixture: ReturnType<typeof queueContext>, ref: ReturnType<typeof queueRef>, max = 1) {
  const received = [];
  for (let i = 0; i < 500; i++) {
    const got = await receiveMessages(fixture.ctx, ref, { maxMessages: max, visibilityTimeoutSeconds: 600 });
    if (got.length === 0) break;
    received.push(...got);
  }
  return received;
}

describe('delivery order', () => {
  test.each([1, 3, 10])(
    'higher priorities are received first across 8 shards (%i per receive)',
    async (max) => {
      const fixture = queueContext(tables, { shards: 8 });
      const ref = queueRef('order');
      await createQueue(fixture.ctx, { ref });
      // Sent interleaved, lowest first, so that the order received cannot come from send order.
      const priorities = [0, 3, 9, 7, 0, 5, 3, 9];
      for (let round = 0; round < 3; round++) {
        await sendMessageBatch(
          fixture.ctx,
          ref,
          priorities.map((priority, i) => ({ id: `m${i}`, body: `p${priority}`, priority })),
          sender,
        );
        fixture.clock.advance(1_000);
      }
      const received = await drain(fixture, ref, max);
      expect(received).toHaveLength(24);
      const order = received.map(priorityOf);
      expect(order).toEqual([...order].sort((a, b) => b - a));
      expect(received.map((m) => m.body)).toEqual(order.map((p) => `p${p}`));
    },
  );

  test('within a priority, each receive takes one of the oldest few (the window a receive reads)', async () => {
    const fixture = queueContext(tables, { shards: 1 });
    const ref = queueRef('oldest');
    await createQueue(fixture.ctx, { ref });
    const ranks = new Map<string, number>();
    for (let i = 0; i < 30; i++) {
      const sent = await sendMessage(fixture.ctx, ref, { body: `m${i}`, priority: 4 }, sender);
      ranks.set(sent.messageId, i);
      fixture.clock.advance(10);
    }
    // Older messages of a lower priority wait behind them.
    await sendMessage(fixture.ctx, ref, { body: 'low' }, sender);
    const remaining = [...ranks.values()];
    for (let i = 0; i < 30; i++) {
      const [m] = await receiveMessages(fixture.ctx, ref, { visibilityTimeoutSeconds: 600 });
      const rank = ranks.get(m!.id)!;
      // A receive of 1 reads the 5 oldest entries of the shard and takes one of them at random.
      expect(remaining.indexOf(rank)).toBeLessThan(5);
      remaining.splice(remaining.indexOf(rank), 1);
    }
    const [last] = await receiveMessages(fixture.ctx, ref);
    expect(last?.body).toBe('low');
  });

  test('a message that becomes visible at a higher priority overtakes waiting lower ones', async () => {
    const fixture = queueContext(tables, { shards: 2 });
    const ref = queueRef('delayed');
    await createQueue(fixture.ctx, { ref });
    for (let i = 0; i < 4; i++) await sendMessage(fixture.ctx, ref, { body: `low${i}`, priority: 1 }, sender);
    await sendMessage(fixture.ctx, ref, { body: 'urgent', priority: 8, delaySeconds: 30 }, sender);
    const [first] = await receiveMessages(fixture.ctx, ref);
    expect(first?.body).toMatch(/^low/);
    fixture.clock.advance(30_000);
    const [next] = await receiveMessages(fixture.ctx, ref);
    expect(next?.body).toBe('urgent');
  });
});

describe('what priorities cost', () => {
  test('a queue that never used a priority: a receive queries exactly its shards, as before', async () => {
    const fixture = queueContext(tables, { shards: 4 });
    const ref = queueRef('plain');
    await createQueue(fixture.ctx, { ref });
    await sendMessage(fixture.ctx, ref, { body: 'zero', priority: 0 }, sender);
    await sendMessage(fixture.ctx, ref, { body: 'none' }, sender);
    expect((await getQueue(fixture.ctx, ref)).priorities).toBeUndefined();
    await drain(fixture, ref);
    fixture.capacity.clear();
    expect(await receiveMessages(fixture.ctx, ref)).toEqual([]);
    // An empty receive visits every shard once: one index query each, nothing else.
    expect(fixture.capacity.entries.map((e) => e.operation)).toEqual(Array(4).fill('findVisible'));
    fixture.capacity.clear();
    await sendMessage(fixture.ctx, ref, { body: 'again' }, sender);
    expect(fixture.capacity.entries.map((e) => e.operation)).toEqual(['putMessages']);
  });

  test('a queue that used priorities: one write the first time a priority is used, then none', async () => {
    const fixture = queueContext(tables, { shards: 4 });
    const ref = queueRef('used');
    await createQueue(fixture.ctx, { ref });
    await receiveMessages(fixture.ctx, ref);
    fixture.capacity.clear();
    await sendMessage(fixture.ctx, ref, { body: 'a', priority: 6 }, sender);
    expect(fixture.capacity.entries.map((e) => e.operation)).toEqual(['addPriorities', 'putMessages']);
    expect(fixture.capacity.total((op) => op === 'addPriorities')).toEqual({ table: 1, index: 0 });
    fixture.capacity.clear();
    await sendMessage(fixture.ctx, ref, { body: 'b', priority: 6 }, sender);
    expect(fixture.capacity.entries.map((e) => e.operation)).toEqual(['putMessages']);
    // Another process (a cold cache) reads the priority from the queue record.
    const other = queueContext(tables, { shards: 4, clock: fixture.clock });
    expect((await getQueue(other.ctx, ref)).priorities).toEqual([6]);
    await drain(other, ref);
    other.capacity.clear();
    expect(await receiveMessages(other.ctx, ref)).toEqual([]);
    // Empty: priority 6's four partitions, then priority 0's.
    expect(other.capacity.entries.map((e) => e.operation)).toEqual(Array(8).fill('findVisible'));
  });

  test('a settings update made from an older read keeps a priority added meanwhile', async () => {
    const fixture = queueContext(tables);
    const ref = queueRef('keep');
    await createQueue(fixture.ctx, { ref });
    const stale = await getQueue(fixture.ctx, ref);
    await sendMessage(fixture.ctx, ref, { body: 'p2', priority: 2 }, sender);
    expect(await fixture.store.updateQueue({ ...stale, delaySeconds: 5 })).toBe(true);
    const after = (await describeQueue(fixture.ctx, ref)).queue;
    expect(after).toMatchObject({ delaySeconds: 5, priorities: [2] });
    await updateQueue(fixture.ctx, { ref, settings: { delaySeconds: 0 } });
    expect((await describeQueue(fixture.ctx, ref)).queue.priorities).toEqual([2]);
  });
});

describe('every walk over the ready index sees prioritised messages', () => {
  test('counts, depth, peek and delete see them', async () => {
    const fixture = queueContext(tables, { shards: 2 });
    const ctx = withInspection(fixture);
    const ref = queueRef('walks');
    await createQueue(ctx, { ref });
    await sendMessage(ctx, ref, { body: 'p0' }, sender);
    fixture.clock.advance(1_000);
    await sendMessage(ctx, ref, { body: 'p9', priority: 9 }, sender);
    await sendMessage(ctx, ref, { body: 'p2 delayed', priority: 2, delaySeconds: 60 }, sender);
    await sendMessage(ctx, ref, { body: 'p2', priority: 2 }, sender);
    expect((await describeQueue(ctx, ref)).counts).toEqual({ visible: 3, inFlight: 0, delayed: 1 });
    const depth = (await describeQueueDepth(ctx, ref)).depth;
    expect(depth).toMatchObject({ visible: 3, delayed: 1, oldestMessageAgeSeconds: 1 });
    const peeked = await peekMessages(ctx, ref, { limit: 10 });
    expect(peeked.map((p) => [p.message.body, priorityOf(p.message), p.state])).toEqual([
      ['p9', 9, 'visible'],
      ['p2', 2, 'visible'],
      ['p2 delayed', 2, 'delayed'],
      ['p0', 0, 'visible'],
    ]);
    const [first] = await receiveMessages(ctx, ref);
    expect(first?.body).toBe('p9');
    expect((await describeQueue(ctx, ref)).counts).toEqual({ visible: 2, inFlight: 1, delayed: 1 });
    await deleteMessage(ctx, ref, first!.receiptHandle);
    expect((await describeQueue(ctx, ref)).counts).toEqual({ visible: 2, inFlight: 0, delayed: 1 });
  });

  test('purge cuts them off at once and the background removal deletes them', async () => {
    const clock = new ManualClock(Date.now());
    const fixture = queueContext(tables, { shards: 2, clock });
    const ref = queueRef('purge');
    await createQueue(fixture.ctx, { ref });
    await sendMessageBatch(
      fixture.ctx,
      ref,
      Array.from({ length: 10 }, (_, i) => ({ id: `m${i}`, body: `m${i}`, priority: i % 4 })),
      sender,
    );
    expect(await purgeQueue(fixture.ctx, ref)).toEqual({ purged: 10, removal: 'background' });
    expect((await describeQueue(fixture.ctx, ref)).counts).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    expect(await receiveMessages(fixture.ctx, ref)).toEqual([]);
    clock.advance(1_000);
    await sendMessage(fixture.ctx, ref, { body: 'after', priority: 3 }, sender);
    let report = await sweep(fixture.ctx, { budgetMs: 2_000 });
    for (let i = 0; i < 50 && !report.complete; i++) report = await sweep(fixture.ctx, { budgetMs: 2_000 });
    const queue = (await describeQueue(fixture.ctx, ref)).queue;
    expect(queue.purgePending).toBeUndefined();
    // Nothing of the purge is left in any partition: only the message sent after it.
    expect(await fixture.store.countMessages(queue.id, readyShards(queue), clock.now())).toEqual({
      visible: 1,
      inFlight: 0,
      delayed: 0,
    });
    expect((await receiveMessages(fixture.ctx, ref)).map((m) => m.body)).toEqual(['after']);
  });

  test('deleting a queue removes its prioritised messages', async () => {
    const fixture = queueContext(tables, { shards: 2 });
    const ref = queueRef('gone');
    await createQueue(fixture.ctx, { ref });
    for (const priority of [0, 5, 9]) await sendMessage(fixture.ctx, ref, { body: 'x', priority }, sender);
    const queue = await getQueue(fixture.ctx, ref);
    await deleteQueue(fixture.ctx, ref);
    expect(await fixture.store.countMessages(queue.id, readyShards(queue), fixture.clock.now())).toEqual({
      visible: 0,
      inFlight: 0,
      delayed: 0,
    });
  });

  test('the sweeper removes expired prioritised messages', async () => {
    const fixture = queueContext(tables, { shards: 2 });
    const ref = queueRef('expire');
    await createQueue(fixture.ctx, { ref, settings: { retentionSeconds: 60 } });
    for (const priority of [0, 4, 8]) await sendMessage(fixture.ctx, ref, { body: 'old', priority }, sender);
    fixture.clock.advance(61_000);
    let report = await sweep(fixture.ctx, { budgetMs: 5_000 });
    let expired = report.expired;
    for (let i = 0; i < 20 && !report.complete; i++) {
      report = await sweep(fixture.ctx, { budgetMs: 5_000 });
      expired += report.expired;
    }
    const queue = await getQueue(fixture.ctx, ref);
    expect(expired).toBeGreaterThanOrEqual(3);
    expect(await fixture.store.countMessages(queue.id, readyShards(queue), fixture.clock.now())).toEqual({
      visible: 0,
      inFlight: 0,
      delayed: 0,
    });
  });

  test('dead-lettering (by receive and by the sweeper) and redrive keep the priority', async () => {
    const fixture = queueContext(tables, { shards: 2 });
    const dlq = queueRef('pdlq');
    const source = queueRef('psrc');
    await createQueue(fixture.ctx, { ref: dlq });
    await createQueue(fixture.ctx, {
      ref: source,
      settings: { deadLetterQueue: dlq.name, maxReceiveCount: 1, visibilityTimeoutSeconds: 10 },
    });
    await sendMessage(fixture.ctx, source, { body: 'by receive', priority: 7 }, sender);
    await sendMessage(fixture.ctx, source, { body: 'by sweep', priority: 3 }, sender);
    await sendMessage(fixture.ctx, source, { body: 'plain' }, sender);
    expect(await drain(fixture, source, 10)).toHaveLength(3);
    fixture.clock.advance(700_000);
    // The next receive meets an exhausted message and moves it; the sweeper moves the rest.
    expect(await receiveMessages(fixture.ctx, source, { maxMessages: 1 })).toEqual([]);
    let report = await sweep(fixture.ctx, { budgetMs: 5_000 });
    for (let i = 0; i < 20 && !report.complete; i++) report = await sweep(fixture.ctx, { budgetMs: 5_000 });
    expect((await describeQueue(fixture.ctx, dlq)).counts.visible).toBe(3);
    expect((await describeQueue(fixture.ctx, source)).counts).toEqual({
      visible: 0,
      inFlight: 0,
      delayed: 0,
    });
    const browsed = await browseDeadLetters(fixture.ctx, dlq, {});
    expect(browsed.messages.map((m) => [m.body, priorityOf(m)]).sort()).toEqual([
      ['by receive', 7],
      ['by sweep', 3],
      ['plain', 0],
    ]);
    expect((await getQueue(fixture.ctx, dlq)).priorities).toEqual([3, 7]);

    const task = await startMoveTask(fixture.ctx, { source: dlq });
    let done = task;
    for (let i = 0; i < 20 && done.status === 'RUNNING'; i++) {
      done =
        (await runMoveTasks(fixture.ctx, { budgetMs: 5_000 })).find((t) => t.taskId === task.taskId) ?? done;
    }
    expect(done).toMatchObject({ status: 'COMPLETED', moved: 3 });
    // Back in the source queue, highest priority first again.
    await updateQueue(fixture.ctx, { ref: source, removeRedrivePolicy: true });
    const back = await drain(fixture, source);
    expect(back.map((m) => [m.body, priorityOf(m)])).toEqual([
      ['by receive', 7],
      ['by sweep', 3],
      ['plain', 0],
    ]);
  });
});

describe('bad input', () => {
  test('priority outside 0..9, or not an integer, is refused and nothing is stored', async () => {
    const fixture = queueContext(tables);
    const ref = queueRef('bad');
    await createQueue(fixture.ctx, { ref });
    for (const priority of [-1, 10, 2.5, '3', null]) {
      const error = await sendMessage(
        fixture.ctx,
        ref,
        { body: 'x', priority: priority as number },
        sender,
      ).catch((e) => e);
      expect(error).toMatchObject({ code: 'InvalidParameterValue' });
      expect(error.message).toContain('priority must be an integer from 0 to 9');
    }
    const batch = await sendMessageBatch(
      fixture.ctx,
      ref,
      [
        { id: 'ok', body: 'fine', priority: 9 },
        { id: 'bad', body: 'x', priority: 11 },
      ],
      sender,
    );
    expect(batch.successful.map((s) => s.id)).toEqual(['ok']);
    expect(batch.failed).toMatchObject([{ id: 'bad', code: 'InvalidParameterValue', senderFault: true }]);
    expect(batch.failed[0]?.message).toContain('messages[1].priority must be an integer from 0 to 9');
    expect((await describeQueue(fixture.ctx, ref)).counts.visible).toBe(1);
  });

  test('a FIFO queue refuses a priority (order within a group is its promise); 0 is accepted', async () => {
    const { ctx } = fifoContext(tables);
    const ref = await newFifoQueue(ctx, { contentBasedDeduplication: true });
    const error = await sendMessage(ctx, ref, { body: 'x', groupId: 'g', priority: 5 }, sender).catch(
      (e) => e,
    );
    expect(error).toMatchObject({ code: 'InvalidParameterValue' });
    expect(error.message).toContain('priority must be absent on a FIFO queue');
    await sendMessage(ctx, ref, { body: 'y', groupId: 'g', priority: 0 }, sender);
    expect((await describeQueue(ctx, ref)).counts.visible).toBe(1);
    expect((await getQueue(ctx, ref)).priorities).toBeUndefined();
  });
});
