import { beforeAll, describe, expect, test } from 'vitest';
import { deleteMessage } from '../../functions/queue/operations/acknowledge';
import { createQueue, getQueue, updateQueue } from '../../functions/queue/operations/queues';
import { receiveMessages } from '../../functions/queue/operations/receive';
import { sendMessage, sendMessageBatch } from '../../functions/queue/operations/send';
import type { TableNames } from '../../functions/store/table-layout';
import { freshTables, queueRef } from '../support/queue-fixture';
import { expectError, fifoContext, fifoRef, newFifoQueue, sender } from './fifo-fixture';

/** What FIFO queues refuse, and what standard queues keep doing. */
let tables: TableNames;
beforeAll(async () => {
  tables = await freshTables();
});

describe('FIFO queue settings', () => {
  test('the name decides the kind: .fifo with fifo: true, and FIFO settings only on FIFO queues', async () => {
    const { ctx } = fifoContext(tables);
    const fifo = fifoRef();
    await expectError(createQueue(ctx, { ref: fifo }), 'InvalidParameterValue');
    await expectError(createQueue(ctx, { ref: queueRef(), fifo: true }), 'InvalidParameterValue');
    await expectError(
      createQueue(ctx, { ref: queueRef(), settings: { contentBasedDeduplication: true } }),
      'InvalidParameterValue',
    );
    await expectError(
      createQueue(ctx, { ref: fifo, fifo: true, settings: { fifoThroughputLimit: 'perMessageGroupId' } }),
      'InvalidParameterValue',
    );
    const { queue, created } = await createQueue(ctx, { ref: fifo, fifo: true });
    expect(created).toBe(true);
    expect(queue).toMatchObject({
      fifo: true,
      contentBasedDeduplication: false,
      deduplicationScope: 'queue',
      fifoThroughputLimit: 'perQueue',
    });
    expect((await createQueue(ctx, { ref: fifo, fifo: true })).created).toBe(false);
    await expectError(
      createQueue(ctx, { ref: fifo, fifo: true, settings: { contentBasedDeduplication: true } }),
      'QueueNameExists',
    );
    const updated = await updateQueue(ctx, { ref: fifo, settings: { contentBasedDeduplication: true } });
    expect(updated.contentBasedDeduplication).toBe(true);
    await expectError(
      createQueue(ctx, { ref: { ...fifo, name: `${'x'.repeat(76)}.fifo` }, fifo: true }),
      'InvalidParameterValue',
    );
    expect((await getQueue(ctx, fifo)).fifo).toBe(true);
  });

  test('dead-letter queues are of the same kind as their source', async () => {
    const { ctx } = fifoContext(tables);
    const standard = queueRef('dlq');
    await createQueue(ctx, { ref: standard });
    const fifoDlq = await newFifoQueue(ctx);
    await expectError(
      createQueue(ctx, {
        ref: fifoRef(),
        fifo: true,
        settings: { deadLetterQueue: standard.name, maxReceiveCount: 3 },
      }),
      'InvalidParameterValue',
    );
    await expectError(
      createQueue(ctx, { ref: queueRef(), settings: { deadLetterQueue: fifoDlq.name, maxReceiveCount: 3 } }),
      'InvalidParameterValue',
    );
    const source = await newFifoQueue(ctx, { deadLetterQueue: fifoDlq.name, maxReceiveCount: 3 });
    expect((await getQueue(ctx, source)).deadLetterQueue).toBe(fifoDlq.name);
  });
});

describe('FIFO sends refuse what SQS refuses', () => {
  test('a group id is required, per-message delays are refused, ids are checked', async () => {
    const { ctx } = fifoContext(tables);
    const ref = await newFifoQueue(ctx, { contentBasedDeduplication: true });
    await expectError(sendMessage(ctx, ref, { body: 'x' }, sender), 'MissingParameter');
    await expectError(
      sendMessage(ctx, ref, { body: 'x', groupId: 'g', delaySeconds: 5 }, sender),
      'InvalidParameterValue',
    );
    await expectError(
      sendMessage(ctx, ref, { body: 'x', groupId: 'a group' }, sender),
      'InvalidParameterValue',
    );
    await expectError(
      sendMessage(ctx, ref, { body: 'x', groupId: 'g'.repeat(129) }, sender),
      'InvalidParameterValue',
    );
    await expectError(
      sendMessage(ctx, ref, { body: 'x', groupId: 'g', deduplicationId: 'é' }, sender),
      'InvalidParameterValue',
    );
    // DelaySeconds=0 is accepted, as SQS does; punctuation is allowed in ids.
    const sent = await sendMessage(ctx, ref, { body: 'x', groupId: 'order#42/a', delaySeconds: 0 }, sender);
    expect(sent.message.sequenceNumber).toMatch(/^\d{20}$/);
    const batch = await sendMessageBatch(
      ctx,
      ref,
      [
        { id: 'ok', body: 'y', groupId: 'g' },
        { id: 'nogroup', body: 'z' },
        { id: 'delayed', body: 'w', groupId: 'g', delaySeconds: 1 },
      ],
      sender,
    );
    expect(batch.successful.map((s) => s.id)).toEqual(['ok']);
    expect(batch.failed.map((f) => [f.id, f.code])).toEqual([
      ['nogroup', 'MissingParameter'],
      ['delayed', 'InvalidParameterValue'],
    ]);
    const received = await receiveMessages(ctx, ref, { maxMessages: 10 });
    const message = received.find((m) => m.groupId === 'order#42/a');
    expect(message).toMatchObject({
      groupId: 'order#42/a',
      body: 'x',
      sequenceNumber: sent.message.sequenceNumber,
    });
  });

  test('without content-based deduplication a deduplication id is required', async () => {
    const { ctx } = fifoContext(tables);
    const ref = await newFifoQueue(ctx);
    await expectError(sendMessage(ctx, ref, { body: 'x', groupId: 'g' }, sender), 'InvalidParameterValue');
  });
});

describe('standard queues keep standard semantics', () => {
  test('a group id is kept but does not order or block; deduplication ids are refused', async () => {
    const { ctx } = fifoContext(tables);
    const ref = queueRef('std');
    await createQueue(ctx, { ref });
    await expectError(
      sendMessage(ctx, ref, { body: 'x', deduplicationId: 'd' }, sender),
      'InvalidParameterValue',
    );
    for (let i = 0; i < 3; i++) await sendMessage(ctx, ref, { body: `m${i}`, groupId: 'g' }, sender);
    const first = await receiveMessages(ctx, ref, { maxMessages: 1 });
    const rest = await receiveMessages(ctx, ref, { maxMessages: 10 });
    // A standard queue delivers more of the same group while one is in flight.
    expect(first.length + rest.length).toBe(3);
    expect([...first, ...rest].every((m) => m.groupId === 'g' && m.sequenceNumber === undefined)).toBe(true);
    for (const m of [...first, ...rest]) await deleteMessage(ctx, ref, m.receiptHandle);
  });
});
