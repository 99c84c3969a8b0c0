import { beforeAll, describe, expect, test } from 'vitest';
import { QueueError } from '../../functions/queue/errors';
import type { ReceivedMessage } from '../../functions/queue/model';
import {
  changeVisibility,
  changeVisibilityBatch,
  deleteMessage,
  deleteMessageBatch,
} from '../../functions/queue/operations/acknowledge';
import { createQueue, describeQueue } from '../../functions/queue/operations/queues';
import { receiveMessages } from '../../functions/queue/operations/receive';
import { sendMessage, sendMessageBatch } from '../../functions/queue/operations/send';
import type { TableNames } from '../../functions/store/table-layout';
import { freshTables, queueContext, queueRef } from '../support/queue-fixture';

/** Lease properties of the queue, proven against DynamoDB Local (no mocks). */
let tables: TableNames;
beforeAll(async () => {
  tables = await freshTables();
});

const sender = { senderId: 'tester' };
const expectError = async (promise: Promise<unknown>, code: string) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(QueueError);
  expect((error as QueueError).code).toBe(code);
};

describe('leases', () => {
  test('20 concurrent receivers over 200 messages lease each message exactly once', async () => {
    const { ctx } = queueContext(tables, { shards: 4 });
    const ref = queueRef('concurrent');
    await createQueue(ctx, { ref, settings: { visibilityTimeoutSeconds: 600 } });
    const sent = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const batch = Array.from({ length: 10 }, (_, j) => ({ id: `m${j}`, body: `message ${i * 10 + j}` }));
      const result = await sendMessageBatch(ctx, ref, batch, sender);
      for (const s of result.successful) sent.add(s.messageId);
    }
    expect(sent.size).toBe(200);

    // Each receiver has its own context, as separate Lambda containers would.
    const receivedBy = new Map<string, number>();
    const receiver = async (n: number) => {
      const own = queueContext(tables).ctx;
      let empty = 0;
      while (empty < 3) {
        const messages = await receiveMessages(own, ref, { maxMessages: 10 });
        if (messages.length === 0) empty++;
        for (const m of messages) {
          expect(receivedBy.has(m.id), `message ${m.id} leased twice`).toBe(false);
          receivedBy.set(m.id, n);
        }
      }
    };
    await Promise.all(Array.from({ length: 20 }, (_, n) => receiver(n)));
    expect(new Set(receivedBy.keys())).toEqual(sent);
    expect(new Set(receivedBy.values()).size).toBeGreaterThan(1);
  });

  test('an expired lease is re-delivered with a new handle; the old handle can no longer delete', async () => {
    const { ctx, clock } = queueContext(tables);
    const ref = queueRef('expiry');
    await createQueue(ctx, { ref, settings: { visibilityTimeoutSeconds: 30 } });
    await sendMessage(ctx, ref, { body: 'work' }, sender);
    const [first] = await receiveMessages(ctx, ref);
    expect(first?.receiveCount).toBe(1);
    expect(await receiveMessages(ctx, ref)).toEqual([]);

    clock.advance(29_000);
    expect(await receiveMessages(ctx, ref)).toEqual([]);
    clock.advance(1_000);
    const [second] = await receiveMessages(ctx, ref);
    expect(second?.id).toBe(first!.id);
    expect(second?.receiveCount).toBe(2);
    expect(second?.firstReceivedAt).toBe(first!.firstReceivedAt);
    expect(second?.receiptHandle).not.toBe(first!.receiptHandle);

    await expectError(deleteMessage(ctx, ref, first!.receiptHandle), 'ReceiptHandleIsInvalid');
    await expectError(changeVisibility(ctx, ref, first!.receiptHandle, 60), 'ReceiptHandleIsInvalid');
    expect((await describeQueue(ctx, ref)).counts).toEqual({ visible: 0, inFlight: 1, delayed: 0 });
    await deleteMessage(ctx, ref, second!.receiptHandle);
    // Deleting again (a retry after a lost response) succeeds and changes nothing.
    await deleteMessage(ctx, ref, second!.receiptHandle);
    clock.advance(60_000);
    expect(await receiveMessages(ctx, ref)).toEqual([]);
  });

  test('a forged or altered handle is rejected and the message keeps its lease', async () => {
    const { ctx, clock } = queueContext(tables);
    const ref = queueRef('forged');
    await createQueue(ctx, { ref });
    await sendMessage(ctx, ref, { body: 'keep me' }, sender);
    const [message] = await receiveMessages(ctx, ref);
    const handle = message!.receiptHandle;
    const [version, payload, tag] = handle.split('.');
    const flipped = `${version}.${payload}.${tag!.startsWith('A') ? `B${tag!.slice(1)}` : `A${tag!.slice(1)}`}`;
    for (const forged of [flipped, `${version}.${payload}x.${tag}`, 'r1.abc.def', 'garbage', '']) {
      await expectError(deleteMessage(ctx, ref, forged), 'ReceiptHandleIsInvalid');
      await expectError(changeVisibility(ctx, ref, forged, 0), 'ReceiptHandleIsInvalid');
    }
    // A genuine handle of one queue does not act on another.
    const other = queueRef('other');
    await createQueue(ctx, { ref: other });
    await expectError(deleteMessage(ctx, other, handle), 'ReceiptHandleIsInvalid');

    expect((await describeQueue(ctx, ref)).counts.inFlight).toBe(1);
    clock.advance(30_000);
    const [again] = await receiveMessages(ctx, ref);
    expect(again?.id).toBe(message!.id);
  });

  test('changing visibility extends or releases a lease, only while it is held', async () => {
    const { ctx, clock } = queueContext(tables);
    const ref = queueRef('visibility');
    await createQueue(ctx, { ref, settings: { visibilityTimeoutSeconds: 10 } });
    await sendMessage(ctx, ref, { body: 'x' }, sender);
    const [m] = await receiveMessages(ctx, ref);
    await changeVisibility(ctx, ref, m!.receiptHandle, 100);
    clock.advance(50_000);
    expect(await receiveMessages(ctx, ref)).toEqual([]);
    await changeVisibility(ctx, ref, m!.receiptHandle, 0);
    const [released] = await receiveMessages(ctx, ref, { visibilityTimeoutSeconds: 5 });
    expect(released?.id).toBe(m!.id);
    clock.advance(6_000);
    await expectError(changeVisibility(ctx, ref, released!.receiptHandle, 30), 'MessageNotInflight');
    await expectError(changeVisibility(ctx, ref, released!.receiptHandle, 43_201), 'InvalidParameterValue');
  });

  test('a lease cannot be extended past 12 hours after its receive', async () => {
    const { ctx, clock } = queueContext(tables);
    const ref = queueRef('twelve');
    await createQueue(ctx, { ref });
    await sendMessage(ctx, ref, { body: 'x' }, sender);
    const [m] = await receiveMessages(ctx, ref, { visibilityTimeoutSeconds: 43_200 });
    clock.advance(3_600_000);
    await expectError(changeVisibility(ctx, ref, m!.receiptHandle, 43_200), 'InvalidParameterValue');
    await changeVisibility(ctx, ref, m!.receiptHandle, 39_600);
  });

  test('batches report partial failures per entry', async () => {
    const { ctx } = queueContext(tables);
    const ref = queueRef('batch');
    await createQueue(ctx, { ref, settings: { maxMessageBytes: 1024 } });
    const sent = await sendMessageBatch(
      ctx,
      ref,
      [
        { id: 'ok1', body: 'fine' },
        { id: 'big', body: 'x'.repeat(1025) },
        { id: 'bad', body: 'nul \u0000 char' },
        // Past the queue's retention (4 days by default): a delay may reach the retention, not beyond.
        { id: 'late', body: 'later', delaySeconds: 345_601 },
        { id: 'ok2', body: 'also fine', delaySeconds: 0 },
      ],
      sender,
    );
    expect(sent.successful.map((s) => s.id)).toEqual(['ok1', 'ok2']);
    expect(Object.fromEntries(sent.failed.map((f) => [f.id, f.code]))).toEqual({
      big: 'InvalidParameterValue',
      bad: 'InvalidMessageContents',
      late: 'InvalidParameterValue',
    });
    expect(sent.failed.every((f) => f.senderFault)).toBe(true);

    const received = await receiveMessages(ctx, ref, { maxMessages: 10 });
    expect(received).toHaveLength(2);
    const [first, second] = received as [ReceivedMessage, ReceivedMessage];
    const deleted = await deleteMessageBatch(ctx, ref, [
      { id: 'a', receiptHandle: first.receiptHandle },
      { id: 'forged', receiptHandle: 'r1.nope.nope' },
      { id: 'b', receiptHandle: second.receiptHandle },
    ]);
    expect(deleted.successful.map((s) => s.id).sort()).toEqual(['a', 'b']);
    expect(deleted.failed.map((f) => [f.id, f.code])).toEqual([['forged', 'ReceiptHandleIsInvalid']]);

    const visibility = await changeVisibilityBatch(ctx, ref, [
      { id: 'gone', receiptHandle: first.receiptHandle, visibilityTimeoutSeconds: 10 },
      { id: 'range', receiptHandle: first.receiptHandle, visibilityTimeoutSeconds: -1 },
    ]);
    expect(visibility.failed.map((f) => [f.id, f.code]).sort()).toEqual([
      ['gone', 'ReceiptHandleIsInvalid'],
      ['range', 'InvalidParameterValue'],
    ]);
  });

  test('batch shape errors reject the whole batch', async () => {
    const { ctx } = queueContext(tables);
    const ref = queueRef('shape');
    await createQueue(ctx, { ref });
    await expectError(sendMessageBatch(ctx, ref, [], sender), 'EmptyBatchRequest');
    const eleven = Array.from({ length: 11 }, (_, i) => ({ id: `m${i}`, body: 'x' }));
    await expectError(sendMessageBatch(ctx, ref, eleven, sender), 'TooManyEntriesInBatchRequest');
    await expectError(
      sendMessageBatch(
        ctx,
        ref,
        [
          { id: 'a', body: 'x' },
          { id: 'a', body: 'y' },
        ],
        sender,
      ),
      'BatchEntryIdsNotDistinct',
    );
    await expectError(
      sendMessageBatch(ctx, ref, [{ id: 'has space', body: 'x' }], sender),
      'InvalidBatchEntryId',
    );
    const big = 'x'.repeat(600_000);
    await expectError(
      sendMessageBatch(
        ctx,
        ref,
        [
          { id: 'a', body: big },
          { id: 'b', body: big },
        ],
        sender,
      ),
      'BatchRequestTooLong',
    );
    expect((await describeQueue(ctx, ref)).counts).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });
});

