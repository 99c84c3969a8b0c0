import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, test } from 'vitest';
import { archiveReader } from '../../functions/queue/archive/archive';
import { browseArchive } from '../../functions/queue/archive/browse';
import { cancelReplay, getReplay, startReplay } from '../../functions/queue/archive/replay';
import { replayId } from '../../functions/queue/archive/replay-slice';
import { runReplays } from '../../functions/queue/archive/run-replays';
import { sweepArchive } from '../../functions/queue/archive/sweep';
import type { MoveTask } from '../../functions/queue/model';
import { runMoveTasks, startMoveTask } from '../../functions/queue/operations/move-tasks';
import { createQueue, updateQueue } from '../../functions/queue/operations/queues';
import { sendMessage, sendMessageBatch } from '../../functions/queue/operations/send';
import type { TableNames } from '../../functions/store/table-layout';
import { freshTables, queueRef } from '../support/queue-fixture';
import { archiveContext, drain } from './archive-fixture';

/**
 * Queues' archives on DynamoDB Local: what is archived (and what is not), browsing by time range
 * with paging and filters, replays into the same and another queue, cancel, resume, expiry.
 */
let tables: TableNames;
beforeAll(async () => {
  tables = await freshTables();
});

const day = 86_400;
const sender = { senderId: 'tester' };
const attr = (value: string) => ({ kind: { dataType: 'String', stringValue: value } });

async function archivedQueue(ctx: ReturnType<typeof archiveContext>['ctx'], retention = 7 * day) {
  const ref = queueRef('arc');
  await createQueue(ctx, { ref, settings: { archiveRetentionSeconds: retention } });
  return ref;
}

describe('archiving', () => {
  test('a queue without an archive writes nothing more and browses empty', async () => {
    const { ctx, capacity } = archiveContext(tables);
    const ref = queueRef('plain');
    await createQueue(ctx, { ref });
    capacity.clear();
    await sendMessage(ctx, ref, { body: 'x'.repeat(1000) }, sender);
    await sendMessageBatch(ctx, ref, [{ id: 'a', body: 'one' }], sender);
    expect(capacity.entries.map((e) => e.operation)).not.toContain('archive');
    expect((await browseArchive(ctx, ref)).messages).toEqual([]);
  });

  test('every accepted message is archived with its body, attributes and sent time, even once deleted', async () => {
    const { ctx, clock } = archiveContext(tables);
    const ref = await archivedQueue(ctx);
    const first = await sendMessage(ctx, ref, { body: 'first', attributes: attr('a') }, sender);
    clock.advance(5);
    const batch = await sendMessageBatch(
      ctx,
      ref,
      [
        { id: 'b', body: 'second' },
        { id: 'c', body: 'third', attributes: attr('c') },
      ],
      sender,
    );
    expect(batch.failed).toEqual([]);
    await drain(ctx, ref);
    const page = await browseArchive(ctx, ref);
    // Oldest first; the batch's two share their sent time.
    expect(page.messages.map((m) => m.body)).toHaveLength(3);
    expect(page.messages[0]!.body).toBe('first');
    expect(
      page.messages
        .slice(1)
        .map((m) => m.body)
        .sort(),
    ).toEqual(['second', 'third']);
    expect(page.messages[0]).toMatchObject({ id: first.messageId, attributes: attr('a') });
    expect(page.messages.find((m) => m.body === 'third')!.attributes).toEqual(attr('c'));
    expect(page.messages[1]!.sentAt).toBe(page.messages[0]!.sentAt + 5);
  });

  test('archiving a 1 KB message costs one write unit more, measured', async () => {
    const { ctx, capacity } = archiveContext(tables);
    const ref = await archivedQueue(ctx);
    const body = JSON.stringify({
      order: 1,
      lines: Array.from({ length: 20 }, (_, i) => ({ sku: `sku-${i}`, n: i })),
    }).padEnd(1024, ' ');
    capacity.clear();
    await sendMessage(ctx, ref, { body }, sender);
    expect(capacity.total((op) => op === 'archive')).toEqual({ table: 1, index: 0 });
    // Random bytes in base64 (a KB of 6-bit characters) deflate to about 780 bytes: one unit too.
    capacity.clear();
    await sendMessage(ctx, ref, { body: randomBytes(768).toString('base64') }, sender);
    expect(capacity.total((op) => op === 'archive')).toEqual({ table: 1, index: 0 });
  });

  test('a message redriven into the queue is archived there', async () => {
    const { ctx } = archiveContext(tables);
    const ref = await archivedQueue(ctx);
    const dlq = queueRef('arc-dlq');
    await createQueue(ctx, { ref: dlq });
    await sendMessage(ctx, dlq, { body: 'back again' }, sender);
    await startMoveTask(ctx, { source: dlq, destination: ref.name });
    await finish(ctx);
    expect((await browseArchive(ctx, ref)).messages.map((m) => m.body)).toEqual(['back again']);
  });

  test('a large body is archived whole', async () => {
    const { ctx } = archiveContext(tables);
    const ref = await archivedQueue(ctx);
    const body = Array.from({ length: 200_000 }, () =>
      String.fromCharCode(33 + Math.floor(Math.random() * 90)),
    ).join('');
    await sendMessage(ctx, ref, { body }, sender);
    expect((await browseArchive(ctx, ref)).messages[0]!.body).toBe(body);
  });
});

