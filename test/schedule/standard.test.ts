import { beforeAll, describe, expect, test } from 'vitest';
import type { QueueContext } from '../../functions/queue/context';
import type { QueueRef } from '../../functions/queue/model';
import { cancelScheduledMessage } from '../../functions/queue/operations/cancel-scheduled';
import { peekMessages } from '../../functions/queue/operations/peek';
import { createQueue, updateQueue } from '../../functions/queue/operations/queues';
import { receiveMessages } from '../../functions/queue/operations/receive';
import { sendMessage, sendMessageBatch } from '../../functions/queue/operations/send';
import { DynamoInspectionStore } from '../../functions/store/inspection-store';
import type { TableNames } from '../../functions/store/table-layout';
import { expectError, sender } from '../fifo/fifo-fixture';
import { dynamoClient, freshTables, queueContext, queueRef } from '../support/queue-fixture';

/** Scheduled delivery and cancel on standard queues, on DynamoDB Local, with a hand-moved clock. */
let tables: TableNames;
beforeAll(async () => {
  tables = await freshTables();
});

const day = 86_400_000;

function setup() {
  const fixture = queueContext(tables);
  fixture.ctx.inspection = new DynamoInspectionStore({ client: dynamoClient(), tables });
  return fixture;
}

async function newQueue(ctx: QueueContext, retentionSeconds?: number): Promise<QueueRef> {
  const ref = queueRef('sched');
  await createQueue(ctx, { ref, settings: retentionSeconds === undefined ? {} : { retentionSeconds } });
  return ref;
}

const receiveAll = (ctx: QueueContext, ref: QueueRef) => receiveMessages(ctx, ref, { maxMessages: 10 });

describe('scheduled delivery (standard queue)', () => {
  test('deliverAt holds a message until its time, to the millisecond of the clock', async () => {
    const { ctx, clock } = setup();
    const ref = await newQueue(ctx, 30 * 86_400);
    const at = new Date(clock.now() + 20 * day).toISOString();
    const sent = await sendMessage(ctx, ref, { body: 'later', deliverAt: at }, sender);
    expect(sent.message.visibleAt).toBe(Date.parse(at));
    expect(await receiveAll(ctx, ref)).toEqual([]);
    clock.advance(20 * day - 1);
    expect(await receiveAll(ctx, ref)).toEqual([]);
    clock.advance(1);
    const got = await receiveAll(ctx, ref);
    expect(got.map((m) => m.body)).toEqual(['later']);
  });

  test('delaySeconds beyond 900 up to the retention; past it a 400 that names the limit', async () => {
    const { ctx, clock } = setup();
    const ref = await newQueue(ctx, 7_200);
    await sendMessage(ctx, ref, { body: 'in an hour', delaySeconds: 3_600 }, sender);
    const error = await expectError(
      sendMessage(ctx, ref, { body: 'too late', delaySeconds: 7_201 }, sender),
      'InvalidParameterValue',
    );
    expect(error.message).toContain('an integer from 0 to 7,200');
    const late = new Date(clock.now() + 7_300_000).toISOString();
    const refused = await expectError(
      sendMessage(ctx, ref, { body: 'too late', deliverAt: late }, sender),
      'InvalidParameterValue',
    );
    expect(refused.message).toContain('7,200 seconds');
    clock.advance(3_599_000);
    expect(await receiveAll(ctx, ref)).toEqual([]);
    clock.advance(1_000);
    expect((await receiveAll(ctx, ref)).map((m) => m.body)).toEqual(['in an hour']);
  });

  test('never two ways of scheduling at once; malformed instants are refused', async () => {
    const { ctx, clock } = setup();
    const ref = await newQueue(ctx);
    const at = new Date(clock.now() + 60_000).toISOString();
    const both = await expectError(
      sendMessage(ctx, ref, { body: 'x', deliverAt: at, delaySeconds: 5 }, sender),
      'InvalidParameterValue',
    );
    expect(both.message).toContain('delaySeconds must be absent when deliverAt is given');
    await expectError(
      sendMessage(
        ctx,
        ref,
        { body: 'x', deliverAt: at, attributes: { 'dq.DeliverAt': { dataType: 'String', stringValue: at } } },
        sender,
      ),
      'InvalidParameterValue',
    );
    for (const bad of ['2030-01-01', '2030-01-01T10:00:00', 'tomorrow', '2030-13-45T10:00:00Z']) {
      const error = await expectError(
        sendMessage(ctx, ref, { body: 'x', deliverAt: bad }, sender),
        'InvalidParameterValue',
      );
      expect(error.message).toContain('ISO 8601 instant');
    }
  });

  test('a time in the past delivers at once', async () => {
    const { ctx, clock } = setup();
    const ref = await newQueue(ctx);
    const sent = await sendMessage(
      ctx,
      ref,
      { body: 'overdue', deliverAt: new Date(clock.now() - 3_600_000).toISOString() },
      sender,
    );
    expect(sent.message.visibleAt).toBe(clock.now());
    expect((await receiveAll(ctx, ref)).map((m) => m.body)).toEqual(['overdue']);
  });

  test('the dq.DeliverAt attribute schedules and stays on the message', async () => {
    const { ctx, clock } = setup();
    const ref = await newQueue(ctx);
    const at = new Date(clock.now() + 3_600_000).toISOString();
    await sendMessage(
      ctx,
      ref,
      { body: 'attr', attributes: { 'dq.DeliverAt': { dataType: 'String', stringValue: at } } },
      sender,
    );
    expect(await receiveAll(ctx, ref)).toEqual([]);
    clock.advance(3_600_000);
    const [got] = await receiveAll(ctx, ref);
    expect(got?.attributes['dq.DeliverAt']).toEqual({ dataType: 'String', stringValue: at });
    await expectError(
      sendMessage(
        ctx,
        ref,
        { body: 'n', attributes: { 'dq.DeliverAt': { dataType: 'Number', stringValue: '1' } } },
        sender,
      ),
      'InvalidParameterValue',
    );
  });

  test('batch entries schedule each on their own; a bad one fails alone', async () => {
    const { ctx, clock } = setup();
    const ref = await newQueue(ctx);
    const result = await sendMessageBatch(
      ctx,
      ref,
      [
        { id: 'a', body: 'a', delaySeconds: 1_000 },
        { id: 'b', body: 'b' },
        { id: 'c', body: 'c', deliverAt: 'soon' },
      ],
      sender,
    );
    expect(result.successful.map((s) => s.id)).toEqual(['a', 'b']);
    expect(result.failed.map((f) => [f.id, f.code])).toEqual([['c', 'InvalidParameterValue']]);
    expect((await receiveAll(ctx, ref)).map((m) => m.body)).toEqual(['b']);
    clock.advance(1_000_000);
    // b's lease ran out meanwhile: both are visible now.
    expect((await receiveAll(ctx, ref)).map((m) => m.body).sort()).toEqual(['a', 'b']);
  });
});