describe('delays and retention (injected clock)', () => {
  test('a delayed message becomes visible when its delay ends', async () => {
    const { ctx, clock } = queueContext(tables);
    const ref = queueRef('delay');
    await createQueue(ctx, { ref, settings: { delaySeconds: 60, visibilityTimeoutSeconds: 600 } });
    await sendMessage(ctx, ref, { body: 'queue default delay' }, sender);
    await sendMessage(ctx, ref, { body: 'own delay', delaySeconds: 120 }, sender);
    await sendMessage(ctx, ref, { body: 'no delay', delaySeconds: 0 }, sender);
    expect((await receiveMessages(ctx, ref, { maxMessages: 10 })).map((m) => m.body)).toEqual(['no delay']);
    expect((await describeQueue(ctx, ref)).counts).toEqual({ visible: 0, inFlight: 1, delayed: 2 });
    clock.advance(60_000);
    expect((await receiveMessages(ctx, ref, { maxMessages: 10 })).map((m) => m.body)).toEqual([
      'queue default delay',
    ]);
    clock.advance(60_000);
    expect((await receiveMessages(ctx, ref, { maxMessages: 10 })).map((m) => m.body)).toEqual(['own delay']);
  });

  test('a message past retention is never delivered, even before anything removes it', async () => {
    const { ctx, clock } = queueContext(tables);
    const ref = queueRef('retention');
    await createQueue(ctx, { ref, settings: { retentionSeconds: 60, visibilityTimeoutSeconds: 10 } });
    await sendMessage(ctx, ref, { body: 'short lived' }, sender);
    clock.advance(30_000);
    await sendMessage(ctx, ref, { body: 'younger' }, sender);
    expect(await receiveMessages(ctx, ref, { maxMessages: 10 })).toHaveLength(2);
    clock.advance(31_000);
    // Both leases have expired, but the first message is also past retention: only one returns.
    expect((await receiveMessages(ctx, ref, { maxMessages: 10 })).map((x) => x.body)).toEqual(['younger']);
    clock.advance(60_000);
    expect(await receiveMessages(ctx, ref, { maxMessages: 10 })).toEqual([]);
  });
});