describe('browsing', () => {
  test('pages oldest first, within a time range, filtered by an attribute', async () => {
    const { ctx, clock } = archiveContext(tables);
    const ref = await archivedQueue(ctx);
    const start = clock.now();
    for (let i = 0; i < 7; i++) {
      await sendMessage(ctx, ref, { body: `m${i}`, attributes: attr(i % 2 === 0 ? 'even' : 'odd') }, sender);
      clock.advance(1000);
    }
    const bodies: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await browseArchive(ctx, ref, { limit: 3, ...(nextToken ? { nextToken } : {}) });
      expect(page.messages.length).toBeLessThanOrEqual(3);
      bodies.push(...page.messages.map((m) => m.body));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(bodies).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6']);
    const range = await browseArchive(ctx, ref, { from: start + 2000, to: start + 4000 });
    expect(range.messages.map((m) => m.body)).toEqual(['m2', 'm3', 'm4']);
    const odd = await browseArchive(ctx, ref, { attributeName: 'kind', attributeValue: 'odd' });
    expect(odd.messages.map((m) => m.body)).toEqual(['m1', 'm3', 'm5']);
    await expect(browseArchive(ctx, ref, { from: start + 10, to: start })).rejects.toMatchObject({
      code: 'InvalidParameterValue',
    });
    await expect(browseArchive(ctx, ref, { nextToken: 'bad token!' })).rejects.toMatchObject({
      code: 'InvalidParameterValue',
    });
  });

  test('entries expire with the archive retention, and the sweeper removes them', async () => {
    const { ctx, clock } = archiveContext(tables);
    const ref = await archivedQueue(ctx, 60);
    const start = clock.now();
    await sendMessage(ctx, ref, { body: 'short-lived' }, sender);
    expect((await browseArchive(ctx, ref)).messages).toHaveLength(1);
    clock.advance(61_000);
    expect((await browseArchive(ctx, ref)).messages).toEqual([]);
    clock.advance(2.5 * day * 1000);
    const queue = (await ctx.queues.find(ref))!;
    expect(await sweepArchive(ctx, queue)).toBe(1);
    expect(
      await archiveReader(ctx)!.count({ queueId: queue.id, shards: 4, from: start, to: start, now: 0 }),
    ).toBe(0);
  });

  test('turning the archive off stops archiving; on again, it resumes', async () => {
    const { ctx } = archiveContext(tables);
    const ref = await archivedQueue(ctx);
    await sendMessage(ctx, ref, { body: 'kept' }, sender);
    await updateQueue(ctx, { ref, settings: { archiveRetentionSeconds: 0 } });
    await sendMessage(ctx, ref, { body: 'not kept' }, sender);
    expect((await browseArchive(ctx, ref)).messages.map((m) => m.body)).toEqual(['kept']);
  });
});

async function finish(ctx: ReturnType<typeof archiveContext>['ctx']): Promise<MoveTask[]> {
  let all: MoveTask[] = [];
  for (let i = 0; i < 100; i++) {
    const tasks = [
      ...(await runMoveTasks(ctx, { budgetMs: 1_000 })),
      ...(await runReplays(ctx, { budgetMs: 2_000 })),
    ];
    all = tasks;
    if (tasks.length === 0 || tasks.every((t) => t.status !== 'RUNNING')) return all;
  }
  return all;
}

