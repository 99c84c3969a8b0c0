import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, test } from 'vitest';
import { QueueError } from '../../functions/queue/errors';
import type { MoveTask } from '../../functions/queue/model';
import { deleteMessage } from '../../functions/queue/operations/acknowledge';
import { browseDeadLetters, deadLetterSources } from '../../functions/queue/operations/dead-letters';
import {
  cancelMoveTask,
  listMoveTasks,
  runMoveTasks,
  startMoveTask,
} from '../../functions/queue/operations/move-tasks';
import { createQueue, describeQueue } from '../../functions/queue/operations/queues';
import { receiveMessages } from '../../functions/queue/operations/receive';
import { sendMessage, sendMessageBatch } from '../../functions/queue/operations/send';
import { sweep } from '../../functions/queue/operations/sweep';
import { createQueueContext } from '../../functions/queue/service';
import { DynamoDeadLetterStore } from '../../functions/store/dead-letter-store';
import { DynamoQueueStore } from '../../functions/store/queue-store';
import type { TableNames } from '../../functions/store/table-layout';
import {
  dynamoClient,
  type Fixture,
  freshTables,
  queueContext,
  queueRef,
  testSecret,
} from '../support/queue-fixture';

/** Dead letters, the sweeper and redrive tasks, against DynamoDB Local with an injected clock. */
let tables: TableNames;
beforeAll(async () => {
  tables = await freshTables();
});
const sender = { senderId: 'tester' };

async function pair(fixture: Fixture, maxReceiveCount = 2) {
  const dlq = queueRef('dlq');
  const source = queueRef('src');
  await createQueue(fixture.ctx, { ref: dlq });
  await createQueue(fixture.ctx, {
    ref: source,
    settings: { deadLetterQueue: dlq.name, maxReceiveCount, visibilityTimeoutSeconds: 10 },
  });
  return { dlq, source };
}

/** Receives and abandons every visible message `times` times, letting each lease expire. */
async function failProcessing(
  fixture: Fixture,
  ref: typeof queueRef extends () => infer R ? R : never,
  times: number,
) {
  for (let i = 0; i < times; i++) {
    while ((await receiveMessages(fixture.ctx, ref, { maxMessages: 10 })).length > 0);
    fixture.clock.advance(10_000);
  }
}

