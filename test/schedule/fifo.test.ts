import { performance } from 'node:perf_hooks';
import { beforeAll, describe, expect, test } from 'vitest';
import type { QueueContext } from '../../functions/queue/context';
import { fifoKind } from '../../functions/queue/fifo/kind';
import type { QueueRef } from '../../functions/queue/model';
import { deleteMessage } from '../../functions/queue/operations/acknowledge';
import { cancelScheduledMessage } from '../../functions/queue/operations/cancel-scheduled';
import { describeQueueDepth } from '../../functions/queue/operations/depth';
import { peekMessages } from '../../functions/queue/operations/peek';
import { receiveMessages } from '../../functions/queue/operations/receive';
import { sendMessage, sendMessageBatch } from '../../functions/queue/operations/send';
import { DynamoInspectionStore } from '../../functions/store/inspection-store';
import type { TableNames } from '../../functions/store/table-layout';
import { expectError, fifoContext, newFifoQueue, sender } from '../fifo/fifo-fixture';
import { dynamoClient, freshTables } from '../support/queue-fixture';

/** Scheduled delivery on FIFO queues, on DynamoDB Local, with a hand-moved clock. */
let tables: TableNames;
beforeAll(async () => {
  tables = await freshTables();
});

function setup() {
  const fixture = fifoContext(tables, { shards: 2 });
  fixture.ctx.inspection = new DynamoInspectionStore({ client: dynamoClient(), tables });
  return fixture;
}

const hour = 3_600_000;
const at = (ms: number) => new Date(ms).toISOString();
const send = (ctx: QueueContext, ref: QueueRef, body: string, extra: Record<string, unknown> = {}) =>
  sendMessage(ctx, ref, { body, groupId: 'g', deduplicationId: body, ...extra }, sender);
const receive = (ctx: QueueContext, ref: QueueRef) =>
  receiveMessages(ctx, ref, { maxMessages: 10, visibilityTimeoutSeconds: 30 });

async function drain(ctx: QueueContext, ref: QueueRef): Promise<string[]> {
  const got = await receive(ctx, ref);
  for (const m of got) await deleteMessage(ctx, ref, m.receiptHandle);
  return got.map((m) => m.body);
}

