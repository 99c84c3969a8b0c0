import { beforeAll, describe, expect, test } from 'vitest';
import type { MoveTask, QueueRef } from '../../functions/queue/model';
import {
  cancelMoveTask,
  listMoveTasks,
  runMoveTasks,
  startMoveTask,
} from '../../functions/queue/operations/move-tasks';
import { createQueue, deleteQueue, describeQueue } from '../../functions/queue/operations/queues';
import { receiveMessages } from '../../functions/queue/operations/receive';
import { sendMessageBatch } from '../../functions/queue/operations/send';
import { sweep } from '../../functions/queue/operations/sweep';
import type { TableNames } from '../../functions/store/table-layout';
import { type Fixture, freshTables, queueContext, queueRef } from '../support/queue-fixture';

/**
 * Redrive tasks count what their filter selects and what they moved, exactly (issue 15, points 7
 * and 8), against DynamoDB Local with an injected clock.
 */
let tables: TableNames;
beforeAll(async () => {
  tables = await freshTables();
});

/** `count` dead letters from `source` (maxReceiveCount 1) into `dlq`; attributes by index. */
async function deadLetter(
  fixture: Fixture,
  source: QueueRef,
  count: number,
  tenant: (i: number) => string = () => 'any',
) {
  for (let i = 0; i < count; i += 10) {
    const entries = Array.from({ length: Math.min(10, count - i) }, (_, j) => ({
      id: `m${j}`,
      body: `message ${i + j}`,
      attributes: { tenant: { dataType: 'String', stringValue: tenant(i + j) } },
    }));
    await sendMessageBatch(fixture.ctx, source, entries, { senderId: 'tester' });
  }
  // A standard receive reads some shards per call, so an empty answer does not mean all were leased:
  // receive until every message has been (bounded).
  let leased = 0;
  for (let attempt = 0; leased < count && attempt < 100; attempt++) {
    leased += (await receiveMessages(fixture.ctx, source, { maxMessages: 10 })).length;
  }
  expect(leased).toBe(count);
  fixture.clock.advance(10_000);
  await sweep(fixture.ctx);
}

async function pair(fixture: Fixture) {
  const dlq = queueRef('dlq');
  const source = queueRef('src');
  await createQueue(fixture.ctx, { ref: dlq });
  await createQueue(fixture.ctx, {
    ref: source,
    settings: { deadLetterQueue: dlq.name, maxReceiveCount: 1, visibilityTimeoutSeconds: 10 },
  });
  return { dlq, source };
}

/**
 * Runs slices until the task `taskId` stops running and returns it. The tables are shared by the
 * tests of this file and a slice works on every running task, so the task is picked by its id.
 */
async function runToEnd(fixture: Fixture, source: QueueRef, taskId: string): Promise<MoveTask | undefined> {
  for (let i = 0; i < 100; i++) {
    await runMoveTasks(fixture.ctx, { budgetMs: 5_000 });
    const task = (await listMoveTasks(fixture.ctx, source)).find((t) => t.taskId === taskId);
    if (task?.status !== 'RUNNING') return task;
  }
  return undefined;
}

describe('redrive counts', () => {
  test('a redrive filtered by attribute completes with toMove = what the filter selected', async () => {
    const fixture = queueContext(tables);
    const { dlq, source } = await pair(fixture);
    await deadLetter(fixture, source, 5, (i) => (i < 3 ? 'acme' : 'other'));
    const task = await startMoveTask(fixture.ctx, {
      source: dlq,
      filter: { attribute: { name: 'tenant', value: 'acme' } },
    });
    // Before any dead letter is read, each may match: an upper bound.
    expect(task.toMove).toBe(5);
    const done = await runToEnd(fixture, dlq, task.taskId);
    expect(done).toMatchObject({ status: 'COMPLETED', moved: 3, toMove: 3 });
    expect((await listMoveTasks(fixture.ctx, dlq))[0]).toMatchObject({ moved: 3, toMove: 3 });
  });

  test('a redrive by ids counts only the ids found in the dead-letter queue', async () => {
    const fixture = queueContext(tables);
    const { dlq, source } = await pair(fixture);
    await deadLetter(fixture, source, 4);
    const [one] = (await receiveMessages(fixture.ctx, dlq, { maxMessages: 1, visibilityTimeoutSeconds: 0 }))!;
    const task = await startMoveTask(fixture.ctx, {
      source: dlq,
      filter: { messageIds: [one!.id, 'not-a-dead-letter'] },
    });
    expect(task.toMove).toBe(2);
    const done = await runToEnd(fixture, dlq, task.taskId);
    expect(done).toMatchObject({ status: 'COMPLETED', moved: 1, toMove: 1 });
  });

  test('a cancelled task reports exactly the number of messages it moved', async () => {
    const fixture = queueContext(tables);
    const { dlq, source } = await pair(fixture);
    await deadLetter(fixture, source, 30);
    const task = await startMoveTask(fixture.ctx, { source: dlq, maxPerSecond: 10 });
    // Cancel in the middle of a page of moves: the running slice finds out only when it saves.
    const running = runMoveTasks(fixture.ctx, { budgetMs: 4_000 });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await cancelMoveTask(fixture.ctx, dlq, task.taskId);
    await running;
    const [cancelled] = await listMoveTasks(fixture.ctx, dlq);
    const arrived = (await describeQueue(fixture.ctx, source)).counts.visible;
    const left = (await describeQueue(fixture.ctx, dlq)).counts.visible;
    expect(cancelled!.status).toBe('CANCELLED');
    expect(arrived).toBeGreaterThan(0);
    expect(cancelled!.moved).toBe(arrived);
    expect(left).toBe(30 - arrived);
  });
});

describe('redrive of a queue that is no dead-letter queue', () => {
  test('is refused without a destination (as SQS refuses it), accepted with one', async () => {
    const fixture = queueContext(tables);
    const plain = queueRef('plain');
    const target = queueRef('target');
    await createQueue(fixture.ctx, { ref: plain });
    await createQueue(fixture.ctx, { ref: target });
    const refused = await startMoveTask(fixture.ctx, { source: plain }).catch((e) => e);
    expect(refused).toMatchObject({ code: 'InvalidParameterValue', details: { field: 'source' } });
    expect(refused.message).toContain('Source queue must be configured as a Dead Letter Queue.');
    expect(await listMoveTasks(fixture.ctx, plain)).toEqual([]);
    const accepted = await startMoveTask(fixture.ctx, { source: plain, destination: target.name });
    expect(accepted.status).toBe('RUNNING');
  });

  test('dead letters whose source queue is gone stay, and every one of them is counted', async () => {
    const fixture = queueContext(tables);
    const { dlq, source } = await pair(fixture);
    // Another source keeps the queue a dead-letter queue after the first source is deleted.
    await createQueue(fixture.ctx, {
      ref: queueRef('other'),
      settings: { deadLetterQueue: dlq.name, maxReceiveCount: 1 },
    });
    // Spread over the dead-letter queue's 4 shards, so the task reads them in several pages.
    await deadLetter(fixture, source, 8);
    await deleteQueue(fixture.ctx, source);
    const task = await startMoveTask(fixture.ctx, { source: dlq });
    const done = await runToEnd(fixture, dlq, task.taskId);
    expect(done).toMatchObject({ status: 'COMPLETED', moved: 0, toMove: 8 });
    expect(done!.failureReason).toMatch(/^8 selected message\(s\) had no destination queue/);
    expect((await describeQueue(fixture.ctx, dlq)).counts.visible).toBe(8);
  });
});