describe('dead-lettering', () => {
  test('a message received maxReceiveCount times without a delete lands in the dead-letter queue with its history', async () => {
    const fixture = queueContext(tables);
    const { dlq, source } = await pair(fixture, 3);
    const sent = await sendMessage(
      fixture.ctx,
      source,
      { body: 'poison', attributes: { kind: { dataType: 'String', stringValue: 'bad' } } },
      sender,
    );
    const firstReceive = fixture.clock.now();
    await failProcessing(fixture, source, 3);

    const report = await sweep(fixture.ctx);
    expect(report).toMatchObject({ deadLettered: 1, complete: true });
    expect((await describeQueue(fixture.ctx, source)).counts).toEqual({
      visible: 0,
      inFlight: 0,
      delayed: 0,
    });
    expect((await describeQueue(fixture.ctx, dlq)).counts).toEqual({ visible: 1, inFlight: 0, delayed: 0 });

    const browsed = await browseDeadLetters(fixture.ctx, dlq);
    expect(browsed.messages).toHaveLength(1);
    const [dead] = browsed.messages;
    expect(dead).toMatchObject({
      id: sent.messageId,
      body: 'poison',
      attributes: { kind: { dataType: 'String', stringValue: 'bad' } },
      deadLetter: {
        sourceQueue: source.name,
        receiveCount: 3,
        firstReceivedAt: firstReceive,
        lastReceivedAt: firstReceive + 20_000,
        deadLetteredAt: fixture.clock.now(),
        reason: expect.stringContaining('maxReceiveCount'),
      },
    });

    // The dead-letter queue is a queue: a client can receive the dead letter from it.
    const [received] = await receiveMessages(fixture.ctx, dlq);
    expect(received).toMatchObject({ id: sent.messageId, body: 'poison' });
    expect((await deadLetterSources(fixture.ctx, dlq)).map((q) => q.ref.name)).toEqual([source.name]);
  });

  test('a receive moves an exhausted message instead of delivering it again', async () => {
    const fixture = queueContext(tables);
    const { dlq, source } = await pair(fixture, 1);
    await sendMessage(fixture.ctx, source, { body: 'once' }, sender);
    await failProcessing(fixture, source, 1);
    expect(await receiveMessages(fixture.ctx, source)).toEqual([]);
    expect((await describeQueue(fixture.ctx, dlq)).counts.visible).toBe(1);
  });

  test('concurrent sweepers and receivers move each message exactly once', async () => {
    const fixture = queueContext(tables);
    const { dlq, source } = await pair(fixture, 1);
    for (let i = 0; i < 5; i++) {
      await sendMessageBatch(
        fixture.ctx,
        source,
        Array.from({ length: 10 }, (_, j) => ({ id: `m${j}`, body: `b${i}-${j}` })),
        sender,
      );
    }
    await failProcessing(fixture, source, 1);
    const others = Array.from({ length: 3 }, () => queueContext(tables, { clock: fixture.clock }));
    await Promise.all([
      sweep(fixture.ctx),
      ...others.map((o) => sweep(o.ctx)),
      ...others.map((o) => receiveMessages(o.ctx, source, { maxMessages: 10 })),
    ]);
    await sweep(fixture.ctx);
    expect((await describeQueue(fixture.ctx, source)).counts).toEqual({
      visible: 0,
      inFlight: 0,
      delayed: 0,
    });
    expect((await describeQueue(fixture.ctx, dlq)).counts.visible).toBe(50);
    const bodies = new Set<string>();
    let nextToken: string | undefined;
    do {
      const page = await browseDeadLetters(fixture.ctx, dlq, { limit: 20, nextToken, order: 'oldest' });
      for (const m of page.messages) bodies.add(m.body);
      nextToken = page.nextToken;
    } while (nextToken);
    expect(bodies.size).toBe(50);
  });

  test('a crash in the middle of a move loses and duplicates nothing', async () => {
    const fixture = queueContext(tables);
    const { dlq, source } = await pair(fixture, 1);
    await sendMessage(fixture.ctx, source, { body: 'fragile' }, sender);
    await failProcessing(fixture, source, 1);

    // A client whose transaction never reaches DynamoDB: the process dies between the read and the write.
    const crashing = new DynamoDBClient({
      endpoint: process.env.DYNAMODB_ENDPOINT,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    crashing.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'TransactWriteItemsCommand') throw new Error('process crashed');
        return next(args);
      },
      { step: 'initialize' },
    );
    const crashed = createQueueContext({
      store: new DynamoQueueStore({ client: crashing, tables }),
      deadLetters: new DynamoDeadLetterStore({ client: crashing, tables }),
      clock: fixture.clock,
      receiptHandleSecret: testSecret,
    });
    await expect(sweep(crashed)).rejects.toBeInstanceOf(QueueError);
    expect((await describeQueue(fixture.ctx, source)).counts.visible).toBe(1);
    expect((await describeQueue(fixture.ctx, dlq)).counts.visible).toBe(0);

    // The next sweep completes the move; one more changes nothing.
    expect((await sweep(fixture.ctx)).deadLettered).toBe(1);
    expect((await sweep(fixture.ctx)).deadLettered).toBe(0);
    expect((await describeQueue(fixture.ctx, source)).counts.visible).toBe(0);
    expect((await describeQueue(fixture.ctx, dlq)).counts.visible).toBe(1);
  });

  test('the sweeper removes messages past retention and reports it', async () => {
    const fixture = queueContext(tables);
    const ref = queueRef('retention');
    await createQueue(fixture.ctx, { ref, settings: { retentionSeconds: 60 } });
    await sendMessageBatch(
      fixture.ctx,
      ref,
      [
        { id: 'a', body: 'x' },
        { id: 'b', body: 'y' },
      ],
      sender,
    );
    fixture.clock.advance(61_000);
    expect((await sweep(fixture.ctx)).expired).toBeGreaterThanOrEqual(2);
    expect((await describeQueue(fixture.ctx, ref)).counts).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  test('a sweep with no time left stops and the next resumes', async () => {
    const fixture = queueContext(tables);
    const partial = await sweep(fixture.ctx, { budgetMs: 0 });
    expect(partial.complete).toBe(false);
    expect((await sweep(fixture.ctx)).complete).toBe(true);
  });
});

describe('redrive tasks', () => {
  async function deadLetters(
    fixture: Fixture,
    count: number,
    attributes?: (i: number) => Record<string, string>,
  ) {
    const { dlq, source } = await pair(fixture, 1);
    for (let i = 0; i < count; i += 10) {
      const entries = Array.from({ length: Math.min(10, count - i) }, (_, j) => ({
        id: `m${j}`,
        body: `message ${i + j}`,
        ...(attributes
          ? {
              attributes: Object.fromEntries(
                Object.entries(attributes(i + j)).map(([k, v]) => [
                  k,
                  { dataType: 'String', stringValue: v },
                ]),
              ),
            }
          : {}),
      }));
      await sendMessageBatch(fixture.ctx, source, entries, sender);
    }
    await failProcessing(fixture, source, 1);
    await sweep(fixture.ctx);
    return { dlq, source };
  }

  async function runToEnd(fixture: Fixture): Promise<MoveTask[]> {
    let tasks: MoveTask[] = [];
    for (let i = 0; i < 100; i++) {
      tasks = await runMoveTasks(fixture.ctx, { budgetMs: 5_000 });
      if (tasks.every((t) => t.status !== 'RUNNING')) return tasks;
    }
    return tasks;
  }

  test('redrive moves dead letters back to their source as new messages, and they are processed', async () => {
    const fixture = queueContext(tables);
    const { dlq, source } = await deadLetters(fixture, 3);
    const before = await browseDeadLetters(fixture.ctx, dlq);
    const task = await startMoveTask(fixture.ctx, { source: dlq });
    expect(task).toMatchObject({ status: 'RUNNING', toMove: 3, moved: 0 });
    const [done] = await runToEnd(fixture);
    expect(done).toMatchObject({ taskId: task.taskId, status: 'COMPLETED', moved: 3 });

    const received = await receiveMessages(fixture.ctx, source, { maxMessages: 10 });
    expect(received.map((m) => m.body).sort()).toEqual(['message 0', 'message 1', 'message 2']);
    for (const m of received) {
      expect(m.receiveCount).toBe(1);
      expect(before.messages.map((d) => d.id)).not.toContain(m.id);
      await deleteMessage(fixture.ctx, source, m.receiptHandle);
    }
    expect((await describeQueue(fixture.ctx, dlq)).counts.visible).toBe(0);
    expect((await browseDeadLetters(fixture.ctx, dlq)).messages).toEqual([]);
    expect((await listMoveTasks(fixture.ctx, dlq))[0]).toMatchObject({ status: 'COMPLETED' });
  });

  test('selective redrive moves only the matching messages', async () => {
    const fixture = queueContext(tables);
    const { dlq, source } = await deadLetters(fixture, 6, (i) => ({ tenant: i % 2 === 0 ? 'even' : 'odd' }));
    const target = queueRef('elsewhere');
    await createQueue(fixture.ctx, { ref: target });
    await startMoveTask(fixture.ctx, {
      source: dlq,
      destination: target.name,
      filter: { attribute: { name: 'tenant', value: 'odd' } },
    });
    await runToEnd(fixture);
    const moved = await receiveMessages(fixture.ctx, target, { maxMessages: 10 });
    expect(moved.map((m) => m.body).sort()).toEqual(['message 1', 'message 3', 'message 5']);
    expect((await describeQueue(fixture.ctx, dlq)).counts.visible).toBe(3);
    expect((await describeQueue(fixture.ctx, source)).counts.visible).toBe(0);

    const [one] = (await browseDeadLetters(fixture.ctx, dlq)).messages;
    const byId = await startMoveTask(fixture.ctx, { source: dlq, filter: { messageIds: [one!.id] } });
    // Progress is measured against what the filter can match, not the whole dead-letter queue.
    expect(byId.toMove).toBe(1);
    await runToEnd(fixture);
    expect((await describeQueue(fixture.ctx, dlq)).counts.visible).toBe(2);

    await startMoveTask(fixture.ctx, { source: dlq, filter: { deadLetteredBefore: 0 } });
    const [nothing] = await runToEnd(fixture);
    expect(nothing).toMatchObject({ status: 'COMPLETED', moved: 0 });
  });

  test('one running task per dead-letter queue; cancel stops it; a finished task cannot be cancelled', async () => {
    const fixture = queueContext(tables);
    const { dlq } = await deadLetters(fixture, 30);
    const task = await startMoveTask(fixture.ctx, { source: dlq, maxPerSecond: 10 });
    const second = await startMoveTask(fixture.ctx, { source: dlq }).catch((e) => e);
    expect(second).toMatchObject({ code: 'UnsupportedOperation' });
    await runMoveTasks(fixture.ctx, { budgetMs: 1_000 });
    const cancelled = await cancelMoveTask(fixture.ctx, dlq, task.taskId);
    expect(cancelled.status).toBe('CANCELLED');
    await runMoveTasks(fixture.ctx, { budgetMs: 1_000 });
    const remaining = (await describeQueue(fixture.ctx, dlq)).counts.visible;
    expect(remaining).toBeGreaterThan(0);
    expect(remaining).toBeLessThan(30);
    expect(await cancelMoveTask(fixture.ctx, dlq, task.taskId).catch((e) => e.code)).toBe(
      'ResourceNotFoundException',
    );
    expect(await cancelMoveTask(fixture.ctx, dlq, 'no-such-task').catch((e) => e.code)).toBe(
      'ResourceNotFoundException',
    );
  });

  test('bad redrive input moves nothing', async () => {
    const fixture = queueContext(tables);
    const { dlq } = await deadLetters(fixture, 1);
    const errors = await Promise.all([
      startMoveTask(fixture.ctx, { source: queueRef('missing') }).catch((e) => e.code),
      startMoveTask(fixture.ctx, { source: dlq, destination: 'nowhere' }).catch((e) => e.code),
      startMoveTask(fixture.ctx, { source: dlq, destination: dlq.name }).catch((e) => e.code),
      startMoveTask(fixture.ctx, { source: dlq, maxPerSecond: 501 }).catch((e) => e.code),
      startMoveTask(fixture.ctx, { source: dlq, filter: { messageIds: [] } }).catch((e) => e.code),
    ]);
    expect(errors).toEqual([
      'QueueDoesNotExist',
      'InvalidParameterValue',
      'InvalidParameterValue',
      'InvalidParameterValue',
      'InvalidParameterValue',
    ]);
    expect((await describeQueue(fixture.ctx, dlq)).counts.visible).toBe(1);
  });
});

describe('browsing dead letters by attribute', () => {
  /** 25 dead letters, dead-lettered in 5 rounds 10 s apart; the third of rounds 0, 2 and 4 has tenant=acme. */
  async function tenants(fixture: Fixture) {
    const { dlq, source } = await pair(fixture, 1);
    for (let round = 0; round < 5; round++) {
      const entries = Array.from({ length: 5 }, (_, j) => ({
        id: `m${j}`,
        body: `round ${round} message ${j}`,
        attributes: {
          tenant: { dataType: 'String', stringValue: j === 2 && round % 2 === 0 ? 'acme' : 'globex' },
        },
      }));
      await sendMessageBatch(fixture.ctx, source, entries, sender);
      await failProcessing(fixture, source, 1);
      await sweep(fixture.ctx);
    }
    expect((await describeQueue(fixture.ctx, dlq)).counts.visible).toBe(25);
    return dlq;
  }
  const acme = { attributeName: 'tenant', attributeValue: 'acme' };

  test('a page of matches from any depth, and a token that resumes right after the last one', async () => {
    const fixture = queueContext(tables);
    const dlq = await tenants(fixture);

    const first = await browseDeadLetters(fixture.ctx, dlq, { ...acme, limit: 2, order: 'oldest' });
    expect(first.messages.map((m) => m.body)).toEqual(['round 0 message 2', 'round 2 message 2']);
    expect(first.nextToken).toBeDefined();
    const second = await browseDeadLetters(fixture.ctx, dlq, {
      ...acme,
      limit: 2,
      order: 'oldest',
      nextToken: first.nextToken!,
    });
    expect(second.messages.map((m) => m.body)).toEqual(['round 4 message 2']);
    expect(second.nextToken).toBeUndefined();

    const newest = await browseDeadLetters(fixture.ctx, dlq, { ...acme, limit: 5 });
    expect(newest.messages.map((m) => m.body)).toEqual([
      'round 4 message 2',
      'round 2 message 2',
      'round 0 message 2',
    ]);
    expect(newest.nextToken).toBeUndefined();
    const none = await browseDeadLetters(fixture.ctx, dlq, {
      attributeName: 'tenant',
      attributeValue: 'initech',
    });
    expect(none).toEqual({ messages: [] });
  });

  test('a spent read budget returns what it found and a token; following the tokens finds every match once', async () => {
    const fixture = queueContext(tables);
    const dlq = await tenants(fixture);
    // Pages of 4 records, at most 2 pages a call: each call reads at most 8 of the 25.
    const small = createQueueContext({
      store: fixture.store,
      deadLetters: new DynamoDeadLetterStore(
        { client: dynamoClient(), tables },
        { pageSize: 4, pages: 2, records: 8 },
      ),
      clock: fixture.clock,
      receiptHandleSecret: testSecret,
    });
    const found: string[] = [];
    const pageSizes: number[] = [];
    let nextToken: string | undefined;
    do {
      const page = await browseDeadLetters(small, dlq, {
        ...acme,
        limit: 1,
        order: 'oldest',
        ...(nextToken ? { nextToken } : {}),
      });
      found.push(...page.messages.map((m) => m.body));
      pageSizes.push(page.messages.length);
      nextToken = page.nextToken;
    } while (nextToken && pageSizes.length < 20);
    expect(found).toEqual(['round 0 message 2', 'round 2 message 2', 'round 4 message 2']);
    // Some calls spent their budget between matches and returned only a token.
    expect(pageSizes).toContain(0);
  });

  test('the attribute filter needs a valid name and a value, together', async () => {
    const fixture = queueContext(tables);
    const dlq = queueRef('dlq');
    await createQueue(fixture.ctx, { ref: dlq });
    const problem = (input: Parameters<typeof browseDeadLetters>[2]) =>
      browseDeadLetters(fixture.ctx, dlq, input).catch((e: QueueError) => ({
        code: e.code,
        field: e.details.field,
      }));
    expect(await problem({ attributeName: 'tenant' })).toEqual({
      code: 'MissingParameter',
      field: 'attributeValue',
    });
    expect(await problem({ attributeValue: 'acme' })).toEqual({
      code: 'MissingParameter',
      field: 'attributeName',
    });
    expect(await problem({ attributeName: 'AWS.tenant', attributeValue: 'acme' })).toEqual({
      code: 'InvalidParameterValue',
      field: 'attributeName',
    });
    expect(await problem({ attributeName: 'ten ant', attributeValue: 'acme' })).toEqual({
      code: 'InvalidParameterValue',
      field: 'attributeName',
    });
    expect(await problem({ attributeName: 'tenant', attributeValue: '' })).toEqual({
      code: 'InvalidParameterValue',
      field: 'attributeValue',
    });
  });
});
