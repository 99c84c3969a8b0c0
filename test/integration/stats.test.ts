import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, test } from 'vitest';
import { ManualClock } from '../../functions/queue/clock';
import { deleteMessage, deleteMessageBatch } from '../../functions/queue/operations/acknowledge';
import { runMoveTasks, startMoveTask } from '../../functions/queue/operations/move-tasks';
import { createQueue } from '../../functions/queue/operations/queues';
import { receiveMessages } from '../../functions/queue/operations/receive';
import { sendMessage, sendMessageBatch } from '../../functions/queue/operations/send';
import { readStats } from '../../functions/queue/operations/stats';
import { sweep } from '../../functions/queue/operations/sweep';
import type { StatsStore } from '../../functions/queue/ports/stats-store';
import { createQueueContext } from '../../functions/queue/service';
import { DynamoDeadLetterStore } from '../../functions/store/dead-letter-store';
import { DynamoFifoStore } from '../../functions/store/fifo-store';
import { DynamoInspectionStore } from '../../functions/store/inspection-store';
import { DynamoQueueStore } from '../../functions/store/queue-store';
import { DynamoStatsStore } from '../../functions/store/stats-store';
import type { TableNames } from '../../functions/store/table-layout';
import { capacityLog, dynamoClient, freshTables, queueRef, testSecret } from '../support/queue-fixture';

/**
 * Per-minute statistics on DynamoDB Local: counted in memory, written with one ADD per queue and
 * minute when a flush is due, read back one entry per minute; depth sampled by the sweeper.
 */
let tables: TableNames;
beforeAll(async () => {
  tables = await freshTables();
});

const minute = 60_000;
/** A clock at 5 s past a minute, so a test knows which minute each event falls in. */
const clockAtMinute = () => new ManualClock(Math.floor(Date.now() / minute) * minute - 30 * minute + 5_000);

function statsContext(options: { clock?: ManualClock; stats?: StatsStore; warnings?: unknown[] } = {}) {
  const clock = options.clock ?? clockAtMinute();
  const capacity = capacityLog();
  const storeOptions = { client: dynamoClient(), tables, onConsumed: capacity.record };
  const statsStore = new DynamoStatsStore(storeOptions);
  const ctx = createQueueContext({
    store: new DynamoQueueStore(storeOptions),
    deadLetters: new DynamoDeadLetterStore(storeOptions),
    fifo: new DynamoFifoStore(storeOptions),
    stats: options.stats ?? statsStore,
    inspection: new DynamoInspectionStore(storeOptions),
    clock,
    receiptHandleSecret: testSecret,
    defaultShardCount: 2,
    pollIntervalMs: 50,
    warn: (event) => options.warnings?.push(event),
  });
  return { ctx, clock, capacity, statsStore };
}

const sender = { senderId: 'test' };

