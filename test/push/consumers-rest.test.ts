import { describe, expect, test } from 'vitest';
import { call, useLocalService } from '../support/local-service';

/** The consumer routes: create, list, read, change, delete, and what bad input gets. */
const { url } = useLocalService({ push: false });

async function queue(name: string, fifo = false) {
  const created = await call(url(), 'POST', '/queues', { name, ...(fifo ? { fifo: true } : {}) });
  expect(created.status).toBe(201);
  return name;
}

describe('consumer routes', () => {
  test('create, list, read, change and delete a consumer', async () => {
    const name = await queue('push-crud');
    const created = await call(url(), 'POST', `/queues/${name}/consumers`, {
      target: { url: 'https://example.com/hook' },
      batchSize: 25,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      queue: name,
      target: { url: 'https://example.com/hook' },
      batchSize: 25,
      maximumBatchingWindowSeconds: 0,
      maximumConcurrency: 5,
      reportBatchItemFailures: false,
      enabled: true,
    });
    // The signing secret is shown once, at creation.
    expect(created.body.secret).toMatch(/^[\w-]{43}$/);
    expect(created.headers.get('location')).toBe(`/queues/${name}/consumers/${created.body.id}`);
    const read = await call(url(), 'GET', `/queues/${name}/consumers/${created.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body.secret).toBeUndefined();
    expect((await call(url(), 'GET', `/queues/${name}/consumers`)).body.consumers).toHaveLength(1);
    const paused = await call(url(), 'PATCH', `/queues/${name}/consumers/${created.body.id}`, {
      enabled: false,
    });
    expect(paused.body).toMatchObject({ enabled: false, batchSize: 25 });
    expect((await call(url(), 'DELETE', `/queues/${name}/consumers/${created.body.id}`)).status).toBe(204);
    const gone = await call(url(), 'GET', `/queues/${name}/consumers/${created.body.id}`);
    expect(gone.status).toBe(404);
    expect((await call(url(), 'GET', `/queues/${name}/consumers`)).body.consumers).toEqual([]);
  });

  test('a module target is accepted by the local service', async () => {
    const name = await queue('push-module');
    const created = await call(url(), 'POST', `/queues/${name}/consumers`, {
      target: { module: './consumer.mjs#handler' },
    });
    expect(created.status).toBe(201);
    expect(created.body.secret).toBeUndefined();
  });

  test.each([
    [{}, 'target'],
    [{ target: { url: 'ftp://example.com' } }, 'target.url'],
    [{ target: { url: 'https://user:pw@example.com' } }, 'target.url'],
    [{ target: { functionArn: 'arn:aws:sqs:us-east-1:123456789012:q' } }, 'target.functionArn'],
    [{ target: { module: 'handler.js' } }, 'target.module'],
    [{ target: { url: 'https://example.com' }, batchSize: 0 }, 'batchSize'],
    [{ target: { url: 'https://example.com' }, batchSize: 101 }, 'batchSize'],
    [{ target: { url: 'https://example.com' }, maximumConcurrency: 0 }, 'maximumConcurrency'],
    [
      { target: { url: 'https://example.com' }, maximumBatchingWindowSeconds: 301 },
      'maximumBatchingWindowSeconds',
    ],
    [{ target: { url: 'https://example.com' }, enabled: 'yes' }, 'enabled'],
    [{ target: { url: 'https://example.com' }, color: 'blue' }, 'color'],
  ])('bad input %j is a 400 naming %s', async (body, field) => {
    const name = await queue(`push-bad-${Math.random().toString(36).slice(2, 8)}`);
    const refused = await call(url(), 'POST', `/queues/${name}/consumers`, body);
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(JSON.stringify(refused.body)).toContain(field);
  });

  test('a FIFO queue takes batches of at most 10; unknown queues and consumers are 404', async () => {
    const name = await queue('push-order.fifo', true);
    const refused = await call(url(), 'POST', `/queues/${name}/consumers`, {
      target: { url: 'https://example.com' },
      batchSize: 11,
    });
    expect(refused.status).toBe(400);
    expect((await call(url(), 'GET', '/queues/no-such-queue/consumers')).status).toBe(404);
    expect((await call(url(), 'DELETE', `/queues/${name}/consumers/nope`)).status).toBe(404);
    expect((await call(url(), 'PATCH', `/queues/${name}/consumers/nope`, { enabled: true })).status).toBe(
      404,
    );
  });
});
