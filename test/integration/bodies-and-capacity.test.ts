import { beforeAll, describe, expect, test } from 'vitest';
import { deleteMessage, deleteMessageBatch } from '../../functions/queue/operations/acknowledge';
import { createQueue } from '../../functions/queue/operations/queues';
import { receiveMessages } from '../../functions/queue/operations/receive';
import { sendMessage, sendMessageBatch } from '../../functions/queue/operations/send';
import type { TableNames } from '../../functions/store/table-layout';
import { freshTables, queueContext, queueRef } from '../support/queue-fixture';

/**
 * Bodies of every size survive the round trip, and what DynamoDB Local reports as consumed
 * capacity shows the cost rules of the design (shared/FACTS.md): a lease write costs the same
 * whatever the body size.
 */
let tables: TableNames;
beforeAll(async () => {
  tables = await freshTables();
});
const sender = { senderId: 'tester' };

describe('message bodies', () => {
  test.each([
    ['1 character', 'x'],
    ['1 KB with multi-byte characters', 'é€😀'.repeat(120)],
    ['256 KB', 'a'.repeat(256 * 1024)],
    ['1 MB of 3-byte characters split across parts', '€'.repeat(349_000)],
  ])('%s round-trips exactly', async (_, body) => {
    const { ctx } = queueContext(tables);
    const ref = queueRef('body');
    await createQueue(ctx, { ref });
    const attributes = {
      kind: { dataType: 'String', stringValue: 'test' },
      raw: { dataType: 'Binary', binaryValue: 'AAEC' },
    };
    const sent = await sendMessage(ctx, ref, { body, attributes }, sender);
    const [received] = await receiveMessages(ctx, ref);
    expect(received?.id).toBe(sent.messageId);
    expect(received?.body.length).toBe(body.length);
    expect(received?.body === body).toBe(true);
    expect(received?.attributes).toEqual(attributes);
    await deleteMessage(ctx, ref, received!.receiptHandle);
    expect(await receiveMessages(ctx, ref)).toEqual([]);
  });
});

describe('consumed capacity (ReturnConsumedCapacity on DynamoDB Local)', () => {
  async function lifecycle(bodyBytes: number) {
    const fixture = queueContext(tables, { shards: 1 });
    const { ctx, capacity } = fixture;
    const ref = queueRef('cost');
    await createQueue(ctx, { ref });
    await receiveMessages(ctx, ref); // warm the queue cache: settings reads are not per message
    capacity.clear();
    await sendMessage(ctx, ref, { body: 'x'.repeat(bodyBytes) }, sender);
    // Not per message: a sending process bumps the arrival tick at most once a second (1 unit).
    const send = capacity.total((op) => op !== 'bumpArrivalTick');
    capacity.clear();
    const [m] = await receiveMessages(ctx, ref);
    const lease = capacity.total((op) => op === 'lease');
    const receiveReads = capacity.total((op) => op !== 'lease');
    capacity.clear();
    await deleteMessage(ctx, ref, m!.receiptHandle);
    const remove = capacity.total();
    return { send, lease, receiveReads, remove };
  }

  test('a lease write on a 200 KB message costs no more than on a 1 KB message', async () => {
    // 800 bytes of body keep the whole item, with its lease, within 1 KB: a "1 KB message".
    const small = await lifecycle(800);
    const large = await lifecycle(200 * 1024);
    console.log('capacity per lifecycle, 800 B body:', JSON.stringify(small));
    console.log('capacity per lifecycle, 200 KB body:', JSON.stringify(large));
    expect(large.lease.table).toBeLessThanOrEqual(small.lease.table);
    expect(large.lease.index).toBe(small.lease.index);
    const writes = (r: typeof small) =>
      r.send.table + r.send.index + r.lease.table + r.lease.index + r.remove.table + r.remove.index;
    // The plain single-item design costs 7 write units per 1 KB lifecycle; do no worse.
    expect(writes(small)).toBeLessThanOrEqual(7);
  });

  test('a batch of 10 sends and a batch of 10 deletes each take one round trip of parallel conditional writes', async () => {
    const { ctx, capacity } = queueContext(tables, { shards: 2 });
    const ref = queueRef('rounds');
    await createQueue(ctx, { ref, settings: { visibilityTimeoutSeconds: 300 } });
    await receiveMessages(ctx, ref);
    capacity.clear();
    const entries = Array.from({ length: 10 }, (_, i) => ({ id: `m${i}`, body: `message ${i}` }));
    await sendMessageBatch(ctx, ref, entries, sender);
    expect(new Set(capacity.entries.map((e) => e.operation))).toEqual(
      new Set(['putMessages', 'bumpArrivalTick']),
    );
    const received = await receiveMessages(ctx, ref, { maxMessages: 10 });
    expect(received).toHaveLength(10);
    capacity.clear();
    const result = await deleteMessageBatch(
      ctx,
      ref,
      received.map((m, i) => ({ id: `d${i}`, receiptHandle: m.receiptHandle })),
    );
    expect(result.successful).toHaveLength(10);
    // One conditional write per message (the tombstone update), sent in parallel: no read first.
    expect(capacity.entries.map((e) => e.operation)).toEqual(Array(10).fill('deleteMessage'));
    expect(await receiveMessages(ctx, ref, { maxMessages: 10 })).toEqual([]);
  });
});
