import { DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, test } from 'vitest';
import { queueRepresentation } from '../../functions/dialects/rest/representations';
import { queueResponse } from '../../functions/dialects/rest/response-schemas';
import { deleteMessage } from '../../functions/queue/operations/acknowledge';
import { browseDeadLetters } from '../../functions/queue/operations/dead-letters';
import { describeQueueDepth } from '../../functions/queue/operations/depth';
import { runMoveTasks, startMoveTask } from '../../functions/queue/operations/move-tasks';
import {
  createQueue,
  deleteQueue,
  describeQueue,
  getQueue,
  purgeQueue,
} from '../../functions/queue/operations/queues';
import { receiveMessages } from '../../functions/queue/operations/receive';
import { sendMessage, sendMessageBatch } from '../../functions/queue/operations/send';
import { sweep } from '../../functions/queue/operations/sweep';
import { headKey, totalKey } from '../../functions/store/counter-items';
import type { DynamoQueueStore } from '../../functions/store/queue-store';
import type { TableNames } from '../../functions/store/table-layout';
import { freshTables, queueRef } from '../support/queue-fixture';
import { expectError, fifoContext, newFifoQueue, sender } from './fifo-fixture';

/** Dead letters, the sweeper, purge and deletion of FIFO queues. */
let tables: TableNames;
beforeAll(async () => {
  tables = await freshTables();
});

type Ctx = ReturnType<typeof fifoContext>['ctx'];
type Ref = Parameters<typeof sendMessage>[1];
const send = (ctx: Ctx, ref: Ref, body: string, groupId = 'g') =>
  sendMessage(ctx, ref, { body, groupId, deduplicationId: `${groupId}-${body}` }, sender);

/** A FIFO dead-letter queue and a source (10 s leases) that sends there after `maxReceiveCount`. */
async function withDeadLetterQueue(ctx: Ctx, maxReceiveCount: number) {
  const dlq = await newFifoQueue(ctx, {}, { prefix: 'dlq' });
  const ref = await newFifoQueue(ctx, {
    visibilityTimeoutSeconds: 10,
    deadLetterQueue: dlq.name,
    maxReceiveCount,
  });
  return { dlq, ref };
}