describe('cancel', () => {
  test('a cancelled message is never delivered, even after its time', async () => {
    const { ctx, clock } = setup();
    const ref = await newQueue(ctx);
    const keep = await sendMessage(ctx, ref, { body: 'keep', delaySeconds: 600 }, sender);
    const drop = await sendMessage(ctx, ref, { body: 'drop', delaySeconds: 600 }, sender);
    await cancelScheduledMessage(ctx, ref, drop.messageId);
    // A second cancel finds nothing to cancel.
    await expectError(cancelScheduledMessage(ctx, ref, drop.messageId), 'MessageNotFound');
    clock.advance(601_000);
    const got = await receiveAll(ctx, ref);
    expect(got.map((m) => m.id)).toEqual([keep.messageId]);
    clock.advance(day);
    expect((await receiveAll(ctx, ref)).map((m) => m.body)).toEqual(['keep']);
  });

  test('409 once deliverable or received; 404 when there is no such message', async () => {
    const { ctx, clock } = setup();
    const ref = await newQueue(ctx);
    const due = await sendMessage(ctx, ref, { body: 'due', delaySeconds: 10 }, sender);
    const now = await sendMessage(ctx, ref, { body: 'now' }, sender);
    await expectError(cancelScheduledMessage(ctx, ref, now.messageId), 'MessageNotScheduled');
    clock.advance(10_000);
    await expectError(cancelScheduledMessage(ctx, ref, due.messageId), 'MessageNotScheduled');
    // Received, so in flight (its lease ends in the future): still not cancellable.
    await receiveAll(ctx, ref);
    await expectError(cancelScheduledMessage(ctx, ref, due.messageId), 'MessageNotScheduled');
    await expectError(
      cancelScheduledMessage(ctx, ref, '00000000-0000-4000-8000-000000000000'),
      'MessageNotFound',
    );
    await expectError(cancelScheduledMessage(ctx, ref, 'x'.repeat(101)), 'InvalidParameterValue');
  });
});

describe('peek', () => {
  test('shows scheduled messages as delayed, and lists only them with state=delayed', async () => {
    const { ctx, clock } = setup();
    const ref = await newQueue(ctx);
    const later = await sendMessage(ctx, ref, { body: 'later', delaySeconds: 7_200 }, sender);
    const sooner = await sendMessage(ctx, ref, { body: 'sooner', delaySeconds: 3_600 }, sender);
    await sendMessage(ctx, ref, { body: 'ready' }, sender);
    await sendMessage(ctx, ref, { body: 'leased' }, sender);
    // Lease one message (in flight: also v > now, but not scheduled).
    clock.advance(1);
    const [leased] = await receiveMessages(ctx, ref, { maxMessages: 1 });
    const all = await peekMessages(ctx, ref);
    expect(all.map((p) => [p.message.body, p.state]).sort()).toEqual(
      [
        ['later', 'delayed'],
        ['sooner', 'delayed'],
        [leased!.body, 'inFlight'],
        [leased!.body === 'ready' ? 'leased' : 'ready', 'visible'],
      ].sort(),
    );
    const delayed = await peekMessages(ctx, ref, { state: 'delayed' });
    expect(delayed.map((p) => p.message.id)).toEqual([sooner.messageId, later.messageId]);
    expect(delayed.every((p) => p.state === 'delayed')).toBe(true);
  });
});

describe('retention beyond 14 days', () => {
  test('up to 365 days on create and update; a message lives that long', async () => {
    const { ctx, clock } = setup();
    const ref = await newQueue(ctx, 31_536_000);
    await expectError(
      createQueue(ctx, { ref: queueRef('long'), settings: { retentionSeconds: 31_536_001 } }),
      'InvalidParameterValue',
    );
    const updated = await updateQueue(ctx, { ref, settings: { retentionSeconds: 200 * 86_400 } });
    expect(updated.retentionSeconds).toBe(200 * 86_400);
    await sendMessage(ctx, ref, { body: 'old' }, sender);
    clock.advance(199 * day);
    const [got] = await receiveMessages(ctx, ref, { maxMessages: 1, visibilityTimeoutSeconds: 0 });
    expect(got?.body).toBe('old');
    clock.advance(day);
    expect(await receiveAll(ctx, ref)).toEqual([]);
  });
});
