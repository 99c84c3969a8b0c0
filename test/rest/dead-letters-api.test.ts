import { describe, expect, test } from 'vitest';
import { call, useLocalService } from '../support/local-service';

/**
 * The dead-letter story over HTTP, as a person lives it: a consumer keeps failing a message, the
 * sweeper (on its local timer) sets it aside, the person finds and reads it, fixes the consumer,
 * redrives it, and it is processed. Real time, with 1-second leases and sweeps.
 */
const { url } = useLocalService({ schedules: { everySeconds: { sweeper: 1, redrive: 1 } } });
const api = (method: string, path: string, body?: unknown) => call(url(), method, path, body);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean, seconds = 20): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await pause(200);
  }
}

describe('dead letters over the REST API', () => {
  test('fail, dead-letter, browse, redrive, process', { timeout: 60_000 }, async () => {
    const tag = Date.now();
    const dlq = `orders-dlq-${tag}`;
    const queue = `orders-${tag}`;
    expect((await api('POST', '/queues', { name: dlq })).status).toBe(201);
    expect(
      (
        await api('POST', '/queues', {
          name: queue,
          visibilityTimeoutSeconds: 1,
          deadLetterQueue: dlq,
          maxReceiveCount: 2,
        })
      ).status,
    ).toBe(201);
    const sent = await api('POST', `/queues/${queue}/messages`, {
      body: '{"order": 7}',
      attributes: { customer: 'acme' },
    });

    // The broken consumer receives it twice and never deletes it.
    for (let attempt = 0; attempt < 2; attempt++) {
      const got = await eventually(
        () => api('POST', `/queues/${queue}/messages/receive`, { waitTimeSeconds: 2 }),
        (r) => r.body.messages.length > 0,
      );
      expect(got.body.messages[0].receiveCount).toBe(attempt + 1);
      await pause(1_100);
    }

    const landed = await eventually(
      () => api('GET', `/queues/${dlq}/dead-letters`),
      (r) => r.body.messages?.length === 1,
    );
    expect(landed.body.messages[0]).toMatchObject({
      messageId: sent.body.messageId,
      body: '{"order": 7}',
      attributes: { customer: { dataType: 'String', stringValue: 'acme' } },
      deadLetter: { sourceQueue: queue, receiveCount: 2, reason: expect.stringContaining('maxReceiveCount') },
    });
    expect((await api('GET', `/queues/${queue}`)).body.messages).toEqual({
      visible: 0,
      inFlight: 0,
      delayed: 0,
      oldestMessageAgeSeconds: 0,
    });

    // Fixed: redrive it back, then the consumer processes it for good.
    const started = await api('POST', `/queues/${dlq}/redrive`, { maxMessagesPerSecond: 10 });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ status: 'RUNNING', source: dlq, toMove: 1 });
    const task = await eventually(
      () => api('GET', `/queues/${dlq}/redrive/${started.body.taskId}`),
      (r) => r.body.status !== 'RUNNING',
    );
    expect(task.body).toMatchObject({ status: 'COMPLETED', moved: 1 });
    const again = await eventually(
      () => api('POST', `/queues/${queue}/messages/receive`, { waitTimeSeconds: 2 }),
      (r) => r.body.messages.length > 0,
    );
    const [message] = again.body.messages;
    expect(message).toMatchObject({ body: '{"order": 7}', receiveCount: 1 });
    expect(message.messageId).not.toBe(sent.body.messageId);
    expect((await api('DELETE', `/queues/${queue}/messages/${message.receiptHandle}`)).status).toBe(204);
    expect((await api('GET', `/queues/${dlq}/redrive`)).body.tasks[0]).toMatchObject({ status: 'COMPLETED' });

    const cancelFinished = await api('POST', `/queues/${dlq}/redrive/${started.body.taskId}/cancel`);
    expect(cancelFinished).toMatchObject({ status: 404, body: { code: 'ResourceNotFoundException' } });
  });

  test('bad input on dead-letter routes gets problems', async () => {
    const q = `plain-${Date.now()}`;
    await api('POST', '/queues', { name: q });
    expect((await api('GET', `/queues/${q}/dead-letters?order=sideways`)).status).toBe(400);
    expect((await api('GET', `/queues/${q}/dead-letters?limit=1000`)).status).toBe(400);
    expect((await api('GET', `/queues/${q}/dead-letters?nextToken=zzz`)).body.code).toBe(
      'InvalidParameterValue',
    );
    expect((await api('POST', `/queues/${q}/redrive`, { maxMessagesPerSecond: 501 })).body.code).toBe(
      'InvalidParameterValue',
    );
    expect((await api('POST', `/queues/${q}/redrive`, { destination: q })).body.code).toBe(
      'InvalidParameterValue',
    );
    expect((await api('POST', `/queues/${q}/redrive`, { deadLetteredAfter: 'yesterday' })).body.code).toBe(
      'InvalidParameterValue',
    );
    expect((await api('GET', `/queues/${q}/redrive/nope`)).status).toBe(404);
    expect((await api('GET', '/queues/missing/dead-letters')).body.code).toBe('QueueDoesNotExist');
    // The attribute filter takes a valid name and a value together.
    for (const [search, field] of [
      ['attributeName=tenant', 'attributeValue'],
      ['attributeValue=acme', 'attributeName'],
      ['attributeName=AWS.tenant&attributeValue=acme', 'attributeName'],
    ]) {
      expect(await api('GET', `/queues/${q}/dead-letters?${search}`), search).toMatchObject({
        status: 400,
        body: { field },
      });
    }
    const noMatch = await api('GET', `/queues/${q}/dead-letters?attributeName=tenant&attributeValue=acme`);
    expect(noMatch).toMatchObject({ status: 200, body: { messages: [] } });
    // Filters that match nothing: a clear empty result.
    const none = await api('GET', `/queues/${q}/dead-letters?deadLetteredBefore=2000-01-01T00:00:00Z`);
    expect(none).toMatchObject({ status: 200, body: { messages: [] } });
  });
});
