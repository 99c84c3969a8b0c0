import { beforeAll, describe, expect, test } from 'vitest';
import { fairRules } from '../../functions/queue/fair-groups';
import type { QueueRef, ReceivedMessage } from '../../functions/queue/model';
import { deleteMessageBatch } from '../../functions/queue/operations/acknowledge';
import { describeQueueDepth } from '../../functions/queue/operations/depth';
import { createQueue } from '../../functions/queue/operations/queues';
import { receiveMessages } from '../../functions/queue/operations/receive';
import { sendMessageBatch } from '../../functions/queue/operations/send';
import type { TableNames } from '../../functions/store/table-layout';
import { type Fixture, freshTables, queueContext, queueRef } from '../support/queue-fixture';

/**
 * Fair queues on DynamoDB Local with a hand-moved clock: a noisy tenant with hundreds of messages
 * in flight and visible, a few quiet tenants, and what receives and statistics make of them.
 */
let tables: TableNames;
beforeAll(async () => {
  tables = await freshTables();
});

const sender = { senderId: 'tester' };
const fairCalls = [
  'inFlightByGroup',
  'lastGroupSends',
  'findVisibleGroups',
  'recordGroupSend',
  'markGroupsSent',
];

/** Sends `count` messages of a group, 10 a batch, each batch a millisecond after the last. */
async function sendGroup(f: Fixture, ref: QueueRef, groupId: string | undefined, count: number) {
  for (let i = 0; i < count; i += 10) {
    const batch = Array.from({ length: Math.min(10, count - i) }, (_, j) => ({
      id: `m${j}`,
      body: `${groupId ?? 'none'} ${i + j}`,
      ...(groupId === undefined ? {} : { groupId }),
    }));
    const result = await sendMessageBatch(f.ctx, ref, batch, sender);
    expect(result.failed).toEqual([]);
    f.clock.advance(1);
  }
}

async function receiveAll(f: Fixture, ref: QueueRef, times: number): Promise<ReceivedMessage[]> {
  const all: ReceivedMessage[] = [];
  for (let i = 0; i < times; i++) all.push(...(await receiveMessages(f.ctx, ref, { maxMessages: 10 })));
  return all;
}

const groupsOf = (messages: ReceivedMessage[]) => messages.map((m) => m.groupId ?? 'none');

/** A queue whose tenant `noisy` has `inFlight` messages leased (for an hour) and `visible` waiting. */
async function noisyQueue(f: Fixture, inFlight: number, visible: number) {
  const ref = queueRef('fair');
  await createQueue(f.ctx, { ref, settings: { visibilityTimeoutSeconds: 3600 }, shardCount: 2 });
  await sendGroup(f, ref, 'noisy', inFlight + visible);
  // Before anyone is in flight nobody is noisy: receives take the oldest, all the noisy tenant's.
  const leased = await receiveAll(f, ref, inFlight / 10);
  expect(leased).toHaveLength(inFlight);
  expect(new Set(groupsOf(leased))).toEqual(new Set(['noisy']));
  return { ref, leased };
}

