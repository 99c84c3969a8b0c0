import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { dialects } from '../../chaos/clients';
import type { FaultKind } from '../../chaos/faults';
import { ManualClock } from '../../functions/queue/clock';
import { sweep } from '../../functions/queue/operations/sweep';
import { createQueue, messageDelete, queueName, useChaosService } from './support';
import { callOver, expectedRetryable } from './wire';

/**
 * Faults DynamoDB Local never produces, injected into the service's DynamoDB client: each must
 * reach the caller as a retryable error in the caller's dialect and leave the queue as it was;
 * and a response lost after DynamoDB applied a write must neither lose nor double anything.
 * The clock is moved by hand so leases can run out without waiting.
 */
const clock = new ManualClock(Date.now());
const chaos = useChaosService({ clock });
const sdkAttempts = 3;

// The service logs each retryable failure (a WARN line): keep them out of the test output, and
// check they never carry a message body.
const logged: string[] = [];
beforeAll(() => {
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void logged.push(args.join(' ')));
});
afterAll(() => {
  vi.restoreAllMocks();
  expect(logged.length).toBeGreaterThan(0);
  expect(logged.filter((line) => /payload|never stored/.test(line))).toEqual([]);
});

async function queueWithOneMessage(settings: Record<string, unknown> = {}) {
  const queue = queueName('faults');
  await createQueue(chaos.url(), { name: queue, visibilityTimeoutSeconds: 30, ...settings });
  const client = chaos.rest(queue);
  const [sent] = await client.send([{ id: 'only', body: 'payload' }]);
  return { queue, client, messageId: sent!.messageId! };
}

/** Deletes counted in the queue's statistics over the last hour (the REST stats route). */
async function deletedCount(queue: string): Promise<number> {
  const response = await fetch(`${chaos.url()}/queues/${queue}/stats`);
  const stats = (await response.json()) as { minutes: { deleted: number }[] };
  return stats.minutes.reduce((sum, m) => sum + m.deleted, 0);
}

const removalsOf = (messageId: string) =>
  chaos.oracle.writes.filter((w) => w.messageId === messageId && w.kind === 'remove').length;

describe.each(dialects)('a failing DynamoDB call becomes a retryable error (%s)', (dialect) => {
  const receiveFaults: {
    fault: string;
    command: string;
    kind: FaultKind;
    times: number;
    error: keyof typeof expectedRetryable;
  }[] = [
    {
      fault: 'throttled on every attempt',
      command: 'Query',
      kind: 'throttle',
      times: sdkAttempts,
      error: 'RequestThrottled',
    },
    {
      fault: 'HTTP 500 on every attempt',
      command: 'Query',
      kind: 'internal',
      times: sdkAttempts,
      error: 'ServiceUnavailable',
    },
    {
      fault: 'timed out on every attempt',
      command: 'Query',
      kind: 'timeout',
      times: sdkAttempts,
      error: 'ServiceUnavailable',
    },
    {
      fault: 'a transaction conflict on the lease',
      command: 'UpdateItem',
      kind: 'conflict',
      times: 1,
      error: 'ServiceUnavailable',
    },
  ];

  test.each(receiveFaults)('receive, $fault: $error, and the message stays available', async (c) => {
    const { queue, client, messageId } = await queueWithOneMessage();
    chaos.faults.inject({ command: c.command, kind: c.kind, times: c.times, waitMs: 0 });
    const reply = await callOver(dialect, chaos.url(), queue, { action: 'receive' });
    expect(chaos.faults.pendingRules()).toBe(0);
    expect(reply).toMatchObject(expectedRetryable[c.error][dialect]);
    expect(await client.counts()).toMatchObject({ visible: 1, inFlight: 0, delayed: 0 });
    const [message] = await client.receive({ maxMessages: 10, waitSeconds: 0 });
    expect(message).toMatchObject({ messageId, receiveCount: 1, body: 'payload' });
  });

  test('send, storage failing on every attempt: ServiceUnavailable, and nothing is stored', async () => {
    const queue = queueName('faults');
    await createQueue(chaos.url(), { name: queue });
    // A send is one conditional PutItem per message, with the SDK's attempts.
    chaos.faults.inject({ command: 'PutItem', kind: 'internal', times: sdkAttempts });
    const reply = await callOver(dialect, chaos.url(), queue, { action: 'send', body: 'never stored' });
    expect(chaos.faults.pendingRules()).toBe(0);
    expect(reply).toMatchObject(expectedRetryable.ServiceUnavailable[dialect]);
    expect(await chaos.rest(queue).counts()).toMatchObject({ visible: 0, inFlight: 0, delayed: 0 });
  });

  test('delete, a transaction conflict: ServiceUnavailable, the lease still holds, a retry deletes', async () => {
    const { queue, client } = await queueWithOneMessage();
    const [message] = await client.receive({ maxMessages: 1, waitSeconds: 0 });
    chaos.faults.inject({ ...messageDelete, kind: 'conflict' });
    const reply = await callOver(dialect, chaos.url(), queue, {
      action: 'delete',
      receiptHandle: message!.receiptHandle,
    });
    expect(reply).toMatchObject(expectedRetryable.ServiceUnavailable[dialect]);
    expect(await client.counts()).toMatchObject({ visible: 0, inFlight: 1, delayed: 0 });
    const retried = await callOver(dialect, chaos.url(), queue, {
      action: 'delete',
      receiptHandle: message!.receiptHandle,
    });
    expect(retried.status).toBeLessThan(300);
    expect(await client.counts()).toMatchObject({ visible: 0, inFlight: 0, delayed: 0 });
  });
});

