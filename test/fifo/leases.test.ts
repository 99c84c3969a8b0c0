import { beforeAll, describe, expect, test } from 'vitest';
import {
  changeVisibility,
  changeVisibilityBatch,
  deleteMessage,
  deleteMessageBatch,
} from '../../functions/queue/operations/acknowledge';
import { describeQueue } from '../../functions/queue/operations/queues';
import { receiveMessages } from '../../functions/queue/operations/receive';
import { sendMessage } from '../../functions/queue/operations/send';
import type { TableNames } from '../../functions/store/table-layout';
import { freshTables } from '../support/queue-fixture';
import { expectError, fifoContext, newFifoQueue, sender } from './fifo-fixture';

/** Group leases: blocking, expiry, visibility changes, attempt-id replay. */
let tables: TableNames;
beforeAll(async () => {
  tables = await freshTables();
});

type Ctx = ReturnType<typeof fifoContext>['ctx'];
const send = (ctx: Ctx, ref: Parameters<typeof sendMessage>[1], body: string, groupId: string) =>
  sendMessage(ctx, ref, { body, groupId, deduplicationId: `${groupId}-${body}` }, sender);

describe('FIFO group leases', () => {
  test('a group is blocked while one of its messages is in flight; other groups are not', async () => {
    const { ctx } = fifoContext(tables);
    const ref = await newFifoQueue(ctx, { visibilityTimeoutSeconds: 30 });
    await send(ctx, ref, 'a1', 'a');
    await send(ctx, ref, 'a2', 'a');
    await send(ctx, ref, 'b1', 'b');
    const first = await receiveMessages(ctx, ref, { maxMessages: 1 });
    const other = await receiveMessages(ctx, ref, { maxMessages: 10 });
    const bodies = [...first, ...other].map((m) => m.body).sort();
    // Whichever group went first, the other receive got the other group only.
    expect(bodies).toEqual(first[0]!.body === 'a1' ? ['a1', 'b1'] : ['a1', 'a2', 'b1']);
    expect(await receiveMessages(ctx, ref, { maxMessages: 10 })).toEqual([]);
    const counts = (await describeQueue(ctx, ref)).counts;
    expect(counts.inFlight).toBe(bodies.length);
  });

  test('an expired lease hands the group back from its oldest undeleted message; old handles are stale', async () => {
    const { ctx, clock } = fifoContext(tables);
    const ref = await newFifoQueue(ctx, { visibilityTimeoutSeconds: 30 });
    for (const body of ['m1', 'm2', 'm3']) await send(ctx, ref, body, 'g');
    const first = await receiveMessages(ctx, ref, { maxMessages: 2 });
    expect(first.map((m) => m.body)).toEqual(['m1', 'm2']);
    await deleteMessage(ctx, ref, first[0]!.receiptHandle);
    clock.advance(29_000);
    expect(await receiveMessages(ctx, ref, { maxMessages: 10 })).toEqual([]);
    clock.advance(1_000);
    const second = await receiveMessages(ctx, ref, { maxMessages: 10 });
    expect(second.map((m) => [m.body, m.receiveCount])).toEqual([
      ['m2', 2],
      ['m3', 1],
    ]);
    await expectError(deleteMessage(ctx, ref, first[1]!.receiptHandle), 'ReceiptHandleIsInvalid');
    const deleted = await deleteMessageBatch(
      ctx,
      ref,
      second.map((m, n) => ({ id: `e${n}`, receiptHandle: m.receiptHandle })),
    );
    expect(deleted.failed).toEqual([]);
    // Deleting again (a retry after a lost answer) succeeds.
    await deleteMessage(ctx, ref, second[0]!.receiptHandle);
    expect(await receiveMessages(ctx, ref, { maxMessages: 10 })).toEqual([]);
    expect((await describeQueue(ctx, ref)).counts).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  test('visibility: extend keeps the group, 0 hands it on at once; a lease that ended is not in flight', async () => {
    const { ctx, clock } = fifoContext(tables);
    const ref = await newFifoQueue(ctx, { visibilityTimeoutSeconds: 30 });
    for (const body of ['m1', 'm2']) await send(ctx, ref, body, 'g');
    const [m1] = await receiveMessages(ctx, ref);
    await changeVisibility(ctx, ref, m1!.receiptHandle, 120);
    clock.advance(60_000);
    expect(await receiveMessages(ctx, ref)).toEqual([]);
    await changeVisibility(ctx, ref, m1!.receiptHandle, 0);
    const [again] = await receiveMessages(ctx, ref);
    expect(again?.body).toBe('m1');
    expect(again?.receiveCount).toBe(2);
    await expectError(changeVisibility(ctx, ref, m1!.receiptHandle, 10), 'ReceiptHandleIsInvalid');
    clock.advance(31_000);
    await expectError(changeVisibility(ctx, ref, again!.receiptHandle, 10), 'MessageNotInflight');
    const [third] = await receiveMessages(ctx, ref);
    const batch = await changeVisibilityBatch(ctx, ref, [
      { id: 'a', receiptHandle: third!.receiptHandle, visibilityTimeoutSeconds: 300 },
      { id: 'b', receiptHandle: 'forged', visibilityTimeoutSeconds: 300 },
    ]);
    expect(batch.successful).toEqual([{ id: 'a' }]);
    expect(batch.failed.map((f) => f.code)).toEqual(['ReceiptHandleIsInvalid']);
    // A lease ends at most 12 hours after its receive.
    clock.advance(1_000);
    await expectError(changeVisibility(ctx, ref, third!.receiptHandle, 43_200), 'InvalidParameterValue');
  });

  test('a shorter visibility timeout ends the lease then: the group and its messages are receivable at once', async () => {
    const { ctx, clock } = fifoContext(tables);
    const ref = await newFifoQueue(ctx, { visibilityTimeoutSeconds: 30 });
    for (const body of ['m1', 'm2', 'm3']) await send(ctx, ref, body, 'g');
    const first = await receiveMessages(ctx, ref, { maxMessages: 2 });
    await changeVisibility(ctx, ref, first[0]!.receiptHandle, 5);
    clock.advance(4_999);
    expect(await receiveMessages(ctx, ref, { maxMessages: 10 })).toEqual([]);
    clock.advance(1);
    // Before the fix the messages kept the 30-second end of the lease they were delivered under.
    const second = await receiveMessages(ctx, ref, { maxMessages: 1 });
    expect(second.map((m) => [m.body, m.receiveCount])).toEqual([['m1', 2]]);
    // Deleting m1 hands the group on at once, though m2 was delivered under the first lease.
    await deleteMessage(ctx, ref, second[0]!.receiptHandle);
    const third = await receiveMessages(ctx, ref, { maxMessages: 10 });
    expect(third.map((m) => m.body)).toEqual(['m2', 'm3']);
  });

  test('the queue delay holds every message; the group waits for its head', async () => {
    const { ctx, clock } = fifoContext(tables);
    const ref = await newFifoQueue(ctx, { delaySeconds: 10 });
    await send(ctx, ref, 'd1', 'g');
    clock.advance(5_000);
    await send(ctx, ref, 'd2', 'g');
    expect((await describeQueue(ctx, ref)).counts).toEqual({ visible: 0, inFlight: 0, delayed: 2 });
    expect(await receiveMessages(ctx, ref)).toEqual([]);
    clock.advance(5_000);
    const batch = await receiveMessages(ctx, ref, { maxMessages: 10 });
    expect(batch.map((m) => m.body)).toEqual(['d1']);
    await deleteMessage(ctx, ref, batch[0]!.receiptHandle);
    expect(await receiveMessages(ctx, ref)).toEqual([]);
    clock.advance(5_000);
    expect((await receiveMessages(ctx, ref)).map((m) => m.body)).toEqual(['d2']);
  });

  test('ReceiveRequestAttemptId replays the same messages and handles for 5 minutes', async () => {
    const { ctx, clock } = fifoContext(tables);
    const ref = await newFifoQueue(ctx, { visibilityTimeoutSeconds: 60 });
    for (const body of ['m1', 'm2', 'm3']) await send(ctx, ref, body, 'g');
    const input = { maxMessages: 2, receiveRequestAttemptId: 'attempt-1' };
    const first = await receiveMessages(ctx, ref, input);
    clock.advance(50_000);
    const retry = await receiveMessages(ctx, ref, input);
    expect(retry.map((m) => [m.id, m.receiptHandle])).toEqual(first.map((m) => [m.id, m.receiptHandle]));
    // The retry renewed the lease: 50 s later it still holds.
    clock.advance(50_000);
    expect(await receiveMessages(ctx, ref, { maxMessages: 10 })).toEqual([]);
    // Another attempt id is another receive.
    expect(await receiveMessages(ctx, ref, { receiveRequestAttemptId: 'attempt-2' })).toEqual([]);
    // Once its messages are deleted, the same id receives anew.
    for (const m of first) await deleteMessage(ctx, ref, m.receiptHandle);
    const fresh = await receiveMessages(ctx, ref, input);
    expect(fresh.map((m) => m.body)).toEqual(['m3']);
    await deleteMessage(ctx, ref, fresh[0]!.receiptHandle);
    await expectError(
      receiveMessages(ctx, ref, { receiveRequestAttemptId: 'bad id' }),
      'InvalidParameterValue',
    );
  });

  test('ReceiveRequestAttemptId: after the lease ended and another receiver took the group, a retry is new', async () => {
    const { ctx, clock } = fifoContext(tables);
    const ref = await newFifoQueue(ctx, { visibilityTimeoutSeconds: 30 });
    await send(ctx, ref, 'm1', 'g');
    const first = await receiveMessages(ctx, ref, { receiveRequestAttemptId: 'a' });
    clock.advance(31_000);
    const other = await receiveMessages(ctx, ref);
    expect(other.map((m) => m.body)).toEqual(['m1']);
    expect(await receiveMessages(ctx, ref, { receiveRequestAttemptId: 'a' })).toEqual([]);
    expect(first).toHaveLength(1);
  });

  test('concurrent receives with one attempt id: one of them receives, all answer with its messages', async () => {
    const { ctx } = fifoContext(tables);
    const ref = await newFifoQueue(ctx, { visibilityTimeoutSeconds: 60 });
    for (let g = 0; g < 10; g++) await send(ctx, ref, `m${g}`, `g${g}`);
    const input = { maxMessages: 2, receiveRequestAttemptId: 'together' };
    const answers = await Promise.all(Array.from({ length: 5 }, () => receiveMessages(ctx, ref, input)));
    const first = answers[0]!.map((m) => [m.id, m.receiptHandle]).sort();
    expect(first).toHaveLength(2);
    for (const answer of answers) expect(answer.map((m) => [m.id, m.receiptHandle]).sort()).toEqual(first);
    // One set of leases: the two groups received are in flight, the other eight are not.
    expect((await describeQueue(ctx, ref)).counts).toEqual({ visible: 8, inFlight: 2, delayed: 0 });
    expect(await receiveMessages(ctx, ref, { maxMessages: 10 })).toHaveLength(8);
  });

  test('concurrent receives with one attempt id over an empty queue all answer empty; a failed claim frees the id', async () => {
    const { ctx, clock } = fifoContext(tables);
    const ref = await newFifoQueue(ctx, { visibilityTimeoutSeconds: 60 });
    const input = { maxMessages: 2, receiveRequestAttemptId: 'nothing' };
    const answers = await Promise.all(Array.from({ length: 3 }, () => receiveMessages(ctx, ref, input)));
    expect(answers).toEqual([[], [], []]);
    // Nothing was received, so the id is free: the next receive with it is a new receive.
    await send(ctx, ref, 'm1', 'g');
    expect((await receiveMessages(ctx, ref, input)).map((m) => m.body)).toEqual(['m1']);

    // A receiver that claimed an id and died: others answer empty until its claim ends, then take over.
    const queue = await ctx.queues.require(ref);
    const now = clock.now();
    await ctx.fifo!.claimAttempt({
      queueId: queue.id,
      attemptId: 'orphan',
      token: 'dead-receiver',
      now,
      claimEnd: now + 100,
      expiresAt: now + 300_000,
    });
    await send(ctx, ref, 'h1', 'h');
    expect(await receiveMessages(ctx, ref, { receiveRequestAttemptId: 'orphan' })).toEqual([]);
    clock.advance(100);
    expect(
      (await receiveMessages(ctx, ref, { receiveRequestAttemptId: 'orphan' })).map((m) => m.body),
    ).toEqual(['h1']);
  });
});
