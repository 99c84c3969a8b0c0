import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { deleteMessage, deleteMessageBatch } from '../../functions/queue/operations/acknowledge';
import { runMoveTasks, startMoveTask } from '../../functions/queue/operations/move-tasks';
import { createQueue, purgeQueue } from '../../functions/queue/operations/queues';
import { receiveMessages } from '../../functions/queue/operations/receive';
import { sendMessage, sendMessageBatch } from '../../functions/queue/operations/send';
import { sweep } from '../../functions/queue/operations/sweep';
import type { TableNames } from '../../functions/store/table-layout';
import { fifoContext, newFifoQueue } from '../fifo/fifo-fixture';
import { type LocalS3, startLocalS3 } from '../support/local-s3';
import { freshTables, queueContext, queueRef } from '../support/queue-fixture';

/**
 * Large bodies through the whole lifecycle with the S3 body store on (a local s3rver): bodies
 * above the threshold live in S3 and nowhere else, small ones stay in DynamoDB, and every way a
 * message leaves (delete, batch delete, purge, expiry, dead-letter move, redrive) takes its object
 * with it while the message that remains can still be read.
 */
let tables: TableNames;
let s3: LocalS3;
const threshold = 8_192;
beforeAll(async () => {
  [tables, s3] = await Promise.all([freshTables(), startLocalS3()]);
});
afterAll(async () => {
  await s3?.stop();
});
const sender = { senderId: 'tester' };
const large = (n: number) => `${n}:${'€a😀'.repeat((200 * 1024) / 9)}`;

const bodies = () => s3.bodyStore(threshold);
const fixture = () => queueContext(tables, { bodies: bodies() });

async function objectKeys(): Promise<string[]> {
  const out = await s3.client.send(new ListObjectsV2Command({ Bucket: s3.bucket }));
  return (out.Contents ?? []).map((o) => o.Key!).sort();
}