describe('fair queues', () => {
  test('quiet tenants first, the noisy one when nothing else is visible, then quiet again when its in-flight count drops', async () => {
    const f = queueContext(tables, { shards: 2 });
    const { ref, leased } = await noisyQueue(f, 200, 200);
    await sendGroup(f, ref, 'quiet-a', 5);
    await sendGroup(f, ref, 'quiet-b', 5);
    await sendGroup(f, ref, undefined, 3);
    f.clock.advance(fairRules.refreshMs);

    // 200 of 200 in flight are the noisy tenant's: its 200 older visible messages wait.
    const first = await receiveAll(f, ref, 1);
    expect(first).toHaveLength(10);
    expect(groupsOf(first)).not.toContain('noisy');
    const second = await receiveMessages(f.ctx, ref, { maxMessages: 10 });
    // The last 3 quiet ones, then the rest of the receive goes to the noisy tenant: delayed, not dropped.
    expect(groupsOf(second).filter((g) => g !== 'noisy')).toHaveLength(3);
    expect(groupsOf(second).filter((g) => g === 'noisy')).toHaveLength(7);
    const onlyNoisy = await receiveMessages(f.ctx, ref, { maxMessages: 10 });
    expect(new Set(groupsOf(onlyNoisy))).toEqual(new Set(['noisy']));

    // Its consumers finish: in flight it drops under 30, and it is quiet again (oldest first).
    const done = [...leased, ...second, ...onlyNoisy].filter((m) => m.groupId === 'noisy');
    for (let i = 0; i < done.length - 20; i += 10) {
      const batch = done.slice(i, i + 10).map((m, j) => ({ id: `d${j}`, receiptHandle: m.receiptHandle }));
      expect((await deleteMessageBatch(f.ctx, ref, batch)).failed).toEqual([]);
    }
    await sendGroup(f, ref, 'quiet-c', 5);
    f.clock.advance(fairRules.refreshMs);
    const afterDrop = await receiveMessages(f.ctx, ref, { maxMessages: 10 });
    expect(groupsOf(afterDrop).filter((g) => g === 'noisy').length).toBeGreaterThanOrEqual(5);
  });

  test('a noisy tenant is quiet again after 5 minutes without sends, its messages still in flight', async () => {
    const f = queueContext(tables, { shards: 2 });
    const { ref } = await noisyQueue(f, 60, 40);
    await sendGroup(f, ref, 'quiet-a', 5);
    f.clock.advance(fairRules.refreshMs);
    expect(groupsOf(await receiveMessages(f.ctx, ref, { maxMessages: 1 }))).toEqual(['quiet-a']);

    f.clock.advance(fairRules.quietAfterMs);
    await sendGroup(f, ref, 'quiet-b', 1);
    f.clock.advance(fairRules.refreshMs);
    const depth = (await describeQueueDepth(f.ctx, ref)).depth;
    expect(depth).toMatchObject({ inFlight: 61, visible: 45 });
    expect(depth.fairness?.noisyGroups).toBe(0);
    // Its 40 visible messages are the oldest: a plain receive takes mostly them.
    const received = await receiveMessages(f.ctx, ref, { maxMessages: 10 });
    expect(groupsOf(received).filter((g) => g === 'noisy').length).toBeGreaterThanOrEqual(5);
  });

  test('statistics: the noisy count and the quiet groups visible count, in flight and oldest age', async () => {
    const f = queueContext(tables, { shards: 2 });
    const { ref } = await noisyQueue(f, 100, 50);
    await sendGroup(f, ref, 'quiet-a', 4);
    f.clock.advance(7_000);
    await sendGroup(f, ref, 'quiet-b', 3);
    const { depth } = await describeQueueDepth(f.ctx, ref);
    expect(depth).toMatchObject({ visible: 57, inFlight: 100 });
    expect(depth.oldestMessageAgeSeconds).toBeGreaterThanOrEqual(7);
    expect(depth.fairness).toEqual({
      noisyGroups: 1,
      quietVisible: 7,
      quietInFlight: 0,
      quietOldestMessageAgeSeconds: 7,
    });
    // A second busy tenant: not noisy before it has messages in flight, so served with the quiet.
    await sendGroup(f, ref, 'loud', 40);
    f.clock.advance(fairRules.refreshMs);
    const received = await receiveAll(f, ref, 5);
    const counts = new Map<string, number>();
    for (const g of groupsOf(received)) counts.set(g, (counts.get(g) ?? 0) + 1);
    expect(Object.fromEntries(counts)).toEqual({ 'quiet-a': 4, 'quiet-b': 3, loud: 40, noisy: 3 });
    // Now 40 of 150 in flight are loud's, 103 noisy's: two noisy groups, the quiet ones all in flight.
    f.clock.advance(fairRules.refreshMs);
    const after = (await describeQueueDepth(f.ctx, ref)).depth.fairness;
    expect(after).toEqual({
      noisyGroups: 2,
      quietVisible: 0,
      quietInFlight: 7,
      quietOldestMessageAgeSeconds: 0,
    });
  });

  test('priorities come first, fairness within each priority; noisy in-flight counts include prioritised messages', async () => {
    const f = queueContext(tables, { shards: 2 });
    const ref = queueRef('fair-prio');
    await createQueue(f.ctx, { ref, settings: { visibilityTimeoutSeconds: 3600 }, shardCount: 2 });
    const sendAt = async (groupId: string, priority: number, count: number) => {
      for (let i = 0; i < count; i += 10) {
        const batch = Array.from({ length: Math.min(10, count - i) }, (_, j) => ({
          id: `m${j}`,
          body: `${groupId} p${priority} ${i + j}`,
          groupId,
          priority,
        }));
        expect((await sendMessageBatch(f.ctx, ref, batch, sender)).failed).toEqual([]);
        f.clock.advance(1);
      }
    };
    // The noisy tenant's in-flight messages are all of priority 5: it is noisy only if those count.
    await sendAt('noisy', 5, 60);
    expect(await receiveAll(f, ref, 6)).toHaveLength(60);
    await sendAt('noisy', 5, 20);
    await sendAt('quiet', 5, 5);
    await sendAt('quiet', 0, 5);
    await sendAt('noisy', 0, 5);
    f.clock.advance(fairRules.refreshMs);
    expect((await describeQueueDepth(f.ctx, ref)).depth.fairness).toMatchObject({
      noisyGroups: 1,
      quietVisible: 10,
      quietInFlight: 0,
    });
    const priorityOf = (m: ReceivedMessage) => Number(/ p(\d) /.exec(m.body)?.[1]);
    // Priority 5 first: its quiet group's 5, then its noisy group's 20; priority 0 after them.
    // (A receive answers its messages oldest first, so each is compared as a tally.)
    const tally = (messages: ReceivedMessage[]) => {
      const counts: Record<string, number> = {};
      for (const m of messages)
        counts[`${m.groupId}/${priorityOf(m)}`] = (counts[`${m.groupId}/${priorityOf(m)}`] ?? 0) + 1;
      return counts;
    };
    expect(tally(await receiveMessages(f.ctx, ref, { maxMessages: 10 }))).toEqual({
      'quiet/5': 5,
      'noisy/5': 5,
    });
    expect(tally(await receiveMessages(f.ctx, ref, { maxMessages: 10 }))).toEqual({ 'noisy/5': 10 });
    // Priority 0 after every priority-5 message, its quiet group before its noisy one.
    expect(tally(await receiveMessages(f.ctx, ref, { maxMessages: 8 }))).toEqual({
      'noisy/5': 5,
      'quiet/0': 3,
    });
    expect(tally(await receiveMessages(f.ctx, ref, { maxMessages: 10 }))).toEqual({
      'quiet/0': 2,
      'noisy/0': 5,
    });
  });

  test('a queue without group ids makes no fairness call on send or receive; with them, a record a minute per group', async () => {
    const f = queueContext(tables, { shards: 2 });
    const plain = queueRef('plain');
    await createQueue(f.ctx, { ref: plain, shardCount: 2 });
    f.capacity.clear();
    await sendGroup(f, plain, undefined, 30);
    await receiveAll(f, plain, 3);
    const operations = new Set(f.capacity.entries.map((e) => e.operation));
    for (const call of fairCalls) expect(operations).not.toContain(call);
    expect((await describeQueueDepth(f.ctx, plain)).depth.fairness).toBeUndefined();

    const grouped = queueRef('grouped');
    await createQueue(f.ctx, { ref: grouped, shardCount: 2 });
    f.capacity.clear();
    await sendGroup(f, grouped, 'tenant', 30);
    const count = (op: string) => f.capacity.entries.filter((e) => e.operation === op).length;
    expect(count('recordGroupSend')).toBe(1);
    expect(count('markGroupsSent')).toBe(1);
    f.clock.advance(fairRules.recordEveryMs);
    await sendGroup(f, grouped, 'tenant', 10);
    expect(count('recordGroupSend')).toBe(2);
  });
});