describe('FIFO dead letters', () => {
  test('a head received maxReceiveCount times moves to the end of its group in the dead-letter queue', async () => {
    const { ctx, clock } = fifoContext(tables);
    const { dlq, ref } = await withDeadLetterQueue(ctx, 2);
    for (const body of ['poison', 'next']) await send(ctx, ref, body);
    for (let receive = 1; receive <= 2; receive++) {
      const [m] = await receiveMessages(ctx, ref);
      expect([m?.body, m?.receiveCount]).toEqual(['poison', receive]);
      clock.advance(10_000);
    }
    // The receive that would deliver it a third time moves it and delivers the next one.
    const [next] = await receiveMessages(ctx, ref);
    expect(next?.body).toBe('next');
    const [dead] = await receiveMessages(ctx, dlq);
    expect(dead).toMatchObject({ body: 'poison', groupId: 'g', receiveCount: 1 });
    expect(dead?.deadLetter).toMatchObject({ sourceQueue: ref.name, receiveCount: 2 });
    expect(dead?.sequenceNumber).toMatch(/^\d{20}$/);
    await deleteMessage(ctx, dlq, dead!.receiptHandle);
  });

  test('dead letters of a FIFO dead-letter queue can be browsed, newest first, and vanish once redriven', async () => {
    const { ctx, clock } = fifoContext(tables);
    const { dlq, ref } = await withDeadLetterQueue(ctx, 1);
    const big = 'x'.repeat(5_000); // stored in body parts
    await send(ctx, ref, 'first', 'a');
    await sendMessage(ctx, ref, { body: big, groupId: 'b', deduplicationId: 'big' }, sender);
    expect((await receiveMessages(ctx, ref, { maxMessages: 10 })).length).toBe(2);
    clock.advance(10_000);
    // The receive that finds both heads exhausted moves them to the dead-letter queue.
    expect(await receiveMessages(ctx, ref, { maxMessages: 10 })).toEqual([]);

    const page = await browseDeadLetters(ctx, dlq, { order: 'oldest' });
    expect(page.messages.map((m) => m.body.length).sort()).toEqual([5, big.length]);
    for (const m of page.messages) {
      expect(m.deadLetter).toMatchObject({ sourceQueue: ref.name, receiveCount: 1 });
      expect((m as { groupId?: string }).groupId).toMatch(/^[ab]$/);
    }
    // Browsing does not lease: both are still receivable.
    expect((await describeQueue(ctx, dlq)).counts.visible).toBe(2);

    await startMoveTask(ctx, { source: dlq, maxPerSecond: 500 });
    const [done] = await runMoveTasks(ctx, { budgetMs: 20_000 });
    expect(done).toMatchObject({ status: 'COMPLETED', moved: 2 });
    expect((await browseDeadLetters(ctx, dlq)).messages).toEqual([]);
  });

  test('the sweeper moves exhausted heads once their lease ends, without a receive, reading no other group', async () => {
    // Tables of its own, so the sweep meets only these queues.
    const { ctx, clock, capacity } = fifoContext(await freshTables());
    const { dlq, ref } = await withDeadLetterQueue(ctx, 2);
    for (const body of ['poison', 'next']) await send(ctx, ref, body, 'p');
    for (let receive = 1; receive <= 2; receive++) {
      const batch = await receiveMessages(ctx, ref, { maxMessages: 10 });
      expect(batch.map((m) => [m.body, m.receiveCount])).toEqual([
        ['poison', receive],
        ['next', receive],
      ]);
      // The second lease was the last chance; its consumer deletes one message and stalls.
      if (receive === 2) await deleteMessage(ctx, ref, batch[0]!.receiptHandle);
      clock.advance(10_000);
    }
    for (let n = 0; n < 5; n++) await send(ctx, ref, `idle${n}`, `idle${n}`);
    capacity.clear();
    let report = await sweep(ctx);
    while (!report.complete) report = await sweep(ctx);
    expect(report.deadLettered).toBe(1);
    // Only group p was read (its head, then under the lease): the idle groups' hints are their expiry.
    expect(capacity.entries.filter((e) => e.operation === 'fifoReadGroup')).toHaveLength(2);
    const [dead] = await receiveMessages(ctx, dlq);
    expect(dead).toMatchObject({ body: 'next', groupId: 'p' });
    expect(dead?.deadLetter).toMatchObject({ sourceQueue: ref.name, receiveCount: 2 });
    expect((await describeQueue(ctx, ref)).counts).toEqual({ visible: 5, inFlight: 0, delayed: 0 });
  });

  test('a last-chance lease deleted in full leaves no hint behind: the next sweep reads no group', async () => {
    const { ctx, clock, capacity } = fifoContext(await freshTables());
    const { ref } = await withDeadLetterQueue(ctx, 1);
    for (const body of ['m1', 'm2']) await send(ctx, ref, body);
    const [m1] = await receiveMessages(ctx, ref);
    await deleteMessage(ctx, ref, m1!.receiptHandle);
    clock.advance(10_000);
    capacity.clear();
    let report = await sweep(ctx);
    while (!report.complete) report = await sweep(ctx);
    expect(report.deadLettered).toBe(0);
    expect(capacity.entries.filter((e) => e.operation === 'fifoReadGroup')).toEqual([]);
    expect((await receiveMessages(ctx, ref)).map((m) => m.body)).toEqual(['m2']);
  });

  test('the sweeper removes expired messages, reading only groups whose oldest message may have expired', async () => {
    const { ctx, clock, capacity } = fifoContext(await freshTables());
    const ref = await newFifoQueue(ctx, { retentionSeconds: 60 });
    await send(ctx, ref, 'old', 'x');
    await send(ctx, ref, 'y1', 'y');
    clock.advance(30_000);
    await send(ctx, ref, 'y2', 'y');
    clock.advance(1_000);
    // Consume y1, so group y's hint (y1's expiry) is older than its head (y2).
    const taken = await receiveMessages(ctx, ref, { maxMessages: 10, visibilityTimeoutSeconds: 0 });
    const y1 =
      taken.find((m) => m.body === 'y1') ?? (await receiveMessages(ctx, ref, { maxMessages: 10 }))[0];
    expect(y1?.body).toBe('y1');
    await deleteMessage(ctx, ref, y1!.receiptHandle);
    clock.advance(19_000);
    await send(ctx, ref, 'fresh', 'z');
    clock.advance(11_000); // 61 s after the first sends
    capacity.clear();
    let report = await sweep(ctx);
    while (!report.complete) report = await sweep(ctx);
    // Group z's oldest message is fresh: the sweep did not read its messages.
    const reads = capacity.entries.filter((e) => e.operation === 'fifoReadGroup').length;
    expect(reads).toBeLessThanOrEqual(3);
    const remaining = (await describeQueue(ctx, ref)).counts.visible;
    expect(remaining).toBe(2);
    clock.advance(30_000);
    report = await sweep(ctx);
    while (!report.complete) report = await sweep(ctx);
    expect((await receiveMessages(ctx, ref, { maxMessages: 10 })).map((m) => m.body)).toEqual(['fresh']);
  });
});