describe('counters', () => {
  test('are kept in memory, written once per queue when a flush is due, and read back per minute', async () => {
    const { ctx, clock, capacity } = statsContext();
    const ref = queueRef('stats');
    const queue = (await createQueue(ctx, { ref })).queue;
    const start = clock.now() - 5_000;

    await sendMessage(ctx, ref, { body: 'a' }, sender);
    await sendMessageBatch(
      ctx,
      ref,
      [
        { id: '1', body: 'b' },
        { id: '2', body: 'c' },
      ],
      sender,
    );
    const received = await receiveMessages(ctx, ref, { maxMessages: 10 });
    expect(received).toHaveLength(3);
    await deleteMessage(ctx, ref, received[0]!.receiptHandle);
    // Nothing written yet: within 10 s of the last flush, in the same minute.
    expect(capacity.entries.filter((e) => e.operation === 'addStatsCounts')).toHaveLength(0);
    expect(ctx.stats.pendingCounts()).toEqual([
      { queueId: queue.id, minute: start, counts: { sent: 3, received: 3, deleted: 1 } },
    ]);

    // 10 s later, the next request finds a flush due: one write for the queue's minute.
    clock.advance(10_000);
    await deleteMessageBatch(ctx, ref, [{ id: 'x', receiptHandle: received[1]!.receiptHandle }]);
    expect(capacity.entries.filter((e) => e.operation === 'addStatsCounts')).toHaveLength(1);
    // One small item: one write unit for the 6 sends, receives and deletes of these 10 s.
    expect(capacity.total((op) => op === 'addStatsCounts')).toEqual({ table: 1, index: 0 });
    expect(ctx.stats.pendingCounts()).toEqual([]);

    // Into the next minute: the minute that ended is written with the next request.
    clock.advance(minute);
    await sendMessage(ctx, ref, { body: 'd' }, sender);
    expect(capacity.entries.filter((e) => e.operation === 'addStatsCounts')).toHaveLength(2);

    const stats = await readStats(ctx, ref, { minutes: 3 });
    expect(stats).toEqual([
      { minute: start - minute, sent: 0, received: 0, deleted: 0, deadLettered: 0, redriven: 0 },
      { minute: start, sent: 3, received: 3, deleted: 2, deadLettered: 0, redriven: 0 },
      { minute: start + minute, sent: 1, received: 0, deleted: 0, deadLettered: 0, redriven: 0 },
    ]);
  });

  test('from several processes add up in the same minute', async () => {
    const clock = clockAtMinute();
    const one = statsContext({ clock });
    const two = statsContext({ clock });
    const ref = queueRef('stats-many');
    await createQueue(one.ctx, { ref });
    await sendMessage(one.ctx, ref, { body: 'a' }, sender);
    await sendMessage(two.ctx, ref, { body: 'b' }, sender);
    await sendMessage(two.ctx, ref, { body: 'c' }, sender);
    await Promise.all([one.ctx.stats.flush(), two.ctx.stats.flush()]);
    const [only] = await readStats(one.ctx, ref, { minutes: 1 });
    expect(only!.sent).toBe(3);
  });

  test('a failed flush keeps the counts for the next one, and never fails the request', async () => {
    const warnings: Record<string, unknown>[] = [];
    const real = new DynamoStatsStore({ client: dynamoClient(), tables });
    let failures = 2;
    const flaky: StatsStore = {
      addCounts: async (...args) => {
        if (failures-- > 0) throw Object.assign(new Error('throttled'), { code: 'RequestThrottled' });
        return real.addCounts(...args);
      },
      setDepth: (...args) => real.setDepth(...args),
      readMinutes: (...args) => real.readMinutes(...args),
    };
    const { ctx, clock } = statsContext({ stats: flaky, warnings });
    const ref = queueRef('stats-flaky');
    await createQueue(ctx, { ref });
    clock.advance(10_000);
    // A flush is due and fails: the send still succeeds, the count stays in memory.
    await sendMessage(ctx, ref, { body: 'secret body' }, sender);
    expect(ctx.stats.pendingCounts().map((b) => b.counts)).toEqual([{ sent: 1 }]);
    expect(warnings).toEqual([
      {
        message: 'queue statistics not written; kept for the next flush',
        failedWrites: 1,
        droppedMinutes: 0,
        error: 'RequestThrottled',
      },
    ]);
    expect(JSON.stringify(warnings)).not.toContain('secret body');
    // Not retried on every request after a failure: only when the interval has passed again.
    await sendMessage(ctx, ref, { body: 'e' }, sender);
    expect(warnings).toHaveLength(1);
    clock.advance(10_000);
    await sendMessage(ctx, ref, { body: 'f' }, sender); // fails again: 3 kept
    expect(ctx.stats.pendingCounts().map((b) => b.counts)).toEqual([{ sent: 3 }]);
    clock.advance(10_000);
    await receiveMessages(ctx, ref, { maxMessages: 1 });
    expect(ctx.stats.pendingCounts()).toEqual([]);
    const [only] = await readStats(ctx, ref, { minutes: 1 });
    expect(only).toMatchObject({ sent: 3, received: 1 });
  });

  test('items carry a TTL a day after their minute', async () => {
    const { ctx } = statsContext();
    const ref = queueRef('stats-ttl');
    const queue = (await createQueue(ctx, { ref })).queue;
    await sendMessage(ctx, ref, { body: 'a' }, sender);
    await ctx.stats.flush();
    const [entry] = await readStats(ctx, ref, { minutes: 1 });
    const item = await dynamoClient().send(
      new GetItemCommand({
        TableName: tables.messages,
        Key: { pk: { S: `st#${queue.id}` }, sk: { S: String(entry!.minute).padStart(15, '0') } },
      }),
    );
    expect(Number(item.Item?.ttl?.N)).toBe(entry!.minute / 1000 + 24 * 60 * 60);
    // Statistics items stay out of the ready index (no `g`): receivers never see them.
    expect(item.Item?.g).toBeUndefined();
  });

  test('a repeated delete with the same receipt handle succeeds every time and is counted once', async () => {
    const { ctx } = statsContext();
    const ref = queueRef('stats-redelete');
    await createQueue(ctx, { ref });
    await sendMessageBatch(
      ctx,
      ref,
      [
        { id: '1', body: 'single' },
        { id: '2', body: 'batch' },
        { id: '3', body: 'twice in one batch' },
      ],
      sender,
    );
    const [single, batched, doubled] = await receiveMessages(ctx, ref, { maxMessages: 10 });
    for (let n = 0; n < 3; n++) {
      await expect(deleteMessage(ctx, ref, single!.receiptHandle)).resolves.toBeUndefined();
      const result = await deleteMessageBatch(ctx, ref, [{ id: 'b', receiptHandle: batched!.receiptHandle }]);
      expect(result).toEqual({ successful: [{ id: 'b' }], failed: [] });
    }
    const both = await deleteMessageBatch(ctx, ref, [
      { id: 'x', receiptHandle: doubled!.receiptHandle },
      { id: 'y', receiptHandle: doubled!.receiptHandle },
    ]);
    expect(both).toEqual({ successful: [{ id: 'x' }, { id: 'y' }], failed: [] });
    const [only] = await readStats(ctx, ref, { minutes: 1 });
    expect(only).toMatchObject({ sent: 3, received: 3, deleted: 3 });
  });

  test('FIFO queues are counted too', async () => {
    const { ctx } = statsContext();
    const ref = { ...queueRef('stats-fifo'), name: `${queueRef('sf').name}.fifo` };
    await createQueue(ctx, { ref, fifo: true });
    await sendMessage(ctx, ref, { body: 'a', groupId: 'g', deduplicationId: '1' }, sender);
    await sendMessage(ctx, ref, { body: 'b', groupId: 'g', deduplicationId: '2' }, sender);
    const [first] = await receiveMessages(ctx, ref, { maxMessages: 1 });
    await deleteMessage(ctx, ref, first!.receiptHandle);
    const [only] = await readStats(ctx, ref, { minutes: 1 });
    expect(only).toMatchObject({ sent: 2, received: 1, deleted: 1 });
  });

  test('FIFO sends whose deduplication id was already used are not counted', async () => {
    const { ctx } = statsContext();
    const ref = { ...queueRef('stats-dedup'), name: `${queueRef('sd').name}.fifo` };
    await createQueue(ctx, { ref, fifo: true });
    const first = await sendMessage(ctx, ref, { body: 'a', groupId: 'g', deduplicationId: 'same' }, sender);
    for (let n = 0; n < 2; n++) {
      const again = await sendMessage(ctx, ref, { body: 'a', groupId: 'g', deduplicationId: 'same' }, sender);
      expect(again.messageId).toBe(first.messageId);
    }
    // In a batch: one entry repeats an earlier send, two repeat each other, one is new.
    const batch = await sendMessageBatch(
      ctx,
      ref,
      [
        { id: '1', body: 'a', groupId: 'g', deduplicationId: 'same' },
        { id: '2', body: 'b', groupId: 'h', deduplicationId: 'twice' },
        { id: '3', body: 'b', groupId: 'h', deduplicationId: 'twice' },
        { id: '4', body: 'c', groupId: 'g', deduplicationId: 'new' },
      ],
      sender,
    );
    expect(batch.successful.map((s) => s.id)).toEqual(['1', '2', '3', '4']);
    expect(batch.successful[0]!.messageId).toBe(first.messageId);
    expect(batch.successful[2]!.messageId).toBe(batch.successful[1]!.messageId);
    const [only] = await readStats(ctx, ref, { minutes: 1 });
    expect(only).toMatchObject({ sent: 3 });
  });
});

