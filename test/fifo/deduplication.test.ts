import { beforeAll, describe, expect, test } from 'vitest';
import { deleteMessage } from '../../functions/queue/operations/acknowledge';
import { updateQueue } from '../../functions/queue/operations/queues';
import { receiveMessages } from '../../functions/queue/operations/receive';
import { sendMessage, sendMessageBatch } from '../../functions/queue/operations/send';
import type { TableNames } from '../../functions/store/table-layout';
import { freshTables } from '../support/queue-fixture';
import { fifoContext, newFifoQueue, sender } from './fifo-fixture';

/** Exactly-once sends within the 5-minute deduplication window, with an injected clock. */
let tables: TableNames;
beforeAll(async () => {
  tables = await freshTables();
});

const minutes = (n: number) => n * 60_000;

async function drain(ctx: ReturnType<typeof fifoContext>['ctx'], ref: Parameters<typeof receiveMessages>[1]) {
  const bodies: string[] = [];
  for (;;) {
    const messages = await receiveMessages(ctx, ref, { maxMessages: 10 });
    if (messages.length === 0) return bodies;
    for (const m of messages) {
      bodies.push(m.body);
      await deleteMessage(ctx, ref, m.receiptHandle);
    }
  }
}

describe('FIFO deduplication', () => {
  test('by id: a repeat within 5 minutes is accepted, not stored, and answered with the original', async () => {
    const { ctx, clock } = fifoContext(tables);
    const ref = await newFifoQueue(ctx);
    const first = await sendMessage(
      ctx,
      ref,
      { body: 'pay 10', groupId: 'acct-1', deduplicationId: 'tx-1' },
      sender,
    );
    clock.advance(minutes(4));
    const repeat = await sendMessage(
      ctx,
      ref,
      { body: 'other body', groupId: 'acct-1', deduplicationId: 'tx-1' },
      sender,
    );
    expect(repeat.messageId).toBe(first.messageId);
    expect(repeat.message.sequenceNumber).toBe(first.message.sequenceNumber);
    // The scope is the queue: the same id in another group is a duplicate too.
    const elsewhere = await sendMessage(
      ctx,
      ref,
      { body: 'x', groupId: 'acct-2', deduplicationId: 'tx-1' },
      sender,
    );
    expect(elsewhere.messageId).toBe(first.messageId);
    expect(await drain(ctx, ref)).toEqual(['pay 10']);

    // Even after the original was deleted, the window holds...
    const afterDelete = await sendMessage(
      ctx,
      ref,
      { body: 'pay 10', groupId: 'acct-1', deduplicationId: 'tx-1' },
      sender,
    );
    expect(afterDelete.messageId).toBe(first.messageId);
    expect(await drain(ctx, ref)).toEqual([]);

    // ...and once it has passed (5 minutes after the first send), the id is new again.
    clock.advance(minutes(1));
    const later = await sendMessage(
      ctx,
      ref,
      { body: 'pay 10 again', groupId: 'acct-1', deduplicationId: 'tx-1' },
      sender,
    );
    expect(later.messageId).not.toBe(first.messageId);
    expect(later.message.sequenceNumber! > first.message.sequenceNumber!).toBe(true);
    expect(await drain(ctx, ref)).toEqual(['pay 10 again']);
  });

  test('by content: the SHA-256 of the body, when the queue enables it and no id is given', async () => {
    const { ctx, clock } = fifoContext(tables);
    const ref = await newFifoQueue(ctx, { contentBasedDeduplication: true });
    const a = await sendMessage(ctx, ref, { body: 'same', groupId: 'g', attributes: {} }, sender);
    const b = await sendMessage(
      ctx,
      ref,
      { body: 'same', groupId: 'g', attributes: { k: { dataType: 'String', stringValue: 'v' } } },
      sender,
    );
    expect(b.messageId).toBe(a.messageId);
    expect(b.message.deduplicationId).toMatch(/^[0-9a-f]{64}$/);
    const c = await sendMessage(ctx, ref, { body: 'different', groupId: 'g' }, sender);
    expect(c.messageId).not.toBe(a.messageId);
    // An explicit id wins over the content.
    const d = await sendMessage(
      ctx,
      ref,
      { body: 'same', groupId: 'g', deduplicationId: 'explicit' },
      sender,
    );
    expect(d.messageId).not.toBe(a.messageId);
    clock.advance(minutes(5));
    const e = await sendMessage(ctx, ref, { body: 'same', groupId: 'g' }, sender);
    expect(e.messageId).not.toBe(a.messageId);
    expect(await drain(ctx, ref)).toEqual(['same', 'different', 'same', 'same']);
  });

  test('in a batch: a repeated id is a duplicate of its first entry; known ids answer with the original', async () => {
    const { ctx } = fifoContext(tables);
    const ref = await newFifoQueue(ctx);
    const original = await sendMessage(
      ctx,
      ref,
      { body: 'one', groupId: 'g', deduplicationId: 'd1' },
      sender,
    );
    const result = await sendMessageBatch(
      ctx,
      ref,
      [
        { id: 'a', body: 'one again', groupId: 'g', deduplicationId: 'd1' },
        { id: 'b', body: 'two', groupId: 'g', deduplicationId: 'd2' },
        { id: 'c', body: 'two again', groupId: 'h', deduplicationId: 'd2' },
        { id: 'd', body: 'three', groupId: 'g', deduplicationId: 'd3' },
      ],
      sender,
    );
    expect(result.failed).toEqual([]);
    const ids = Object.fromEntries(result.successful.map((s) => [s.id, s.messageId]));
    expect(ids.a).toBe(original.messageId);
    expect(ids.c).toBe(ids.b);
    expect(await drain(ctx, ref)).toEqual(['one', 'two', 'three']);
  });

  test('messageGroup scope: the same id in two groups is two messages', async () => {
    const { ctx } = fifoContext(tables);
    const ref = await newFifoQueue(ctx, {
      deduplicationScope: 'messageGroup',
      fifoThroughputLimit: 'perMessageGroupId',
    });
    const a = await sendMessage(ctx, ref, { body: 'a', groupId: 'g1', deduplicationId: 'same' }, sender);
    const b = await sendMessage(ctx, ref, { body: 'b', groupId: 'g2', deduplicationId: 'same' }, sender);
    const c = await sendMessage(ctx, ref, { body: 'c', groupId: 'g1', deduplicationId: 'same' }, sender);
    expect(b.messageId).not.toBe(a.messageId);
    expect(c.messageId).toBe(a.messageId);
    expect((await drain(ctx, ref)).sort()).toEqual(['a', 'b']);
  });

  test('turning content-based deduplication off requires ids again', async () => {
    const { ctx } = fifoContext(tables);
    const ref = await newFifoQueue(ctx, { contentBasedDeduplication: true });
    await sendMessage(ctx, ref, { body: 'x', groupId: 'g' }, sender);
    await updateQueue(ctx, { ref, settings: { contentBasedDeduplication: false } });
    await expect(sendMessage(ctx, ref, { body: 'y', groupId: 'g' }, sender)).rejects.toMatchObject({
      code: 'InvalidParameterValue',
      details: { field: 'deduplicationId' },
    });
  });
});
