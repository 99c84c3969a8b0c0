import { beforeAll, describe, expect, test } from 'vitest';
import { deleteMessage } from '../../functions/queue/operations/acknowledge';
import { receiveMessages } from '../../functions/queue/operations/receive';
import { sendMessage, sendMessageBatch } from '../../functions/queue/operations/send';
import type { TableNames } from '../../functions/store/table-layout';
import { freshTables } from '../support/queue-fixture';
import { fifoContext, newFifoQueue, sender } from './fifo-fixture';

let tables: TableNames;
beforeAll(async () => {
  tables = await freshTables();
});

describe('FIFO basics', () => {
  test('a group delivers in order, one lease at a time', async () => {
    const { ctx } = fifoContext(tables);
    const ref = await newFifoQueue(ctx, { contentBasedDeduplication: true });
    const sent = [];
    for (let i = 0; i < 5; i++)
      sent.push(await sendMessage(ctx, ref, { body: `m${i}`, groupId: 'g1' }, sender));
    expect(sent.map((s) => s.message.sequenceNumber)).toEqual(
      [...sent.map((s) => s.message.sequenceNumber)].sort(),
    );
    const first = await receiveMessages(ctx, ref, { maxMessages: 2 });
    expect(first.map((m) => m.body)).toEqual(['m0', 'm1']);
    expect(await receiveMessages(ctx, ref, { maxMessages: 10 })).toEqual([]);
    await deleteMessage(ctx, ref, first[0]!.receiptHandle);
    expect(await receiveMessages(ctx, ref, { maxMessages: 10 })).toEqual([]);
    await deleteMessage(ctx, ref, first[1]!.receiptHandle);
    const second = await receiveMessages(ctx, ref, { maxMessages: 10 });
    expect(second.map((m) => m.body)).toEqual(['m2', 'm3', 'm4']);
    for (const m of second) await deleteMessage(ctx, ref, m.receiptHandle);
    expect(await receiveMessages(ctx, ref, { maxMessages: 10 })).toEqual([]);
    const batch = await sendMessageBatch(
      ctx,
      ref,
      [
        { id: 'a', body: 'x1', groupId: 'g2' },
        { id: 'b', body: 'x2', groupId: 'g2' },
      ],
      sender,
    );
    expect(batch.successful).toHaveLength(2);
    const third = await receiveMessages(ctx, ref, { maxMessages: 10 });
    expect(third.map((m) => m.body)).toEqual(['x1', 'x2']);
  });
});
