import { beforeAll, describe, expect, test } from 'vitest';
import { deleteMessage, deleteMessageBatch } from '../../functions/queue/operations/acknowledge';
import { receiveMessages } from '../../functions/queue/operations/receive';
import { sendMessage, sendMessageBatch } from '../../functions/queue/operations/send';
import type { TableNames } from '../../functions/store/table-layout';
import { freshTables } from '../support/queue-fixture';
import { fifoContext, newFifoQueue, sender } from './fifo-fixture';

/**
 * Capacity units per FIFO operation, as DynamoDB Local reports them (ReturnConsumedCapacity
 * INDEXES): printed for README-fifo.md and bounded so a regression shows.
 */
let tables: TableNames;
beforeAll(async () => {
  tables = await freshTables();
});

const reads = new Set([
  'fifoFindGroups',
  'fifoReadGroup',
  'fifoGetMessage',
  'fifoLastSequence',
  'fifoGetAttempt',
  'fifoFindDue',
  'readArrivalTick',
]);

describe('FIFO capacity', () => {
  test('units per operation for small messages', async () => {
    const { ctx, capacity } = fifoContext(tables, { shards: 1 });
    const ref = await newFifoQueue(ctx, { contentBasedDeduplication: true });
    const rows: string[] = [];
    const measure = async (label: string, action: () => Promise<unknown>) => {
      capacity.clear();
      await action();
      const write = capacity.total((op) => !reads.has(op));
      const read = capacity.total((op) => reads.has(op));
      const calls = [...new Set(capacity.entries.map((e) => e.operation))].join(', ');
      rows.push(
        `${label.padEnd(34)} write ${write.table} + index ${write.index}, read ${read.table} + index ${read.index}  (${calls})`,
      );
      return { write, read };
    };
    const body = 'x'.repeat(700);
    // The first send of a process reads the group's last number once; later ones know it.
    await measure('send 1 (new group)', () =>
      sendMessage(ctx, ref, { body: `${body}0`, groupId: 'g' }, sender),
    );
    const send = await measure('send 1 (known group)', () =>
      sendMessage(ctx, ref, { body: `${body}1`, groupId: 'g' }, sender),
    );
    await measure('send batch of 10 (one group)', () =>
      sendMessageBatch(
        ctx,
        ref,
        Array.from({ length: 10 }, (_, k) => ({ id: `e${k}`, body: `${body}b${k}`, groupId: 'g' })),
        sender,
      ),
    );
    let messages: Awaited<ReturnType<typeof receiveMessages>> = [];
    const receive = await measure('receive 1', async () => {
      messages = await receiveMessages(ctx, ref, { maxMessages: 1 });
    });
    expect(messages).toHaveLength(1);
    const remove = await measure('delete 1 (last of its lease)', () =>
      deleteMessage(ctx, ref, messages[0]!.receiptHandle),
    );
    await measure('receive 10', async () => {
      messages = await receiveMessages(ctx, ref, { maxMessages: 10 });
    });
    expect(messages).toHaveLength(10);
    await measure('delete 1 (others of its lease left)', () =>
      deleteMessage(ctx, ref, messages[0]!.receiptHandle),
    );
    await measure('delete batch of 9 (rest of the lease)', () =>
      deleteMessageBatch(
        ctx,
        ref,
        messages.slice(1).map((m, n) => ({ id: `d${n}`, receiptHandle: m.receiptHandle })),
      ),
    );
    console.log(`[fifo capacity]\n${rows.join('\n')}`);
    // A send is one transaction of three items (message, deduplication record, group).
    expect(send.write.table).toBeLessThanOrEqual(6);
    expect(receive.write.table).toBeLessThanOrEqual(2);
    expect(remove.write.table).toBeLessThanOrEqual(2);
  });
});
