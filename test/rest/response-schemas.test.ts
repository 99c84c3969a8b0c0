import { describe, expect, test } from 'vitest';
import type * as z from 'zod';
import { documentedOperations } from '../../functions/dialects/rest/openapi';
import { problemResponse } from '../../functions/dialects/rest/response-schemas';
import { routes } from '../../functions/routes';
import { call, type JsonResponse, useLocalService } from '../support/local-service';

/**
 * Every reply the REST API sends matches the strict response schema its operation documents: a
 * representation that adds a field the schema lacks (or drops a required one) fails here, so the
 * OpenAPI document, the client types inferred from the schemas and the service cannot drift. Each
 * documented (operation, status) pair with a body must be seen at least once, with the optional
 * fields it can carry (FIFO fields, attributes, dead-letter history, redrive filters) present.
 */
const { url } = useLocalService({ schedules: { everySeconds: { sweeper: 1, redrive: 600 } } });
const seen = new Set<string>();

async function api(operation: string, method: string, path: string, body?: unknown): Promise<JsonResponse> {
  const response = await call(url(), method, path, body);
  const route = routes.find((r) => r.operation === operation);
  expect(route?.method, `${operation} is routed as ${method}`).toBe(method);
  const documented = documentedOperations[operation]?.responses;
  if (response.status >= 400) {
    expectMatches(problemResponse, response.body, `${operation} ${response.status}`);
    return response;
  }
  expect(Object.keys(documented ?? {}), `${operation} documents status ${response.status}`).toContain(
    String(response.status),
  );
  const schema = documented?.[response.status];
  if (schema) expectMatches(schema, response.body, `${operation} ${response.status}`);
  seen.add(`${operation} ${response.status}`);
  return response;
}

function expectMatches(schema: z.ZodType, body: unknown, what: string): void {
  const parsed = schema.safeParse(body);
  expect(parsed.success ? [] : parsed.error.issues, `${what}: ${JSON.stringify(body)}`).toEqual([]);
}

const tag = `${Date.now()}`;

