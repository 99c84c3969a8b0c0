import { beforeAll, describe, expect, test } from 'vitest';
import { QueueError } from '../../functions/queue/errors';
import {
  createQueue,
  deleteQueue,
  describeQueue,
  getQueue,
  listQueues,
  purgeQueue,
  updateQueue,
} from '../../functions/queue/operations/queues';
import { receiveMessages } from '../../functions/queue/operations/receive';
import { sendMessage, sendMessageBatch } from '../../functions/queue/operations/send';
import type { TableNames } from '../../functions/store/table-layout';
import { freshTables, queueContext, queueRef } from '../support/queue-fixture';

/** Queue administration against DynamoDB Local. */
let tables: TableNames;
beforeAll(async () => {
  tables = await freshTables();
});

const sender = { senderId: 'tester' };
const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'no error',
    (e: unknown) => (e instanceof QueueError ? e.code : String(e)),
  );

describe('queues', () => {
  test('create is idempotent for the same settings and refuses different ones', async () => {
    const { ctx } = queueContext(tables);
    const ref = queueRef('create');
    const first = await createQueue(ctx, { ref, settings: { visibilityTimeoutSeconds: 45 } });
    expect(first.created).toBe(true);
    expect(first.queue).toMatchObject({
      visibilityTimeoutSeconds: 45,
      retentionSeconds: 345_600,
      maxMessageBytes: 1_048_576,
    });
    const again = await createQueue(ctx, { ref, settings: { visibilityTimeoutSeconds: 45 } });
    expect(again).toEqual({ queue: first.queue, created: false });
    expect(await codeOf(createQueue(ctx, { ref, settings: { visibilityTimeoutSeconds: 46 } }))).toBe(
      'QueueNameExists',
    );
  });

  test('settings are validated with the field, the value and the allowed range', async () => {
    const { ctx } = queueContext(tables);
    const error = await createQueue(ctx, {
      ref: queueRef('v'),
      settings: { visibilityTimeoutSeconds: 50_000 },
    }).catch((e) => e);
    expect(error.message).toBe(
      'visibilityTimeoutSeconds must be an integer from 0 to 43,200, but 50000 was given',
    );
    for (const settings of [
      { retentionSeconds: 59 },
      { delaySeconds: 901 },
      { maxMessageBytes: 1023 },
      { receiveWaitSeconds: 21 },
      { maxReceiveCount: 0, deadLetterQueue: 'x' },
      { maxReceiveCount: 5 },
      { delaySeconds: 1.5 },
    ]) {
      expect(await codeOf(createQueue(ctx, { ref: queueRef('v'), settings }))).toBe('InvalidParameterValue');
    }
    for (const name of ['', 'a b', 'x'.repeat(81), 'q#1', 'a/b']) {
      const code = await codeOf(createQueue(ctx, { ref: { ...queueRef(), name } }));
      expect(['InvalidParameterValue', 'MissingParameter']).toContain(code);
    }
  });

  test('a dead-letter target must exist and not be the queue itself', async () => {
    const { ctx } = queueContext(tables);
    const dlq = queueRef('dlq');
    const ref = queueRef('source');
    expect(
      await codeOf(createQueue(ctx, { ref, settings: { deadLetterQueue: dlq.name, maxReceiveCount: 3 } })),
    ).toBe('InvalidParameterValue');
    await createQueue(ctx, { ref: dlq });
    const { queue } = await createQueue(ctx, {
      ref,
      settings: { deadLetterQueue: dlq.name, maxReceiveCount: 3 },
    });
    expect(queue).toMatchObject({ deadLetterQueue: dlq.name, maxReceiveCount: 3 });
    expect(
      await codeOf(updateQueue(ctx, { ref, settings: { deadLetterQueue: ref.name, maxReceiveCount: 3 } })),
    ).toBe('InvalidParameterValue');
    const removed = await updateQueue(ctx, { ref, removeRedrivePolicy: true });
    expect(removed.deadLetterQueue).toBeUndefined();
    expect(removed.maxReceiveCount).toBeUndefined();
  });

  test('update changes settings and tags, and the change is seen at once', async () => {
    const { ctx } = queueContext(tables);
    const ref = queueRef('update');
    await createQueue(ctx, { ref, tags: { team: 'a' } });
    const updated = await updateQueue(ctx, {
      ref,
      settings: { delaySeconds: 5 },
      tags: { env: 'dev' },
      removeTags: ['team'],
    });
    expect(updated).toMatchObject({ delaySeconds: 5, tags: { env: 'dev' } });
    expect(await getQueue(ctx, ref)).toMatchObject({ delaySeconds: 5 });
    expect(await codeOf(updateQueue(ctx, { ref: queueRef('missing') }))).toBe('QueueDoesNotExist');
  });

  test('list filters by prefix and pages with a token', async () => {
    const { ctx } = queueContext(tables);
    const account = `acct${Date.now()}`;
    const names = Array.from({ length: 7 }, (_, i) => `list-${i}`);
    for (const name of [...names, 'other'])
      await createQueue(ctx, { ref: { account, region: 'us-east-1', name } });
    const seen: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await listQueues(ctx, {
        account,
        region: 'us-east-1',
        prefix: 'list-',
        limit: 3,
        nextToken,
      });
      expect(page.queues.length).toBeLessThanOrEqual(3);
      seen.push(...page.queues.map((q) => q.ref.name));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(seen).toEqual(names);
    // Another region of the same account is another namespace.
    expect((await listQueues(ctx, { account, region: 'eu-west-1' })).queues).toEqual([]);
    expect(await codeOf(listQueues(ctx, { account, region: 'us-east-1', nextToken: '%%%' }))).toBe(
      'InvalidParameterValue',
    );
    expect(await codeOf(listQueues(ctx, { account, region: 'us-east-1', limit: 0 }))).toBe(
      'InvalidParameterValue',
    );
  });

  test('purge removes every message; messages sent after it are kept', async () => {
    const { ctx, clock } = queueContext(tables);
    const ref = queueRef('purge');
    await createQueue(ctx, { ref });
    const batch = Array.from({ length: 10 }, (_, i) => ({
      id: `m${i}`,
      body: `b${i}`,
      delaySeconds: i % 2 === 0 ? 0 : 30,
    }));
    await sendMessageBatch(ctx, ref, batch, sender);
    await receiveMessages(ctx, ref, { maxMessages: 2 });
    expect(await purgeQueue(ctx, ref)).toEqual({ purged: 10, removal: 'background' });
    expect((await describeQueue(ctx, ref)).counts).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    clock.advance(1);
    await sendMessage(ctx, ref, { body: 'after purge' }, sender);
    expect((await receiveMessages(ctx, ref, { maxMessages: 10 })).map((m) => m.body)).toEqual([
      'after purge',
    ]);
  });

  test('delete removes the queue and its messages; a queue created again starts empty', async () => {
    const { ctx } = queueContext(tables);
    const ref = queueRef('delete');
    await createQueue(ctx, { ref });
    await sendMessage(ctx, ref, { body: 'old' }, sender);
    await deleteQueue(ctx, ref);
    expect(await codeOf(getQueue(ctx, ref))).toBe('QueueDoesNotExist');
    expect(await codeOf(sendMessage(ctx, ref, { body: 'x' }, sender))).toBe('QueueDoesNotExist');
    expect(await codeOf(receiveMessages(ctx, ref))).toBe('QueueDoesNotExist');
    expect(await codeOf(deleteQueue(ctx, ref))).toBe('QueueDoesNotExist');
    await createQueue(ctx, { ref });
    expect(await receiveMessages(ctx, ref, { maxMessages: 10 })).toEqual([]);
  });

  test('counts split visible, in flight and delayed across shards', async () => {
    const { ctx } = queueContext(tables, { shards: 3 });
    const ref = queueRef('counts');
    await createQueue(ctx, { ref });
    const batch = Array.from({ length: 9 }, (_, i) => ({
      id: `m${i}`,
      body: 'x',
      delaySeconds: i < 3 ? 100 : 0,
    }));
    await sendMessageBatch(ctx, ref, batch, sender);
    await receiveMessages(ctx, ref, { maxMessages: 4 });
    expect((await describeQueue(ctx, ref)).counts).toEqual({ visible: 2, inFlight: 4, delayed: 3 });
  });
});