describe('a response lost after DynamoDB applied the write', () => {
  test('delete: the SDK retry finds the message gone and succeeds; it was removed once', async () => {
    const { queue, client, messageId } = await queueWithOneMessage();
    const [message] = await client.receive({ maxMessages: 1, waitSeconds: 0 });
    chaos.faults.inject({ ...messageDelete, kind: 'dropResponse', waitMs: 0 });
    await expect(client.delete(message!.receiptHandle)).resolves.toBeUndefined();
    expect(removalsOf(messageId)).toBe(1);
    // The caller's own retry of the same delete is harmless too.
    await expect(client.delete(message!.receiptHandle)).resolves.toBeUndefined();
    expect(await client.counts()).toMatchObject({ visible: 0, inFlight: 0, delayed: 0 });
    // The SDK's retry recognised its own tombstone, the caller's retry did not: counted once.
    expect(await deletedCount(queue)).toBe(1);
  });

  test('delete of a large message: the SDK retry after a lost response still removes its body parts', async () => {
    const queue = queueName('faults');
    await createQueue(chaos.url(), { name: queue, visibilityTimeoutSeconds: 30 });
    const client = chaos.rest(queue);
    const [sent] = await client.send([{ id: 'big', body: 'x'.repeat(10_000) }]);
    const messageId = sent!.messageId!;
    const runtime = chaos.service().runtime;
    const record = await runtime.queue.queues.require({
      account: runtime.account,
      region: runtime.region,
      name: queue,
    });
    const itemsOfMessage = async () => {
      const out = await chaos.service().cleanClient.send(
        new QueryCommand({
          TableName: chaos.tables.messages,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: `m#${record.id}#${messageId}` } },
          ConsistentRead: true,
        }),
      );
      return (out.Items ?? []).map((item) => item.sk!.S!).sort();
    };
    expect((await itemsOfMessage()).filter((sk) => sk.startsWith('b#')).length).toBeGreaterThan(0);
    const [message] = await client.receive({ maxMessages: 1, waitSeconds: 0 });
    chaos.faults.inject({ ...messageDelete, kind: 'dropResponse', waitMs: 0 });
    await expect(client.delete(message!.receiptHandle)).resolves.toBeUndefined();
    // Only the tombstone is left: no part outlives its message.
    expect(await itemsOfMessage()).toEqual(['m']);
  });

  test('delete: when the SDK gives up after the applied attempt, the caller gets 503; its retry succeeds', async () => {
    const { queue, client, messageId } = await queueWithOneMessage();
    const [message] = await client.receive({ maxMessages: 1, waitSeconds: 0 });
    // The first attempt is applied and its answer lost; the SDK's other attempts time out.
    chaos.faults.inject({ ...messageDelete, kind: 'dropResponse', waitMs: 0 });
    chaos.faults.inject({ ...messageDelete, kind: 'timeout', times: sdkAttempts - 1, waitMs: 0 });
    const reply = await callOver('rest', chaos.url(), queue, {
      action: 'delete',
      receiptHandle: message!.receiptHandle,
    });
    expect(reply.status).toBe(503);
    await expect(client.delete(message!.receiptHandle)).resolves.toBeUndefined();
    expect(removalsOf(messageId)).toBe(1);
    clock.advance(31_000);
    expect(await client.receive({ maxMessages: 10, waitSeconds: 0 })).toEqual([]);
  });

  test('receive: the leased message is not delivered twice and not lost; it comes back after its lease', async () => {
    const { client, messageId } = await queueWithOneMessage();
    chaos.faults.inject({
      command: 'UpdateItem',
      kind: 'dropResponse',
      waitMs: 0,
      match: (input) => input.ReturnValues === 'ALL_NEW',
    });
    const first = await client.receive({ maxMessages: 10, waitSeconds: 0 });
    expect(chaos.faults.pendingRules()).toBe(0);
    let delivered = first.find((m) => m.messageId === messageId);
    if (!delivered) {
      // At-least-once: the lease the caller never heard of hides the message until it ends.
      expect(await client.counts()).toMatchObject({ visible: 0, inFlight: 1, delayed: 0 });
      expect(await client.receive({ maxMessages: 10, waitSeconds: 0 })).toEqual([]);
      clock.advance(30_000);
      [delivered] = await client.receive({ maxMessages: 10, waitSeconds: 0 });
      expect(delivered).toMatchObject({ messageId, receiveCount: 2 });
    }
    expect(await client.receive({ maxMessages: 10, waitSeconds: 0 })).toEqual([]);
    await client.delete(delivered!.receiptHandle);
    expect(await client.counts()).toMatchObject({ visible: 0, inFlight: 0, delayed: 0 });
  });

  test('send: the retried write stores one message, delivered once', async () => {
    const queue = queueName('faults');
    await createQueue(chaos.url(), { name: queue });
    const client = chaos.rest(queue);
    chaos.faults.inject({ command: 'PutItem', kind: 'dropResponse', waitMs: 0 });
    const [sent] = await client.send([{ id: 'only', body: 'once' }]);
    expect(chaos.faults.pendingRules()).toBe(0);
    const received = await client.receive({ maxMessages: 10, waitSeconds: 0 });
    expect(received.map((m) => m.messageId)).toEqual([sent!.messageId]);
  });

  test('change visibility: an extension whose response was lost is applied and answered 204', async () => {
    const { queue, client } = await queueWithOneMessage();
    const [message] = await client.receive({ maxMessages: 1, waitSeconds: 0 });
    chaos.faults.inject({ command: 'UpdateItem', kind: 'dropResponse', waitMs: 0 });
    const response = await fetch(`${chaos.url()}/queues/${queue}/messages/visibility`, {
      method: 'POST',
      body: JSON.stringify({ receiptHandle: message!.receiptHandle, visibilityTimeoutSeconds: 120 }),
    });
    expect(response.status).toBe(204);
    clock.advance(60_000);
    expect(await client.receive({ maxMessages: 10, waitSeconds: 0 })).toEqual([]);
  });
});