describe('the sweeper', () => {
  test('samples depth once a minute and counts dead letters; redrive counts moves', async () => {
    const { ctx, clock, capacity } = statsContext();
    const dlq = queueRef('stats-dlq');
    const source = queueRef('stats-src');
    await createQueue(ctx, { ref: dlq });
    await createQueue(ctx, {
      ref: source,
      settings: { deadLetterQueue: dlq.name, maxReceiveCount: 1, visibilityTimeoutSeconds: 5 },
    });
    await sendMessage(ctx, source, { body: 'poison' }, sender);
    await sendMessage(ctx, source, { body: 'later', delaySeconds: 600 }, sender);
    await sendMessage(ctx, source, { body: 'waiting' }, sender);
    const [poison] = await receiveMessages(ctx, source, { maxMessages: 1 });
    expect(poison).toBeDefined();

    await sweep(ctx);
    const sampled = () => capacity.entries.filter((e) => e.operation === 'setStatsDepth').length;
    const afterFirst = sampled();
    expect(afterFirst).toBeGreaterThanOrEqual(2); // both queues (and any other queue of the table)
    await sweep(ctx);
    expect(sampled()).toBe(afterFirst); // same minute: not sampled again

    clock.advance(minute);
    await sweep(ctx); // the lease expired: the poison message moves to the dead-letter queue
    const stats = await readStats(ctx, source, { minutes: 2 });
    expect(stats[0]).toMatchObject({
      sent: 3,
      received: 1,
      depth: { visible: 1, inFlight: 1, delayed: 1 },
    });
    expect(stats[1]).toMatchObject({ deadLettered: 1, depth: { visible: 1, inFlight: 0, delayed: 1 } });
    const [dead] = await readStats(ctx, dlq, { minutes: 1 });
    // Dead letters count against the queue they left; the dead-letter queue was sampled too.
    expect(dead).toMatchObject({ sent: 0, deadLettered: 0, depth: { inFlight: 0, delayed: 0 } });

    await startMoveTask(ctx, { source: dlq });
    await runMoveTasks(ctx, { budgetMs: 5_000 });
    const [redriven] = await readStats(ctx, dlq, { minutes: 1 });
    expect(redriven).toMatchObject({ redriven: 1 });
  });
});