describe('candidates left over from earlier receives', () => {
  test('the next receive in the process leases them without querying the index', async () => {
    const { ctx, capacity } = queueContext(tables, { shards: 1 });
    const ref = queueRef('leftovers');
    await createQueue(ctx, { ref, shardCount: 1 });
    for (let i = 0; i < 5; i++) await sendMessage(ctx, ref, { body: `m${i}` }, sender);
    const first = await receiveMessages(ctx, ref);
    expect(first).toHaveLength(1);
    capacity.clear();
    const second = await receiveMessages(ctx, ref);
    expect(second).toHaveLength(1);
    expect(second[0]!.id).not.toBe(first[0]!.id);
    expect(capacity.entries.filter((e) => e.operation === 'findVisible')).toEqual([]);
  });

  test('stale leftovers (leased by another process meanwhile) are never leased twice', async () => {
    const { ctx, store } = queueContext(tables, { shards: 1 });
    const ref = queueRef('stale');
    const { queue } = await createQueue(ctx, { ref, shardCount: 1 });
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push((await sendMessage(ctx, ref, { body: `m${i}` }, sender)).messageId);
    const [mine] = await receiveMessages(ctx, ref);
    // Another container takes every other message straight through the store.
    const now = Date.now();
    for (const messageId of ids.filter((id) => id !== mine!.id)) {
      const outcome = await store.lease({
        queueId: queue.id,
        messageId,
        now,
        visibleUntil: now + 60_000,
        leaseToken: `other-${messageId}`,
      });
      expect(outcome.status).toBe('leased');
    }
    expect(await receiveMessages(ctx, ref, { maxMessages: 10 })).toEqual([]);
  });
});

describe('long polling', () => {
  test('returns as soon as a message arrives from another process', async () => {
    const receiver = queueContext(tables);
    const senderSide = queueContext(tables, { clock: receiver.clock });
    const ref = queueRef('poll');
    await createQueue(receiver.ctx, { ref });
    const started = performance.now();
    const polling = receiveMessages(receiver.ctx, ref, { waitTimeSeconds: 20 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await sendMessage(senderSide.ctx, ref, { body: 'arrived' }, sender);
    const [m] = await polling;
    expect(m?.body).toBe('arrived');
    expect(performance.now() - started).toBeLessThan(20_000);
  });

  test('waits the whole wait time when nothing arrives, then returns empty', async () => {
    const { ctx } = queueContext(tables);
    const ref = queueRef('empty');
    await createQueue(ctx, { ref });
    const started = performance.now();
    expect(await receiveMessages(ctx, ref, { waitTimeSeconds: 1 })).toEqual([]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
  });
});