describe('bodies above the threshold live in S3', () => {
  test('send, receive and delete: the object exists while the message does, and only then', async () => {
    const { ctx } = fixture();
    const ref = queueRef('s3-one');
    await createQueue(ctx, { ref });
    const body = large(1);
    const sent = await sendMessage(ctx, ref, { body }, sender);
    expect((await objectKeys()).filter((k) => k.endsWith(`/${sent.messageId}`))).toHaveLength(1);
    const [received] = await receiveMessages(ctx, ref);
    expect(received?.body === body).toBe(true);
    await deleteMessage(ctx, ref, received!.receiptHandle);
    expect(await objectKeys()).toEqual([]);
  });

  test('a body at or below the threshold stays in DynamoDB: no S3 request', async () => {
    const { ctx } = fixture();
    const ref = queueRef('s3-small');
    await createQueue(ctx, { ref });
    const before = { ...s3.requests };
    const body = 'x'.repeat(threshold);
    await sendMessage(ctx, ref, { body }, sender);
    const [received] = await receiveMessages(ctx, ref);
    expect(received?.body).toBe(body);
    await deleteMessage(ctx, ref, received!.receiptHandle);
    expect({ ...s3.requests }).toEqual(before);
  });

  test('batches: a batch send mixing sizes, a batch receive and a batch delete', async () => {
    const { ctx } = fixture();
    const ref = queueRef('s3-batch');
    await createQueue(ctx, { ref });
    const entries = Array.from({ length: 4 }, (_, i) => ({
      id: `e${i}`,
      body: i % 2 === 0 ? `${i}:${'b'.repeat(100_000)}` : `small ${i}`,
    }));
    const sent = await sendMessageBatch(ctx, ref, entries, sender);
    expect(sent.failed).toEqual([]);
    expect(await objectKeys()).toHaveLength(2);
    const received = await receiveMessages(ctx, ref, { maxMessages: 10 });
    expect(received.map((m) => m.body).sort()).toEqual(entries.map((e) => e.body).sort());
    const deleted = await deleteMessageBatch(
      ctx,
      ref,
      received.map((m, i) => ({ id: `d${i}`, receiptHandle: m.receiptHandle })),
    );
    expect(deleted.failed).toEqual([]);
    expect(await objectKeys()).toEqual([]);
  });

  test('FIFO: large bodies keep their order and go with their messages', async () => {
    // Tables of its own: the sweeps of the other tests walk every queue of theirs.
    const { ctx } = fifoContext(await freshTables(), { bodies: bodies() });
    const ref = await newFifoQueue(ctx, { contentBasedDeduplication: true });
    for (const n of [1, 2, 3]) {
      await sendMessage(ctx, ref, { body: large(n), groupId: 'g' }, sender);
    }
    expect(await objectKeys()).toHaveLength(3);
    const received = await receiveMessages(ctx, ref, { maxMessages: 10 });
    expect(received.map((m) => m.body.split(':')[0])).toEqual(['1', '2', '3']);
    expect(received[2]?.body === large(3)).toBe(true);
    for (const m of received) await deleteMessage(ctx, ref, m.receiptHandle);
    expect(await objectKeys()).toEqual([]);
    // A FIFO purge takes the objects of what it removes.
    for (const n of [6, 7]) await sendMessage(ctx, ref, { body: large(n), groupId: 'h' }, sender);
    expect(await objectKeys()).toHaveLength(2);
    await purgeQueue(ctx, ref);
    await sweep(ctx);
    expect(await objectKeys()).toEqual([]);
  });

  test('purge removes the objects of the purged messages', async () => {
    const { ctx } = fixture();
    const ref = queueRef('s3-purge');
    await createQueue(ctx, { ref });
    await sendMessageBatch(
      ctx,
      ref,
      [0, 1, 2].map((i) => ({ id: `e${i}`, body: `${i}:${'p'.repeat(50_000)}` })),
      sender,
    );
    expect(await objectKeys()).toHaveLength(3);
    await purgeQueue(ctx, ref);
    await sweep(ctx);
    expect(await objectKeys()).toEqual([]);
  });

  test('expiry: the sweeper removes an expired message and its object', async () => {
    const { ctx, clock } = fixture();
    const ref = queueRef('s3-expiry');
    await createQueue(ctx, { ref, settings: { retentionSeconds: 60 } });
    await sendMessage(ctx, ref, { body: large(4) }, sender);
    expect(await objectKeys()).toHaveLength(1);
    clock.advance(61_000);
    expect((await sweep(ctx)).expired).toBe(1);
    expect(await objectKeys()).toEqual([]);
  });

  test('a dead-letter move and a redrive keep the body readable, one object at a time', async () => {
    const { ctx, clock } = fixture();
    const dlq = queueRef('s3-dlq');
    const source = queueRef('s3-src');
    await createQueue(ctx, { ref: dlq });
    await createQueue(ctx, {
      ref: source,
      settings: { deadLetterQueue: dlq.name, maxReceiveCount: 1, visibilityTimeoutSeconds: 10 },
    });
    const body = large(5);
    await sendMessage(ctx, source, { body }, sender);
    expect(await receiveMessages(ctx, source)).toHaveLength(1);
    clock.advance(11_000);
    expect((await sweep(ctx)).deadLettered).toBe(1);
    const [before] = await objectKeys();
    expect(await objectKeys()).toHaveLength(1);

    await startMoveTask(ctx, { source: dlq });
    await runMoveTasks(ctx, { budgetMs: 5_000 });
    const keys = await objectKeys();
    expect(keys).toHaveLength(1);
    expect(keys[0]).not.toBe(before);
    const [redriven] = await receiveMessages(ctx, source);
    expect(redriven?.body === body).toBe(true);
    await deleteMessage(ctx, source, redriven!.receiptHandle);
    expect(await objectKeys()).toEqual([]);
  });
});