describe('REST replies against their strict response schemas', () => {
  test('queues: create, repeat, list (with and without counts), get, update', async () => {
    const dlq = `shape-dlq-${tag}`;
    expect((await api('createQueue', 'POST', '/queues', { name: dlq })).status).toBe(201);
    const settings = { name: `shape-${tag}`, deadLetterQueue: dlq, maxReceiveCount: 1, tags: { team: 'a' } };
    expect((await api('createQueue', 'POST', '/queues', settings)).status).toBe(201);
    expect((await api('createQueue', 'POST', '/queues', settings)).status).toBe(200);
    const fifo = await api('createQueue', 'POST', '/queues', {
      name: `shape-${tag}.fifo`,
      fifo: true,
      contentBasedDeduplication: true,
    });
    expect(fifo.body).toMatchObject({ fifo: true, deduplicationScope: 'queue' });
    const page = await api('listQueues', 'GET', `/queues?prefix=shape-&limit=1&counts=true`);
    expect(page.body.nextToken).toBeDefined();
    expect(page.body.queues[0].messages).toBeDefined();
    await api('listQueues', 'GET', `/queues?prefix=shape-&nextToken=${page.body.nextToken}`);
    await api('getQueue', 'GET', `/queues/shape-${tag}.fifo`);
    await api('updateQueue', 'PATCH', `/queues/shape-${tag}`, { delaySeconds: 0 });
  });

  test('messages: send (one, batch with a failure), peek, receive, visibility and delete batches', async () => {
    const queue = `/queues/shape-${tag}`;
    const fifo = `/queues/shape-${tag}.fifo`;
    await api('sendMessages', 'POST', `${queue}/messages`, {
      body: 'a',
      attributes: { kind: 'x' },
      priority: 4,
    });
    await api('sendMessages', 'POST', `${fifo}/messages`, { body: 'f', groupId: 'g', deduplicationId: 'd' });
    const batch = await api('sendMessages', 'POST', `${fifo}/messages`, {
      messages: [
        { id: 'ok', body: 'f2', groupId: 'g' },
        { id: 'no-group', body: 'f3' },
      ],
    });
    expect(batch.body.successful[0].sequenceNumber).toBeDefined();
    expect(batch.body.failed).toHaveLength(1);

    expect((await api('peekMessages', 'GET', `${queue}/messages`)).body.messages[0].priority).toBe(4);
    const peekedFifo = await api('peekMessages', 'GET', `${fifo}/messages`);
    expect(peekedFifo.body.messages[0].groupId).toBe('g');

    const received = await api('receiveMessages', 'POST', `${queue}/messages/receive`, {
      visibilityTimeoutSeconds: 30,
    });
    expect(received.body.messages[0]).toMatchObject({ attributes: { kind: expect.anything() }, priority: 4 });
    const fromFifo = await api('receiveMessages', 'POST', `${fifo}/messages/receive`, { maxMessages: 10 });
    expect(fromFifo.body.messages[0]).toMatchObject({ groupId: 'g', deduplicationId: 'd' });

    const handle = received.body.messages[0].receiptHandle;
    const visibility = await api('changeVisibility', 'POST', `${queue}/messages/visibility`, {
      entries: [
        { id: 'v', receiptHandle: handle, visibilityTimeoutSeconds: 20 },
        { id: 'bad', receiptHandle: 'not-a-handle', visibilityTimeoutSeconds: 20 },
      ],
    });
    expect(visibility.body.failed).toHaveLength(1);
    expect(
      (
        await api('changeVisibility', 'POST', `${queue}/messages/visibility`, {
          receiptHandle: handle,
          visibilityTimeoutSeconds: 20,
        })
      ).status,
    ).toBe(204);
    const deleted = await api('deleteMessages', 'POST', `${fifo}/messages/delete`, {
      entries: fromFifo.body.messages.map((m: { receiptHandle: string }, i: number) => ({
        id: `e${i}`,
        receiptHandle: m.receiptHandle,
      })),
    });
    expect(deleted.body.failed).toEqual([]);
    await api('deleteMessage', 'DELETE', `${queue}/messages/${encodeURIComponent(handle)}`);
    await api('queueStats', 'GET', `${queue}/stats?minutes=5`);
    await api('purgeQueue', 'POST', `${fifo}/purge`);
  });

  test('scheduled messages: send and batch with deliverAt, peek of delayed ones, cancel', async () => {
    const queue = `/queues/shape-${tag}`;
    const at = new Date(Date.now() + 3_600_000).toISOString();
    const one = await api('sendMessages', 'POST', `${queue}/messages`, { body: 's', deliverAt: at });
    expect(one.body.deliverAt).toBe(at);
    const batch = await api('sendMessages', 'POST', `${queue}/messages`, {
      messages: [{ id: 's', body: 's2', deliverAt: at }],
    });
    expect(batch.body.successful[0].deliverAt).toBe(at);
    const peeked = await api('peekMessages', 'GET', `${queue}/messages?state=delayed`);
    expect(peeked.body.messages[0].deliverAt).toBe(at);
    const cancelled = await api(
      'cancelScheduled',
      'DELETE',
      `${queue}/messages/scheduled/${one.body.messageId}`,
    );
    expect(cancelled.status).toBe(204);
  });

  test('dead letters and redrive tasks, with their history and filters', { timeout: 30_000 }, async () => {
    const queue = `/queues/shape-${tag}`;
    const dlq = `/queues/shape-dlq-${tag}`;
    const sent = await api('sendMessages', 'POST', `${queue}/messages`, {
      body: 'poison',
      attributes: { k: 'v' },
    });
    // maxReceiveCount 1: received once and released, the next receive moves it to the dead-letter queue.
    await api('receiveMessages', 'POST', `${queue}/messages/receive`, { visibilityTimeoutSeconds: 0 });
    let page: JsonResponse | undefined;
    for (let i = 0; i < 50 && !page?.body.messages?.length; i++) {
      await api('receiveMessages', 'POST', `${queue}/messages/receive`, { visibilityTimeoutSeconds: 0 });
      page = await api('browseDeadLetters', 'GET', `${dlq}/dead-letters?limit=10`);
    }
    expect(page?.body.messages[0]).toMatchObject({
      messageId: sent.body.messageId,
      deadLetter: { firstReceivedAt: expect.any(String), lastReceivedAt: expect.any(String) },
    });
    const started = await api('startRedrive', 'POST', `${dlq}/redrive`, {
      messageIds: [sent.body.messageId],
      attribute: { name: 'k', value: 'v' },
      deadLetteredAfter: '2020-01-01T00:00:00Z',
      deadLetteredBefore: '2100-01-01T00:00:00.000+01:00',
    });
    expect(started.body.filter).toMatchObject({ deadLetteredAfter: '2020-01-01T00:00:00.000Z' });
    await api('listRedrives', 'GET', `${dlq}/redrive`);
    await api('getRedrive', 'GET', `${dlq}/redrive/${started.body.taskId}`);
    await api('cancelRedrive', 'POST', `${dlq}/redrive/${started.body.taskId}/cancel`);
  });

  test('archives and replays', { timeout: 30_000 }, async () => {
    const queue = `/queues/shape-archive-${tag}`;
    await api('createQueue', 'POST', '/queues', {
      name: `shape-archive-${tag}`,
      archiveRetentionSeconds: 3600,
    });
    const from = new Date(Date.now() - 60_000).toISOString();
    await api('sendMessages', 'POST', `${queue}/messages`, {
      messages: [
        { id: 'a', body: 'one', attributes: { k: 'v' }, groupId: 'tenant' },
        { id: 'b', body: 'two' },
      ],
    });
    const both = await api('browseArchive', 'GET', `${queue}/archive?from=${from}`);
    expect(both.body.messages.find((m: { body: string }) => m.body === 'one')).toMatchObject({
      groupId: 'tenant',
      attributes: { k: expect.any(Object) },
    });
    const page = await api('browseArchive', 'GET', `${queue}/archive?limit=1&from=${from}`);
    await api('browseArchive', 'GET', `${queue}/archive?nextToken=${page.body.nextToken}&from=${from}`);
    const started = await api('startReplay', 'POST', `${queue}/replays`, {
      from,
      to: new Date(Date.now() + 60_000).toISOString(),
      attributeName: 'k',
      attributeValue: 'v',
    });
    expect(started.status).toBe(202);
    await api('listReplays', 'GET', `${queue}/replays`);
    await api('getReplay', 'GET', `${queue}/replays/${started.body.taskId}`);
    await api('cancelReplay', 'DELETE', `${queue}/replays/${started.body.taskId}`);
  });

  test('topics: create, repeat, list, get, subscribe, list and update subscriptions, publish, delete', async () => {
    const topic = `shape-topic-${tag}`;
    expect((await api('createTopic', 'POST', '/topics', { name: topic })).status).toBe(201);
    expect((await api('createTopic', 'POST', '/topics', { name: topic })).status).toBe(200);
    await api('listTopics', 'GET', '/topics');
    await api('getTopic', 'GET', `/topics/${topic}`);
    const subscription = await api('createSubscription', 'POST', `/topics/${topic}/subscriptions`, {
      protocol: 'queue',
      endpoint: `shape-${tag}`,
      filterPolicy: { kind: ['x'] },
    });
    expect(subscription.status).toBe(201);
    await api('listSubscriptions', 'GET', `/topics/${topic}/subscriptions`);
    await api('updateSubscription', 'PATCH', `/topics/${topic}/subscriptions/${subscription.body.id}`, {
      rawDelivery: true,
    });
    const one = await api('publish', 'POST', `/topics/${topic}/messages`, {
      body: 'p',
      attributes: { kind: { dataType: 'String', stringValue: 'x' } },
    });
    expect(one.body.matched).toEqual([subscription.body.id]);
    const batch = await api('publish', 'POST', `/topics/${topic}/messages`, { messages: [{ body: 'q' }] });
    expect(batch.status).toBe(200);
    await api('deleteSubscription', 'DELETE', `/topics/${topic}/subscriptions/${subscription.body.id}`);
    await api('deleteTopic', 'DELETE', `/topics/${topic}`);
  });

  test('refusals are problem documents', async () => {
    const missing = await api('getQueue', 'GET', `/queues/no-such-queue-${tag}`);
    expect(missing.status).toBe(404);
    const invalid = await api('createQueue', 'POST', '/queues', { name: 'x', visibilityTimeoutSeconds: -1 });
    expect(invalid.body.field).toBe('visibilityTimeoutSeconds');
  });

  test('fair queues: a groupId on a standard queue comes back on receive; counts carry the fair figures', async () => {
    const queue = `/queues/shape-fair-${tag}`;
    await api('createQueue', 'POST', '/queues', { name: `shape-fair-${tag}` });
    await api('sendMessages', 'POST', `${queue}/messages`, { body: 'a', groupId: 'tenant-a' });
    await api('sendMessages', 'POST', `${queue}/messages`, {
      messages: [{ id: 'b', body: 'b', groupId: 'tenant-b' }],
    });
    const described = await api('getQueue', 'GET', queue);
    expect(described.body.messages).toMatchObject({
      visible: 2,
      fairness: { noisyGroups: 0, quietVisible: 2, quietInFlight: 0 },
    });
    const received = await api('receiveMessages', 'POST', `${queue}/messages/receive`, { maxMessages: 10 });
    const groups = received.body.messages.map((m: { groupId?: string }) => m.groupId).sort();
    expect(groups).toEqual(['tenant-a', 'tenant-b']);
  });

  test('push consumers: create (with its secret, once), list, get, update, delete', async () => {
    const queue = `/queues/shape-push-${tag}`;
    await api('createQueue', 'POST', '/queues', { name: `shape-push-${tag}` });
    const created = await api('createConsumer', 'POST', `${queue}/consumers`, {
      target: { url: 'https://push.example.com/orders' },
      batchSize: 5,
      enabled: false,
    });
    expect(created.status).toBe(201);
    expect(created.body.secret).toBeDefined();
    const path = `${queue}/consumers/${created.body.id}`;
    expect((await api('listConsumers', 'GET', `${queue}/consumers`)).body.consumers).toHaveLength(1);
    expect((await api('getConsumer', 'GET', path)).body.secret).toBeUndefined();
    await api('updateConsumer', 'PATCH', path, { maximumConcurrency: 2 });
    expect((await api('deleteConsumer', 'DELETE', path)).status).toBe(204);
  });

  // Tests of a file run in order: this one, last, checks the ones above covered every documented reply.
  test('every documented reply with a body was produced and checked above', () => {
    const documented = Object.entries(documentedOperations).flatMap(([operation, { responses }]) =>
      Object.entries(responses)
        .filter(([, schema]) => schema !== null)
        .map(([status]) => `${operation} ${status}`),
    );
    const missing = documented.filter((pair) => !seen.has(pair));
    expect(missing, 'documented replies no test produced').toEqual([]);
  });
});