describe('moving to the dead-letter queue under faults', () => {
  async function exhaustedMessage() {
    const deadLetterQueue = queueName('dlq');
    await createQueue(chaos.url(), { name: deadLetterQueue });
    const { queue, client, messageId } = await queueWithOneMessage({ deadLetterQueue, maxReceiveCount: 1 });
    await client.receive({ maxMessages: 1, waitSeconds: 0 });
    clock.advance(31_000);
    return { client, messageId, deadLetters: chaos.rest(deadLetterQueue), queue };
  }

  test('a lost response of the move leaves the message in exactly one queue', async () => {
    const { client, messageId, deadLetters } = await exhaustedMessage();
    chaos.faults.inject({ command: 'TransactWriteItems', kind: 'dropResponse', waitMs: 0 });
    await sweep(chaos.service().runtime.queue);
    expect(chaos.faults.pendingRules()).toBe(0);
    expect(await client.counts()).toMatchObject({ visible: 0, inFlight: 0, delayed: 0 });
    const moved = await deadLetters.receive({ maxMessages: 10, waitSeconds: 0 });
    expect(moved.map((m) => m.messageId)).toEqual([messageId]);
  });

  test('a conflict on the move leaves the message where it was; the next sweep moves it', async () => {
    const { client, messageId, deadLetters } = await exhaustedMessage();
    chaos.faults.inject({ command: 'TransactWriteItems', kind: 'conflict' });
    await expect(sweep(chaos.service().runtime.queue)).rejects.toMatchObject({ code: 'ServiceUnavailable' });
    expect(await client.counts()).toMatchObject({ visible: 1, inFlight: 0, delayed: 0 });
    expect(await deadLetters.counts()).toMatchObject({ visible: 0, inFlight: 0, delayed: 0 });
    await sweep(chaos.service().runtime.queue);
    expect(await client.counts()).toMatchObject({ visible: 0, inFlight: 0, delayed: 0 });
    const moved = await deadLetters.receive({ maxMessages: 10, waitSeconds: 0 });
    expect(moved.map((m) => m.messageId)).toEqual([messageId]);
  });
});
