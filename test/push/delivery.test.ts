import { createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { md5OfBody } from '../../functions/dialects/sqs/md5';
import { dispatch } from '../../functions/push/dispatch';
import { sweep } from '../../functions/queue/operations/sweep';
import { call, useLocalService } from '../support/local-service';
import { startTargetServer, type TargetServer, until } from './target-server';

/**
 * Push delivery end to end: the local service's dispatcher pushes batches to a real HTTP server
 * and a real handler module, over DynamoDB Local, with Lambda's outcome rules.
 */
const { url, service } = useLocalService({ push: true });
let target: TargetServer;
beforeAll(async () => {
  target = await startTargetServer();
});
afterAll(async () => {
  await target.close();
});

let queueCount = 0;
async function queueWithConsumer(settings: Record<string, unknown>, queue: Record<string, unknown> = {}) {
  const name = `push-${++queueCount}-${Math.random().toString(36).slice(2, 6)}${queue.fifo ? '.fifo' : ''}`;
  expect((await call(url(), 'POST', '/queues', { name, ...queue })).status).toBe(201);
  const consumer = await call(url(), 'POST', `/queues/${name}/consumers`, {
    target: { url: target.url },
    ...settings,
  });
  expect(consumer.status).toBe(201);
  return { name, consumer: consumer.body };
}

async function send(
  name: string,
  bodies: string[],
  extra: (i: number) => Record<string, unknown> = () => ({}),
) {
  for (let i = 0; i < bodies.length; i += 10) {
    const messages = bodies.slice(i, i + 10).map((body, j) => ({ id: `m${j}`, body, ...extra(i + j) }));
    const sent = await call(url(), 'POST', `/queues/${name}/messages`, { messages });
    expect(sent.body?.failed, JSON.stringify(sent)).toEqual([]);
  }
}

const deliveredTo = (name: string) =>
  target.deliveries.filter((d) => d.event.Records[0]?.eventSourceARN.endsWith(`:${name}`));
const bodiesTo = (name: string) => deliveredTo(name).flatMap((d) => d.event.Records.map((r) => r.body));
const counts = async (name: string) => (await call(url(), 'GET', `/queues/${name}`)).body.messages;

describe('push delivery to an HTTP endpoint', () => {
  test('delivers every message in batches shaped as the Lambda SQS event, signed, and deletes them', async () => {
    target.answer = () => ({ status: 200 });
    const { name, consumer } = await queueWithConsumer({ batchSize: 10 });
    const bodies = Array.from({ length: 25 }, (_, i) => `order ${i}`);
    await send(name, bodies, (i) => ({ attributes: { n: { dataType: 'Number', stringValue: String(i) } } }));
    await until(() => bodiesTo(name).length >= 25);
    await until(async () => (await counts(name)).inFlight === 0);
    expect(bodiesTo(name).sort()).toEqual([...bodies].sort());
    expect(await counts(name)).toMatchObject({ visible: 0, inFlight: 0 });
    const [first] = deliveredTo(name);
    expect(first!.event.Records.length).toBeLessThanOrEqual(10);
    const record = first!.event.Records[0]!;
    expect(record).toMatchObject({
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:us-east-1:000000000000:${name}`,
      awsRegion: 'us-east-1',
      md5OfBody: md5OfBody(record.body),
      messageAttributes: { n: { dataType: 'Number', stringListValues: [], binaryListValues: [] } },
    });
    expect(Object.keys(record.attributes)).toEqual(
      expect.arrayContaining([
        'ApproximateReceiveCount',
        'SentTimestamp',
        'SenderId',
        'ApproximateFirstReceiveTimestamp',
      ]),
    );
    // The signature header: HMAC-SHA-256 of "<t>.<body>" under the secret shown at creation.
    const header = String(first!.headers['x-queue-signature']);
    const [, t, mac] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header)!;
    expect(mac).toBe(createHmac('sha256', consumer.secret).update(`${t}.${first!.raw}`).digest('hex'));
  });

  test('with reportBatchItemFailures only the failed messages come back, and dead-letter after maxReceiveCount', async () => {
    const dlq = `push-dlq-${Math.random().toString(36).slice(2, 6)}`;
    expect((await call(url(), 'POST', '/queues', { name: dlq })).status).toBe(201);
    target.answer = (event) => ({
      status: 200,
      body: {
        batchItemFailures: event.Records.filter((r) => r.body.startsWith('bad')).map((r) => ({
          itemIdentifier: r.messageId,
        })),
      },
    });
    const { name } = await queueWithConsumer(
      { batchSize: 10, reportBatchItemFailures: true },
      { visibilityTimeoutSeconds: 1, deadLetterQueue: dlq, maxReceiveCount: 2 },
    );
    await send(name, ['good 1', 'bad 1', 'good 2', 'bad 2']);
    // Each bad message is delivered twice (its receive count reaches 2), then set aside.
    await until(() => bodiesTo(name).filter((b) => b.startsWith('bad')).length >= 4, 15_000);
    await until(async () => {
      await sweep(service().runtime.queue);
      return (await counts(dlq)).visible === 2;
    }, 15_000);
    expect(
      bodiesTo(name)
        .filter((b) => b.startsWith('good'))
        .sort(),
    ).toEqual(['good 1', 'good 2']);
    expect(await counts(name)).toMatchObject({ visible: 0, inFlight: 0 });
  });

  test('a malformed batchItemFailures answer fails the whole batch; a 500 too', async () => {
    // A batch holding a message on its first delivery gets a malformed answer, one on its second a
    // 500; only batches of messages on their third delivery or later succeed.
    const attempts = new Map<string, number>();
    target.answer = (event) => {
      const tries = event.Records.map((r) => {
        attempts.set(r.body, (attempts.get(r.body) ?? 0) + 1);
        return attempts.get(r.body)!;
      });
      if (tries.includes(1)) return { status: 200, body: { batchItemFailures: [{ itemIdentifier: '' }] } };
      if (tries.includes(2)) return { status: 500 };
      return { status: 200 };
    };
    const { name } = await queueWithConsumer(
      { batchSize: 10, reportBatchItemFailures: true },
      { visibilityTimeoutSeconds: 1 },
    );
    await send(name, ['a', 'b', 'c']);
    await until(async () => {
      const now = await counts(name);
      return now.inFlight === 0 && now.visible === 0;
    }, 40_000);
    // No message was deleted after a failed batch: each came back until a batch succeeded.
    for (const body of ['a', 'b', 'c']) expect(attempts.get(body)).toBeGreaterThanOrEqual(3);
  }, 45_000);
});

describe('push delivery rules', () => {
  test('never more than maximumConcurrency batches in flight, across two dispatchers', async () => {
    target.answer = () => ({ status: 200 });
    target.delayMs = 150;
    target.maxInFlight = 0;
    try {
      const { name } = await queueWithConsumer({ batchSize: 1, maximumConcurrency: 2 });
      await send(
        name,
        Array.from({ length: 20 }, (_, i) => `c${i}`),
      );
      // A second dispatcher, as another process would run, beside the local service's own.
      const other = dispatch(service().push.push, { budgetMs: 3_000 });
      await until(() => bodiesTo(name).length >= 20, 20_000);
      await other;
      expect(target.maxInFlight).toBeLessThanOrEqual(2);
      expect(new Set(bodiesTo(name)).size).toBe(20);
    } finally {
      target.delayMs = 0;
    }
  });

  test('FIFO: each group in order, and a failed message keeps the rest of its group for the retry', async () => {
    let failedOnce = false;
    target.answer = (event) => {
      const bad = event.Records.find((r) => r.body === 'g1-2');
      if (bad && !failedOnce) {
        failedOnce = true;
        return { status: 200, body: { batchItemFailures: [{ itemIdentifier: bad.messageId }] } };
      }
      return { status: 200 };
    };
    const { name } = await queueWithConsumer(
      { batchSize: 10, reportBatchItemFailures: true },
      // A lease long enough that a slow machine does not see it run out mid-delivery (which would
      // deliver the group again, as Lambda's event source mapping would too).
      { fifo: true, visibilityTimeoutSeconds: 3 },
    );
    const bodies = ['g1-1', 'g2-1', 'g1-2', 'g2-2', 'g1-3', 'g2-3'];
    await send(name, bodies, (i) => ({ groupId: bodies[i]!.slice(0, 2), deduplicationId: bodies[i] }));
    // The retried part of g1 comes back once its lease (3 s) ran out; then the queue is empty.
    await until(() => bodiesTo(name).length >= 8, 20_000);
    await until(async () => {
      const now = await counts(name);
      return now.visible + now.inFlight === 0;
    }, 10_000);
    const delivered = bodiesTo(name);
    // g1-2 failed once: it and g1-3 came again, in order; nothing of g1 was deleted out of order.
    expect(delivered.filter((b) => b.startsWith('g1'))).toEqual(['g1-1', 'g1-2', 'g1-3', 'g1-2', 'g1-3']);
    expect(delivered.filter((b) => b.startsWith('g2'))).toEqual(['g2-1', 'g2-2', 'g2-3']);
  });

  test('a disabled consumer delivers nothing until enabled again', async () => {
    target.answer = () => ({ status: 200 });
    const { name, consumer } = await queueWithConsumer({ enabled: false });
    await send(name, ['waiting']);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(bodiesTo(name)).toEqual([]);
    expect(
      (await call(url(), 'PATCH', `/queues/${name}/consumers/${consumer.id}`, { enabled: true })).status,
    ).toBe(200);
    await until(() => bodiesTo(name).length === 1);
  });
});

describe('push delivery to a local handler module', () => {
  test('the handler is imported and called with the event; a thrown error fails the batch', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'push-module-'));
    const seen = join(dir, 'seen.json');
    const file = join(dir, 'consumer.mjs');
    writeFileSync(
      file,
      `import { appendFileSync, existsSync, readFileSync } from 'node:fs';
let calls = 0;
export const handler = async (event) => {
  calls++;
  for (const r of event.Records) appendFileSync(${JSON.stringify(seen)}, r.body + '\\n');
  if (calls === 1) throw new Error('first batch fails');
};
`,
    );
    const name = `push-mod-${Math.random().toString(36).slice(2, 6)}`;
    expect((await call(url(), 'POST', '/queues', { name, visibilityTimeoutSeconds: 1 })).status).toBe(201);
    const created = await call(url(), 'POST', `/queues/${name}/consumers`, {
      target: { module: `${file}#handler` },
    });
    expect(created.status).toBe(201);
    await send(name, ['m1']);
    const { readFileSync, existsSync } = await import('node:fs');
    await until(async () => {
      const lines = existsSync(seen) ? readFileSync(seen, 'utf8').trim().split('\n') : [];
      return lines.length === 2 && (await counts(name)).inFlight === 0 && (await counts(name)).visible === 0;
    }, 15_000);
  });
});