describe('scheduled delivery (FIFO queue)', () => {
  test('a scheduled message does not block its group until it is due', async () => {
    const { ctx, clock } = setup();
    const ref = await newFifoQueue(ctx);
    const scheduled = await send(ctx, ref, 'later', { deliverAt: at(clock.now() + hour) });
    // No sequence number yet: it takes one when it joins its group.
    expect(scheduled.message.sequenceNumber).toBe('');
    await send(ctx, ref, 'now');
    expect(await drain(ctx, ref)).toEqual(['now']);
    clock.advance(hour - 1);
    expect(await drain(ctx, ref)).toEqual([]);
    clock.advance(1);
    const [got] = await receive(ctx, ref);
    expect(got?.body).toBe('later');
    expect(got?.id).toBe(scheduled.messageId);
    expect(got?.sequenceNumber).toMatch(/^\d{20}$/);
  });

  test('its place in the group is taken when it joins (when due), behind what came before', async () => {
    const { ctx, clock } = setup();
    const ref = await newFifoQueue(ctx);
    await send(ctx, ref, 's', { deliverAt: at(clock.now() + 10_000) });
    await send(ctx, ref, 'x');
    clock.advance(10_000);
    // The receive moves s into the group behind x; y, sent afterwards, follows s.
    const first = await receive(ctx, ref);
    await send(ctx, ref, 'y');
    expect(first.map((m) => m.body)).toEqual(['x', 's']);
    for (const m of first) await deleteMessage(ctx, ref, m.receiptHandle);
    expect(await drain(ctx, ref)).toEqual(['y']);
  });

  test('deduplication holds across scheduled and ordinary sends', async () => {
    const { ctx, clock } = setup();
    const ref = await newFifoQueue(ctx);
    const original = await send(ctx, ref, 'a', { deliverAt: at(clock.now() + hour) });
    const repeat = await send(ctx, ref, 'a');
    expect(repeat.messageId).toBe(original.messageId);
    const plain = await send(ctx, ref, 'b');
    const repeatScheduled = await send(ctx, ref, 'b', { deliverAt: at(clock.now() + hour) });
    expect(repeatScheduled.messageId).toBe(plain.messageId);
    expect(repeatScheduled.message.sequenceNumber).toBe(plain.message.sequenceNumber);
    expect(await drain(ctx, ref)).toEqual(['b']);
    clock.advance(hour);
    expect(await drain(ctx, ref)).toEqual(['a']);
    expect(await drain(ctx, ref)).toEqual([]);
  });

  test('cancel: never delivered; 409 once it joined its group; 404 for no such message', async () => {
    const { ctx, clock } = setup();
    const ref = await newFifoQueue(ctx);
    const dropped = await send(ctx, ref, 'drop', { deliverAt: at(clock.now() + hour) });
    const kept = await send(ctx, ref, 'keep', { deliverAt: at(clock.now() + hour) });
    await cancelScheduledMessage(ctx, ref, dropped.messageId);
    await expectError(cancelScheduledMessage(ctx, ref, dropped.messageId), 'MessageNotFound');
    clock.advance(hour);
    expect(await drain(ctx, ref)).toEqual(['keep']);
    await expectError(cancelScheduledMessage(ctx, ref, kept.messageId), 'MessageNotScheduled');
    clock.advance(10 * hour);
    expect(await drain(ctx, ref)).toEqual([]);
  });

  test('counts: a scheduled message is delayed until due, then visible; a cancelled one is not counted', async () => {
    const { ctx, clock } = setup();
    const ref = await newFifoQueue(ctx);
    await send(ctx, ref, 'soon', { deliverAt: at(clock.now() + hour) });
    const dropped = await send(ctx, ref, 'drop', { deliverAt: at(clock.now() + hour) });
    await send(ctx, ref, 'later', { deliverAt: at(clock.now() + 2 * hour) });
    await send(ctx, ref, 'now');
    const counts = async () => {
      const { depth } = await describeQueueDepth(ctx, ref);
      return { visible: depth.visible, inFlight: depth.inFlight, delayed: depth.delayed };
    };
    expect(await counts()).toEqual({ visible: 1, inFlight: 0, delayed: 3 });
    await cancelScheduledMessage(ctx, ref, dropped.messageId);
    expect(await counts()).toEqual({ visible: 1, inFlight: 0, delayed: 2 });
    clock.advance(hour);
    // Due, not yet moved into its group by a receive or sweep: visible all the same.
    expect(await counts()).toEqual({ visible: 2, inFlight: 0, delayed: 1 });
    expect(await drain(ctx, ref)).toEqual(['now', 'soon']);
    expect(await counts()).toEqual({ visible: 0, inFlight: 0, delayed: 1 });
  });

  test('a settings update made from an older read keeps the scheduling mark a send set meanwhile', async () => {
    const { ctx, clock } = setup();
    const ref = await newFifoQueue(ctx);
    const stale = await ctx.store.getQueue(ref);
    expect(stale?.scheduling).toBeUndefined();
    await send(ctx, ref, 'later', { deliverAt: at(clock.now() + hour) });
    expect(await ctx.store.updateQueue({ ...stale!, visibilityTimeoutSeconds: 45 })).toBe(true);
    const after = await ctx.store.getQueue(ref);
    expect(after).toMatchObject({ visibilityTimeoutSeconds: 45, scheduling: true });
    // Receives of another process (no cached record) still find the message when it is due.
    clock.advance(hour);
    const fresh = setup();
    fresh.clock.set(clock.now());
    expect(await drain(fresh.ctx, ref)).toEqual(['later']);
  });

  test('batches: scheduled and ordinary entries together', async () => {
    const { ctx, clock } = setup();
    const ref = await newFifoQueue(ctx);
    const result = await sendMessageBatch(
      ctx,
      ref,
      [
        { id: '1', body: 'one', groupId: 'g', deduplicationId: '1', deliverAt: at(clock.now() + hour) },
        { id: '2', body: 'two', groupId: 'g', deduplicationId: '2' },
      ],
      sender,
    );
    expect(result.successful.map((s) => s.id)).toEqual(['1', '2']);
    expect(await drain(ctx, ref)).toEqual(['two']);
    clock.advance(hour);
    expect(await drain(ctx, ref)).toEqual(['one']);
  });

  test('peek lists scheduled messages (not yet in their group) with state=delayed', async () => {
    const { ctx, clock } = setup();
    const ref = await newFifoQueue(ctx);
    const scheduled = await send(ctx, ref, 'later', { deliverAt: at(clock.now() + hour) });
    await send(ctx, ref, 'now');
    const all = await peekMessages(ctx, ref);
    expect(all.map((p) => [p.message.body, p.state])).toEqual([['now', 'visible']]);
    const delayed = await peekMessages(ctx, ref, { state: 'delayed' });
    expect(delayed.map((p) => p.message.id)).toEqual([scheduled.messageId]);
    expect(delayed[0]?.message.visibleAt).toBe(clock.now() + hour);
  });

  test('the sweeper moves due messages into their groups', async () => {
    const { ctx, clock } = setup();
    const ref = await newFifoQueue(ctx);
    await send(ctx, ref, 'due', { deliverAt: at(clock.now() + 1_000) });
    clock.advance(1_000);
    const queue = await ctx.queues.require(ref);
    const report = { queues: 0, deadLettered: 0, expired: 0, purged: 0, complete: false };
    expect(
      await fifoKind.sweep(ctx, queue, { pageSize: 10, deadline: performance.now() + 10_000 }, report),
    ).toBe(true);
    expect(await ctx.fifo!.findDueScheduled(queue.id, clock.now(), 10)).toEqual([]);
    const peeked = await peekMessages(ctx, ref);
    expect(peeked.map((p) => [p.message.body, p.state])).toEqual([['due', 'visible']]);
    expect(peeked[0]?.message.sequenceNumber).toMatch(/^\d{20}$/);
  });

  test('a FIFO queue that never scheduled makes no extra call per receive', async () => {
    const { ctx, capacity } = setup();
    const plain = await newFifoQueue(ctx);
    await send(ctx, plain, 'x');
    capacity.clear();
    await drain(ctx, plain);
    expect(capacity.entries.map((e) => e.operation)).not.toContain('fifoFindDue');
    const scheduling = await newFifoQueue(ctx);
    await send(ctx, scheduling, 'y', { deliverAt: at(ctx.clock.now() + hour) });
    capacity.clear();
    await drain(ctx, scheduling);
    expect(capacity.entries.map((e) => e.operation)).toContain('fifoFindDue');
  });
});
