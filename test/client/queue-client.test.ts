import { describe, expect, test } from 'vitest';
import { QueueApiError, QueueClient } from '../../client';
import { useLocalService } from '../support/local-service';

/**
 * The package's REST client (`dynamo-queue/client`) against the local service: every call a user
 * makes, its replies typed by the service's own schemas, and refusals as QueueApiError with the
 * problem details. test/package/cdk-app.test.ts runs it again from the packed package.
 */
const local = useLocalService();
const client = () => new QueueClient({ endpoint: local.url() });
const tag = Date.now();

describe('QueueClient', () => {
  test('queues: create, get, update, list page by page, delete', async () => {
    const name = `client-${tag}`;
    const created = await client().createQueue({ name, visibilityTimeoutSeconds: 30, tags: { team: 'a' } });
    expect(created).toMatchObject({ name, visibilityTimeoutSeconds: 30, tags: { team: 'a' } });
    expect((await client().getQueue(name)).messages).toEqual({
      visible: 0,
      inFlight: 0,
      delayed: 0,
      oldestMessageAgeSeconds: 0,
    });
    expect((await client().updateQueue(name, { delaySeconds: 2 })).delaySeconds).toBe(2);
    for (const n of [1, 2]) await client().createQueue({ name: `${name}-${n}` });
    const page = await client().listQueues({ prefix: name, limit: 1 });
    expect(page.queues).toHaveLength(1);
    expect(page.nextToken).toBeDefined();
    const all: string[] = [];
    for await (const queue of client().queues({ prefix: name })) all.push(queue.name);
    expect(all.sort()).toEqual([name, `${name}-1`, `${name}-2`]);
    await client().deleteQueue(`${name}-2`);
    await expect(client().getQueue(`${name}-2`)).rejects.toBeInstanceOf(QueueApiError);
  });

  test('messages: send, batch, peek, receive, extend, delete, purge, stats', async () => {
    const name = `client-msg-${tag}`;
    await client().createQueue({ name });
    const sent = await client().sendMessage(name, { body: 'one', attributes: { kind: 'x' } });
    const batch = await client().sendMessageBatch(name, [
      { id: 'a', body: 'two' },
      { id: 'b', body: 'three', delaySeconds: 600 },
    ]);
    expect(batch.successful.map((entry) => entry.id)).toEqual(['a', 'b']);
    expect(batch.failed).toEqual([]);
    expect((await client().peekMessages(name)).map((m) => m.body).sort()).toEqual(['one', 'three', 'two']);

    const received = await client().receiveMessages(name, { maxMessages: 10, waitTimeSeconds: 1 });
    expect(received.map((m) => m.body).sort()).toEqual(['one', 'two']);
    const one = received.find((m) => m.messageId === sent.messageId)!;
    expect(one.attributes.kind).toEqual({ dataType: 'String', stringValue: 'x' });
    await client().changeVisibility(name, one.receiptHandle, 60);
    const extended = await client().changeVisibilityBatch(name, [
      { id: 'ok', receiptHandle: one.receiptHandle, visibilityTimeoutSeconds: 60 },
    ]);
    expect(extended.failed).toEqual([]);
    await client().deleteMessage(name, one.receiptHandle);
    const two = received.find((m) => m.messageId !== sent.messageId)!;
    expect(
      (await client().deleteMessageBatch(name, [{ id: 't', receiptHandle: two.receiptHandle }])).failed,
    ).toEqual([]);
    await client().sendMessage(name, { body: 'to purge' });
    expect(await client().purgeQueue(name)).toEqual({ purged: 2, removal: 'background' });
    const stats = await client().queueStats(name, { minutes: 5 });
    expect(stats.minutes.reduce((sum, minute) => sum + minute.sent, 0)).toBe(4);
  });

  test('dead letters and redrive tasks', async () => {
    const dlq = `client-dlq-${tag}`;
    const source = `client-src-${tag}`;
    await client().createQueue({ name: dlq });
    await client().createQueue({ name: source, deadLetterQueue: dlq, maxReceiveCount: 1 });
    await client().sendMessage(source, { body: 'poison' });
    await client().receiveMessages(source, { visibilityTimeoutSeconds: 0, waitTimeSeconds: 0 });
    let page = await client().browseDeadLetters(dlq);
    for (let i = 0; i < 50 && page.messages.length === 0; i++) {
      await client().receiveMessages(source, { visibilityTimeoutSeconds: 0, waitTimeSeconds: 0 });
      page = await client().browseDeadLetters(dlq, { order: 'oldest', limit: 10 });
    }
    expect(page.messages[0]).toMatchObject({ body: 'poison', deadLetter: { sourceQueue: source } });
    const task = await client().startRedrive(dlq, { maxMessagesPerSecond: 10 });
    expect(task).toMatchObject({ source: dlq, toMove: 1 });
    expect((await client().listRedrives(dlq)).map((t) => t.taskId)).toContain(task.taskId);
    expect((await client().getRedrive(dlq, task.taskId)).taskId).toBe(task.taskId);
  });

  test('refusals carry the problem details; an unreachable service is status 0 and retryable', async () => {
    const missing = await client()
      .getQueue('no-such-queue')
      .catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(QueueApiError);
    expect(missing).toMatchObject({
      status: 404,
      code: 'QueueDoesNotExist',
      retryable: false,
      problem: { status: 404, code: 'QueueDoesNotExist', type: expect.any(String) },
    });
    const invalid = await client()
      .createQueue({ name: `client-bad-${tag}`, visibilityTimeoutSeconds: 50_000 })
      .catch((error: unknown) => error as QueueApiError);
    expect(invalid).toMatchObject({ status: 400, problem: { field: 'visibilityTimeoutSeconds' } });
    expect((invalid as QueueApiError).message).toContain('visibilityTimeoutSeconds');

    const nowhere = new QueueClient({ endpoint: 'http://127.0.0.1:9', timeoutMs: 2_000 });
    const unreachable = (await nowhere.listQueues().catch((error: unknown) => error)) as QueueApiError;
    expect(unreachable).toMatchObject({ status: 0, retryable: true });
    expect(unreachable.message).toContain('127.0.0.1:9');
  });
});
