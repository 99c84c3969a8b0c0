import { describe, expect, test } from 'vitest';
import { call, useLocalService } from '../support/local-service';

/** The REST dialect of topics against the local service. */
const { url } = useLocalService();
const unique = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2, 8)}`;

describe('REST topics', () => {
  test('create, subscribe queues with filters, publish single and batch, and the queues get their messages', async () => {
    const name = unique('events');
    const created = await call(url(), 'POST', '/topics', { name, tags: { team: 'ops' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name,
      fifo: false,
      arn: `arn:aws:sns:us-east-1:000000000000:${name}`,
    });
    expect((await call(url(), 'POST', '/topics', { name, tags: { team: 'ops' } })).status).toBe(200);
    expect((await call(url(), 'POST', '/topics', { name, fifo: true })).status).toBe(400);

    const paid = unique('paid');
    const all = unique('all');
    for (const queue of [paid, all])
      expect((await call(url(), 'POST', '/queues', { name: queue })).status).toBe(201);
    const subscription = await call(url(), 'POST', `/topics/${name}/subscriptions`, {
      protocol: 'queue',
      endpoint: paid,
      filterPolicy: { state: ['paid'] },
      filterPolicyScope: 'body',
      rawDelivery: true,
    });
    expect(subscription.status).toBe(201);
    expect(subscription.body).toMatchObject({
      protocol: 'queue',
      filterPolicyScope: 'body',
      rawDelivery: true,
    });
    await call(url(), 'POST', `/topics/${name}/subscriptions`, { protocol: 'queue', endpoint: all });

    const one = await call(url(), 'POST', `/topics/${name}/messages`, {
      body: JSON.stringify({ state: 'paid' }),
    });
    expect(one.status).toBe(201);
    expect(one.body.matched).toHaveLength(2);
    const batch = await call(url(), 'POST', `/topics/${name}/messages`, {
      messages: [
        { body: JSON.stringify({ state: 'open' }) },
        { id: 'b', body: JSON.stringify({ state: 'paid' }) },
      ],
    });
    expect(batch.status).toBe(200);
    expect(batch.body.successful.map((s: { id: string }) => s.id).sort()).toEqual(['0', 'b']);

    const received = await call(url(), 'POST', `/queues/${paid}/messages/receive`, { maxMessages: 10 });
    expect(received.body.messages.map((m: { body: string }) => m.body)).toEqual([
      JSON.stringify({ state: 'paid' }),
      JSON.stringify({ state: 'paid' }),
    ]);
    const envelopes = await call(url(), 'POST', `/queues/${all}/messages/receive`, { maxMessages: 10 });
    expect(envelopes.body.messages).toHaveLength(3);
    expect(JSON.parse(envelopes.body.messages[0].body).Type).toBe('Notification');

    // Changing the filter takes effect on the next publish.
    const changed = await call(url(), 'PATCH', `/topics/${name}/subscriptions/${subscription.body.id}`, {
      filterPolicy: { state: ['open'] },
    });
    expect(changed.status).toBe(200);
    const next = await call(url(), 'POST', `/topics/${name}/messages`, {
      body: JSON.stringify({ state: 'paid' }),
    });
    expect(next.body.matched).toHaveLength(1);

    const listed = await call(url(), 'GET', `/topics/${name}/subscriptions`);
    expect(listed.body.subscriptions).toHaveLength(2);
    expect((await call(url(), 'GET', '/topics')).body.topics.map((t: { name: string }) => t.name)).toContain(
      name,
    );
    expect(
      (await call(url(), 'DELETE', `/topics/${name}/subscriptions/${subscription.body.id}`)).status,
    ).toBe(204);
    expect((await call(url(), 'DELETE', `/topics/${name}`)).status).toBe(204);
    expect((await call(url(), 'GET', `/topics/${name}`)).status).toBe(404);
  });

  test('bad input gets a problem naming the field', async () => {
    const name = unique('bad');
    await call(url(), 'POST', '/topics', { name });
    const policy = await call(url(), 'POST', `/topics/${name}/subscriptions`, {
      protocol: 'queue',
      endpoint: 'q',
      filterPolicy: { a: [{ numeric: ['>', 3, '<', 1] }] },
    });
    expect(policy.status).toBe(400);
    expect(policy.headers.get('content-type')).toContain('application/problem+json');
    expect(policy.body).toMatchObject({
      code: 'InvalidParameter',
      field: 'FilterPolicy',
      detail: 'Invalid parameter: Attributes Reason: FilterPolicy: Bottom must be less than top',
    });
    expect((await call(url(), 'POST', `/topics/${name}/messages`, { body: '' })).body).toMatchObject({
      status: 400,
      detail: 'Invalid parameter: Empty message',
    });
    expect((await call(url(), 'POST', '/topics/nope/messages', { body: 'x' })).status).toBe(404);
    expect(
      (await call(url(), 'POST', `/topics/${name}/subscriptions`, { protocol: 'email', endpoint: 'a@b.c' }))
        .status,
    ).toBe(400);
  });
  test('http subscriptions take a retry policy and a dead-letter queue, shown back and removable', async () => {
    const name = unique('hooks');
    expect((await call(url(), 'POST', '/topics', { name })).status).toBe(201);
    const created = await call(url(), 'POST', `/topics/${name}/subscriptions`, {
      protocol: 'http',
      // Nothing listens there: the confirmation is not delivered, the subscription stays pending.
      endpoint: 'http://127.0.0.1:9/hook',
      deadLetterQueue: 'hook-failures',
      retryPolicy: { numRetries: 5, minDelaySeconds: 2, maxDelaySeconds: 60, backoff: 'exponential' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      protocol: 'http',
      pendingConfirmation: true,
      deadLetterQueue: 'arn:aws:sqs:us-east-1:000000000000:hook-failures',
      retryPolicy: { numRetries: 5, minDelaySeconds: 2, maxDelaySeconds: 60, backoff: 'exponential' },
    });
    const id = created.body.id as string;
    const bad = await call(url(), 'PATCH', `/topics/${name}/subscriptions/${id}`, {
      retryPolicy: { numRetries: 101 },
    });
    expect(bad.status).toBe(400);
    const cleared = await call(url(), 'PATCH', `/topics/${name}/subscriptions/${id}`, {
      deadLetterQueue: null,
      retryPolicy: null,
    });
    expect(cleared.status).toBe(200);
    expect(cleared.body.deadLetterQueue).toBeUndefined();
    // Without its own policy an http subscription retries as SNS does by default.
    expect(cleared.body.retryPolicy).toEqual({
      numRetries: 3,
      minDelaySeconds: 20,
      maxDelaySeconds: 20,
      backoff: 'linear',
    });
  });
});