describe('FIFO redrive', () => {
  test('a move task sends the dead letters of a group back to the end of the group, in order, as new messages', async () => {
    const { ctx, clock } = fifoContext(tables);
    const { dlq, ref } = await withDeadLetterQueue(ctx, 1);
    const originals = [];
    for (const body of ['p1', 'p2', 'p3']) originals.push(await send(ctx, ref, body));
    for (let i = 0; i < 3; i++) {
      expect(await receiveMessages(ctx, ref)).toHaveLength(1);
      clock.advance(10_000);
    }
    await send(ctx, ref, 'later');
    // The receive moves the last exhausted head, then delivers the next message.
    const [later] = await receiveMessages(ctx, ref);
    expect(later?.body).toBe('later');
    await deleteMessage(ctx, ref, later!.receiptHandle);
    expect((await describeQueue(ctx, dlq)).counts.visible).toBe(3);

    const standard = queueRef('std');
    await createQueue(ctx, { ref: standard });
    await expectError(
      startMoveTask(ctx, { source: dlq, destination: standard.name }),
      'InvalidParameterValue',
    );
    const task = await startMoveTask(ctx, { source: dlq, maxPerSecond: 500 });
    expect(task.toMove).toBe(3);
    const [done] = await runMoveTasks(ctx, { budgetMs: 20_000 });
    expect(done).toMatchObject({ status: 'COMPLETED', moved: 3 });
    const back = await receiveMessages(ctx, ref, { maxMessages: 10 });
    expect(back.map((m) => [m.body, m.receiveCount, m.groupId])).toEqual([
      ['p1', 1, 'g'],
      ['p2', 1, 'g'],
      ['p3', 1, 'g'],
    ]);
    expect(back.map((m) => m.id)).not.toContain(originals[0]!.messageId);
    expect(await receiveMessages(ctx, dlq)).toEqual([]);
  });
});

describe('FIFO queue administration', () => {
  test('counts, purge and delete', async () => {
    const { ctx, clock } = fifoContext(tables);
    const ref = await newFifoQueue(ctx, { visibilityTimeoutSeconds: 30 });
    const sent = [];
    for (let i = 0; i < 6; i++) sent.push(await send(ctx, ref, `m${i}`, `g${i % 3}`));
    const received = await receiveMessages(ctx, ref, { maxMessages: 1 });
    expect((await describeQueue(ctx, ref)).counts).toEqual({ visible: 5, inFlight: 1, delayed: 0 });
    clock.advance(1);
    expect(await purgeQueue(ctx, ref)).toEqual({ purged: 6, removal: 'background' });
    expect((await describeQueue(ctx, ref)).counts).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    expect(await receiveMessages(ctx, ref, { maxMessages: 10 })).toEqual([]);
    // The purged message's handle deletes nothing, and says so without an error.
    await deleteMessage(ctx, ref, received[0]!.receiptHandle);
    // After a purge, the same deduplication ids are still taken for the rest of their window.
    expect((await send(ctx, ref, 'm0', 'g0')).messageId).toBe(sent[0]!.messageId);
    clock.advance(300_000);
    await send(ctx, ref, 'fresh', 'g1');
    expect((await receiveMessages(ctx, ref, { maxMessages: 10 })).map((m) => m.body)).toEqual(['fresh']);
    await deleteQueue(ctx, ref);
    await expect(receiveMessages(ctx, ref)).rejects.toMatchObject({ code: 'QueueDoesNotExist' });
  });

  test('counts of a queue from before counters with more groups than a count reads: a random sample scaled up, said to be approximate', async () => {
    const { ctx } = fifoContext(tables, { countedGroups: 20 });
    const ref = await newFifoQueue(ctx, { visibilityTimeoutSeconds: 30 });
    // A queue made before counters existed has no counter items: it is counted from its groups.
    const { id } = await getQueue(ctx, ref);
    const store = ctx.store as DynamoQueueStore;
    for (const Key of [headKey(id), totalKey(id, 0)]) {
      await store.client.send(new DeleteItemCommand({ TableName: store.messages, Key }));
    }
    const entries = (g: number) =>
      ['a', 'b'].map((body) => ({ id: body, body, groupId: `g${g}`, deduplicationId: `g${g}-${body}` }));
    for (let g = 0; g < 50; g += 5) {
      await Promise.all([0, 1, 2, 3, 4].map((n) => sendMessageBatch(ctx, ref, entries(g + n), sender)));
    }
    // Every group holds two visible messages, so any sample scales up to the exact total.
    expect((await describeQueue(ctx, ref)).counts).toEqual({
      visible: 100,
      inFlight: 0,
      delayed: 0,
      approximate: true,
    });
    // Within the limit, counts are exact and not flagged.
    const small = fifoContext(tables, { countedGroups: 50 }).ctx;
    expect((await describeQueue(small, ref)).counts).toEqual({ visible: 100, inFlight: 0, delayed: 0 });

    // The REST representation carries the flag when set, as documented, and never otherwise.
    const sampled = await describeQueueDepth(ctx, ref);
    const shown = queueRepresentation(sampled.queue, sampled.depth);
    expect(shown.messages).toMatchObject({ visible: 100, approximate: true });
    expect(queueResponse.safeParse(shown).success).toBe(true);
    const exact = await describeQueueDepth(small, ref);
    expect(queueRepresentation(exact.queue, exact.depth).messages).not.toHaveProperty('approximate');
  });
});