describe('replays', () => {
  test('into the same queue: new messages, with the original id and sent time', async () => {
    const { ctx, clock } = archiveContext(tables);
    const ref = await archivedQueue(ctx);
    const start = clock.now();
    const sent = [];
    for (let i = 0; i < 12; i++)
      sent.push(await sendMessage(ctx, ref, { body: `r${i}`, attributes: attr('x') }, sender));
    await drain(ctx, ref);
    clock.advance(1000);
    const task = await startReplay(ctx, { source: ref, from: start, to: clock.now() });
    expect(task).toMatchObject({ status: 'RUNNING', toMove: 12, moved: 0 });
    const [done] = await finish(ctx);
    expect(done).toMatchObject({ status: 'COMPLETED', moved: 12, toMove: 12 });
    const replayed = await drain(ctx, ref);
    expect(replayed.map((m) => m.body).sort()).toEqual(sent.map((_, i) => `r${i}`).sort());
    for (const m of replayed) {
      const original = sent.find((s) => s.message.body === m.body)!;
      expect(m.id).not.toBe(original.messageId);
      expect(m.id).toBe(replayId(task.taskId, original.messageId));
      expect(m.attributes['dq.ReplayOf']?.stringValue).toBe(original.messageId);
      expect(m.attributes['dq.OriginalSentAt']?.stringValue).toBe(String(original.message.sentAt));
      expect(m.attributes.kind).toEqual(attr('x').kind);
    }
    // The copies are accepted messages too: archived, with the originals.
    expect((await browseArchive(ctx, ref, { limit: 100 })).messages).toHaveLength(24);
  });

  test('into another queue, only what the filter selects, and one running replay per destination', async () => {
    const { ctx, clock } = archiveContext(tables);
    const ref = await archivedQueue(ctx);
    const other = queueRef('other');
    await createQueue(ctx, { ref: other });
    const start = clock.now();
    for (let i = 0; i < 6; i++) {
      await sendMessage(ctx, ref, { body: `f${i}`, attributes: attr(i < 2 ? 'pick' : 'skip') }, sender);
    }
    const task = await startReplay(ctx, {
      source: ref,
      from: start,
      to: clock.now(),
      destination: other.name,
      attributeName: 'kind',
      attributeValue: 'pick',
    });
    await expect(
      startReplay(ctx, { source: ref, from: start, to: clock.now(), destination: other.name }),
    ).rejects.toMatchObject({ code: 'UnsupportedOperation' });
    await finish(ctx);
    expect(await getReplay(ctx, ref, task.taskId)).toMatchObject({
      status: 'COMPLETED',
      moved: 2,
      toMove: 2,
    });
    expect((await drain(ctx, other)).map((m) => m.body).sort()).toEqual(['f0', 'f1']);
    await expect(startReplay(ctx, { source: ref, from: start, to: start - 1 })).rejects.toMatchObject({
      code: 'InvalidParameterValue',
    });
  });

  test('a FIFO replay keeps each group in order', async () => {
    const { ctx, clock } = archiveContext(tables);
    const ref = queueRef('fifo-arc');
    ref.name += '.fifo';
    const target = queueRef('fifo-target');
    target.name += '.fifo';
    await createQueue(ctx, { ref, fifo: true, settings: { archiveRetentionSeconds: day } });
    await createQueue(ctx, { ref: target, fifo: true });
    const start = clock.now();
    for (let i = 0; i < 15; i++) {
      const entries = ['g1', 'g2', 'g3'].map((g) => ({
        id: g,
        body: `${g}-${i}`,
        groupId: g,
        deduplicationId: `${g}-${i}`,
      }));
      expect((await sendMessageBatch(ctx, ref, entries, sender)).failed).toEqual([]);
    }
    await startReplay(ctx, {
      source: ref,
      from: start,
      to: clock.now(),
      destination: target.name,
      maxPerSecond: 500,
    });
    await finish(ctx);
    const got = await drain(ctx, target);
    for (const g of ['g1', 'g2', 'g3']) {
      expect(got.filter((m) => m.groupId === g).map((m) => m.body)).toEqual(
        Array.from({ length: 15 }, (_, i) => `${g}-${i}`),
      );
    }
  });

  test('a cancelled replay stops; a replay resumes after a restart without duplicates or gaps', async () => {
    const { ctx, clock, archive } = archiveContext(tables);
    const ref = await archivedQueue(ctx);
    const target = queueRef('resume');
    await createQueue(ctx, { ref: target });
    const start = clock.now();
    for (let i = 0; i < 6; i++) {
      const entries = Array.from({ length: 10 }, (_, n) => ({ id: `e${n}`, body: `b${i * 10 + n}` }));
      await sendMessageBatch(ctx, ref, entries, sender);
    }
    const cancelled = await startReplay(ctx, {
      source: ref,
      from: start,
      to: clock.now(),
      destination: target.name,
    });
    expect((await cancelReplay(ctx, ref, cancelled.taskId)).status).toBe('CANCELLED');
    expect(await runReplays(ctx, { budgetMs: 500 })).toEqual([]);
    expect(await drain(ctx, target)).toEqual([]);

    const task = await startReplay(ctx, {
      source: ref,
      from: start,
      to: clock.now(),
      destination: target.name,
      maxPerSecond: 10,
    });
    // One page (10 a second: 10 messages), then the process stops.
    const [first] = await runReplays(ctx, { budgetMs: 50 });
    expect(first).toMatchObject({ status: 'RUNNING', moved: 10 });
    // A crash after the next page was sent, before its cursor was saved: the next process sends it again.
    const saved = await getReplay(ctx, ref, task.taskId);
    await runReplays(ctx, { budgetMs: 50 });
    expect(await ctx.deadLetters.saveMoveTask({ ...saved, updatedAt: clock.now() }, 'RUNNING')).toBe(true);
    const restarted = archiveContext(tables, clock);
    expect(restarted.archive).toBeDefined();
    const tasks = await finish(restarted.ctx);
    expect(tasks[0]).toMatchObject({ status: 'COMPLETED', toMove: 60 });
    const got = await drain(ctx, target);
    expect(got).toHaveLength(60);
    expect(new Set(got.map((m) => m.attributes['dq.ReplayOf']?.stringValue)).size).toBe(60);
    void archive;
  });
});
